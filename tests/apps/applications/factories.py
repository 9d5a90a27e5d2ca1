"""Helpers that build cases through the services (never by saving models directly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.models import Application

ID_OK = "11010519491231002X"  # GB 11643's own example
ID_OK_2 = "440524188001010014"
USCC_OK = "91350100M000100Y43"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
RELEASED_TXT = (
    "2025年度城市道路养护资金使用情况：全年支出3,250万元，其中日常养护1,800万元。".encode()
)
RELEASED_WITH_ID = "补助发放名单：王小明，身份证号码11010519491231002X，金额1200元。".encode()


def person(**overrides: Any) -> dict[str, Any]:
    data = {
        "type": "natural_person",
        "name": "王小明",
        "id_type": "id_card",
        "id_number": ID_OK,
        "phone": "13800000000",
        "email": "wxm@example.com",
        "address": "测试市人民路8号",
        "postcode": "139900",
    }
    data.update(overrides)
    return data


def register(world: Any, agency: Any = None, **kwargs: Any) -> Application:
    kwargs.setdefault("actor", world.officer_a)
    kwargs.setdefault("channel", "online")
    kwargs.setdefault("applicant", person())
    kwargs.setdefault("description", "请求公开2025年度本市城市道路养护资金的使用情况及明细")
    return svc.application_register(agency=agency or world.dept_a, **kwargs)


def accepted(world: Any, **kwargs: Any) -> Application:
    app = register(world, **kwargs)
    return svc.application_accept(actor=world.officer_a, application=app)


def days_ago(n: int) -> dt.date:
    from gongkai.apps.applications.services.common import today

    return today() - dt.timedelta(days=n)


def clear_rate_limits() -> None:
    """Forget the look-up/submission counters of the test client."""
    from gongkai import ratelimit
    from gongkai.apps.applications import limits

    for rule in (limits.APPLY, limits.TRACK):
        for address in ("127.0.0.1", "", "unknown"):
            ratelimit.reset(rule, address)
