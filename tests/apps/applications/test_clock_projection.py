"""The deadline of cases built through every workflow path — 补正, 征求意见, 延期, 收费, 延迟答复
and their combinations — as the case stores it and as the case page explains it (计时). The
expected values were captured from the deadline engine before its inputs became a projection of
the case's steps (ADR 0190): the projection gives every case the deadline it had."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.models import Application
from gongkai.apps.applications.selectors import application_deadline
from tests.apps.applications.factories import register

pytestmark = pytest.mark.django_db


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def _case(world: Any) -> Application:
    app = register(world, channel="in_person", submitted_on=d(10, 9))
    return svc.application_accept(actor=world.officer_a, application=app, on=d(10, 12))


def _correct(world: Any, app: Application, on: dt.date, received: dt.date | None) -> Application:
    app = svc.application_correction_request(
        actor=world.officer_a, application=app, items="请写明文件名称", until=d(10, 23), on=on
    )
    if received is not None:
        app = svc.application_correction_receive(
            actor=world.officer_a, application=app, on=received
        )
    return app


def _consult(
    world: Any, app: Application, kind: str, start: dt.date, end: dt.date | None
) -> Application:
    app = svc.application_consult_start(
        actor=world.officer_a,
        application=app,
        kind=kind,
        party="甲建设有限公司" if kind == "third_party" else "市规划局",
        matters="投标文件中的报价明细",
        on=start,
    )
    if end is not None:
        app = svc.application_consult_end(
            actor=world.officer_a, application=app, outcome="agree", on=end
        )
    return app


def _extend(world: Any, app: Application, asked: dt.date, decided: dt.date, ok: bool = True):
    app = svc.application_extension_request(
        actor=world.officer_a, application=app, days=15, reason="信息量大", on=asked
    )
    if ok:
        return svc.application_extension_approve(actor=world.head_a, application=app, on=decided)
    return svc.application_extension_reject(
        actor=world.head_a, application=app, comment="可以按期答复", on=decided
    )


def _fee(
    world: Any,
    app: Application,
    on: dt.date,
    *,
    delivery: str = "in_person",
    served: dt.date | None = None,
    paid: dt.date | None = None,
) -> Application:
    app = svc.application_fee_notice(
        actor=world.officer_a,
        application=app,
        method="per_page",
        units=150,
        on=on,
        delivery=delivery,
    )
    if served is not None:
        app = svc.application_fee_served(actor=world.officer_a, application=app, on=served)
    if paid is not None:
        app = svc.application_fee_paid(actor=world.officer_a, application=app, on=paid)
    return app


def _reasons(world: Any, app: Application, asked: dt.date, accepted: dt.date, until: Any):
    app = svc.application_reasons_request(
        actor=world.officer_a,
        application=app,
        grounds="近30日内申请42件",
        until=asked + dt.timedelta(days=10),
        on=asked,
    )
    return svc.application_reasons_accept(
        actor=world.officer_a, application=app, until=until, on=accepted
    )


SCENARIOS: dict[str, Callable[[Any, Application], Application]] = {
    "accepted": lambda w, a: a,
    "correction_pending": lambda w, a: _correct(w, a, d(10, 14), None),
    "correction_received": lambda w, a: _correct(w, a, d(10, 14), d(10, 20)),
    "correction_received_late": lambda w, a: _correct(w, a, d(10, 14), d(10, 27)),
    "correction_notice_late": lambda w, a: _correct(w, a, d(10, 22), d(10, 23)),
    "consultation_open": lambda w, a: _consult(w, a, "third_party", d(10, 14), None),
    "consultation_closed": lambda w, a: _consult(w, a, "third_party", d(10, 14), d(10, 21)),
    "two_consultations": lambda w, a: _consult(
        w, _consult(w, a, "other_agency", d(10, 13), d(10, 15)), "third_party", d(10, 19), d(11, 2)
    ),
    "same_kind_twice": lambda w, a: _consult(
        w, _consult(w, a, "third_party", d(10, 13), d(10, 15)), "third_party", d(10, 16), d(10, 20)
    ),
    "extension_approved": lambda w, a: _extend(w, a, d(10, 26), d(10, 28)),
    "extension_rejected": lambda w, a: _extend(w, a, d(10, 26), d(10, 28), ok=False),
    "fee_served_in_person": lambda w, a: _fee(w, a, d(10, 15)),
    "fee_paid": lambda w, a: _fee(w, a, d(10, 15), paid=d(10, 22)),
    "fee_posted_unserved": lambda w, a: _fee(w, a, d(10, 15), delivery="registered_post"),
    "fee_posted_served": lambda w, a: _fee(
        w, a, d(10, 15), delivery="registered_post", served=d(10, 19)
    ),
    "fee_posted_served_paid": lambda w, a: _fee(
        w, a, d(10, 15), delivery="registered_post", served=d(10, 19), paid=d(10, 30)
    ),
    "reasons_no_deferral": lambda w, a: _reasons(w, a, d(10, 14), d(10, 20), None),
    "reasons_deferral": lambda w, a: _reasons(w, a, d(10, 14), d(10, 20), d(12, 4)),
    "correction_consultation_extension_fee": lambda w, a: _fee(
        w,
        _extend(
            w,
            _consult(w, _correct(w, a, d(10, 14), d(10, 16)), "other_agency", d(10, 19), d(10, 23)),
            d(11, 2),
            d(11, 3),
        ),
        d(11, 5),
        paid=d(11, 10),
    ),
    "consultation_during_fee": lambda w, a: _consult(
        w, _fee(w, a, d(10, 15), paid=d(10, 29)), "third_party", d(10, 30), d(11, 4)
    ),
    "consultation_then_fee_posted": lambda w, a: _fee(
        w,
        _consult(w, a, "third_party", d(10, 14), d(10, 14)),
        d(10, 14),
        delivery="registered_post",
    ),
    "extension_then_deferral": lambda w, a: _reasons(
        w, _extend(w, a, d(10, 20), d(10, 21)), d(10, 22), d(10, 26), d(12, 18)
    ),
    "correction_then_fee_unserved": lambda w, a: _fee(
        w, _correct(w, a, d(10, 13), d(10, 15)), d(10, 16), delivery="online"
    ),
}


def summary(app: Application) -> dict[str, Any]:
    """What the case stores of its deadline and what the 计时 page explains, day by day."""
    app = Application.objects.get(pk=app.pk)
    deadline = application_deadline(app)
    days = "|".join(
        f"{n.day.isoformat()},{n.status},{n.reason},{n.ordinal}" for n in deadline.days
    ).encode()
    return {
        "due_date": str(app.due_date),
        "due_provisional": app.due_provisional,
        "correction_notice_due": str(app.correction_notice_due),
        "fee_pay_until": str(app.fee_pay_until),
        "due": str(deadline.due),
        "start": str(deadline.start),
        "extension_days": deadline.extension_days,
        "paused_working_days": deadline.paused_working_days,
        "deferred_days": deadline.deferred_days,
        "pauses": [
            (p.reason, str(p.start), str(p.end), str(p.assumed_end), p.working_days)
            for p in deadline.pauses
        ],
        "lapses_on": str(deadline.lapses_on),
        "lapse_reason": deadline.lapse_reason,
        "warnings": list(deadline.warnings),
        "days": hashlib.sha256(days).hexdigest()[:16],
    }


# the values most paths leave as a case received on 9 October has them
_UNMOVED: dict[str, Any] = {
    "correction_notice_due": "2026-10-19",
    "deferred_days": 0,
    "due_provisional": False,
    "extension_days": 0,
    "fee_pay_until": "None",
    "lapse_reason": "",
    "lapses_on": "None",
    "start": "2026-10-09",
    "warnings": [],
}

# each path: what differs from _UNMOVED
EXPECTED: dict[str, dict[str, Any]] = {
    "accepted": {
        **_UNMOVED,
        "days": "4c5cf31ebdde0081",
        "due": "2026-11-05",
        "due_date": "2026-11-05",
        "paused_working_days": 0,
        "pauses": [],
    },
    "consultation_closed": {
        **_UNMOVED,
        "days": "53da3ab54a4f5430",
        "due": "2026-11-12",
        "due_date": "2026-11-12",
        "paused_working_days": 5,
        "pauses": [("third_party", "2026-10-14", "2026-10-21", "2026-10-21", 5)],
    },
    "consultation_during_fee": {
        **_UNMOVED,
        "days": "1b4389ac2df52d66",
        "due": "2026-11-24",
        "due_date": "2026-11-24",
        "fee_pay_until": "2026-11-12",
        "paused_working_days": 13,
        "pauses": [
            ("fee", "2026-10-15", "2026-10-29", "2026-10-29", 10),
            ("third_party", "2026-10-30", "2026-11-04", "2026-11-04", 3),
        ],
    },
    "consultation_open": {
        **_UNMOVED,
        "days": "de18e748da4b23ea",
        "due": "2026-11-26",
        "due_date": "2026-11-26",
        "paused_working_days": 15,
        "pauses": [("third_party", "2026-10-14", "None", "2026-11-04", 15)],
    },
    "consultation_then_fee_posted": {
        **_UNMOVED,
        "days": "d869e3ae3e78ce18",
        "due": "2026-12-03",
        "due_date": "2026-12-03",
        "paused_working_days": 20,
        "pauses": [
            ("third_party", "2026-10-14", "2026-10-14", "2026-10-14", 0),
            ("fee", "2026-10-14", "None", "2026-11-11", 20),
        ],
        "warnings": [
            "收费通知尚未送达：缴费期限自送达之日起计算20个工作日，暂按发出之日（2026年10月14日）估算"
        ],
    },
    "correction_consultation_extension_fee": {
        **_UNMOVED,
        "days": "861ad8fdfbfc09c8",
        "due": "2026-12-15",
        "due_date": "2026-12-15",
        "extension_days": 15,
        "fee_pay_until": "2026-12-03",
        "paused_working_days": 7,
        "pauses": [
            ("other_agency", "2026-10-19", "2026-10-23", "2026-10-23", 4),
            ("fee", "2026-11-05", "2026-11-10", "2026-11-10", 3),
        ],
        "start": "2026-10-16",
    },
    "correction_notice_late": {
        **_UNMOVED,
        "days": "1e79b101e568f58e",
        "due": "2026-11-20",
        "due_date": "2026-11-20",
        "paused_working_days": 0,
        "pauses": [],
        "start": "2026-10-23",
        "warnings": ["补正告知于2026年10月22日发出，晚于应发出的期限2026年10月19日"],
    },
    "correction_pending": {
        **_UNMOVED,
        "days": "1510f6d5f3ef5ebe",
        "due": "2026-11-20",
        "due_date": "2026-11-20",
        "lapse_reason": "补正期限",
        "lapses_on": "2026-10-23",
        "paused_working_days": 0,
        "pauses": [],
        "start": "2026-10-23",
    },
    "correction_received": {
        **_UNMOVED,
        "days": "ed11186ede4e5c86",
        "due": "2026-11-17",
        "due_date": "2026-11-17",
        "paused_working_days": 0,
        "pauses": [],
        "start": "2026-10-20",
    },
    "correction_received_late": {
        **_UNMOVED,
        "days": "bf2650fcdbae8f39",
        "due": "2026-11-24",
        "due_date": "2026-11-24",
        "paused_working_days": 0,
        "pauses": [],
        "start": "2026-10-27",
        "warnings": [
            "补正于2026年10月27日收到，晚于补正期限2026年10月23日（无正当理由逾期补正的，视为放弃申请）"
        ],
    },
    "correction_then_fee_unserved": {
        **_UNMOVED,
        "days": "d3bf03173157e92d",
        "due": "2026-12-10",
        "due_date": "2026-12-10",
        "paused_working_days": 20,
        "pauses": [("fee", "2026-10-16", "None", "2026-11-13", 20)],
        "start": "2026-10-15",
        "warnings": [
            "收费通知尚未送达：缴费期限自送达之日起计算20个工作日，暂按发出之日（2026年10月16日）估算"
        ],
    },
    "extension_approved": {
        **_UNMOVED,
        "days": "d97b37c4ec376db5",
        "due": "2026-11-26",
        "due_date": "2026-11-26",
        "extension_days": 15,
        "paused_working_days": 0,
        "pauses": [],
    },
    "extension_rejected": {
        **_UNMOVED,
        "days": "4c5cf31ebdde0081",
        "due": "2026-11-05",
        "due_date": "2026-11-05",
        "paused_working_days": 0,
        "pauses": [],
    },
    "extension_then_deferral": {
        **_UNMOVED,
        "days": "04a0a6fc3901ed5e",
        "deferred_days": 16,
        "due": "2026-12-18",
        "due_date": "2026-12-18",
        "extension_days": 15,
        "paused_working_days": 0,
        "pauses": [],
    },
    "fee_paid": {
        **_UNMOVED,
        "days": "e6605acacc946a4c",
        "due": "2026-11-12",
        "due_date": "2026-11-12",
        "fee_pay_until": "2026-11-12",
        "paused_working_days": 5,
        "pauses": [("fee", "2026-10-15", "2026-10-22", "2026-10-22", 5)],
    },
    "fee_posted_served": {
        **_UNMOVED,
        "days": "be85b5391f85f7e9",
        "due": "2026-12-07",
        "due_date": "2026-12-07",
        "fee_pay_until": "2026-11-16",
        "lapse_reason": "缴费期限",
        "lapses_on": "2026-11-16",
        "paused_working_days": 22,
        "pauses": [("fee", "2026-10-15", "None", "2026-11-16", 22)],
    },
    "fee_posted_served_paid": {
        **_UNMOVED,
        "days": "f16158ef9cce3ac4",
        "due": "2026-11-20",
        "due_date": "2026-11-20",
        "fee_pay_until": "2026-11-16",
        "paused_working_days": 11,
        "pauses": [("fee", "2026-10-15", "2026-10-30", "2026-10-30", 11)],
    },
    "fee_posted_unserved": {
        **_UNMOVED,
        "days": "ad67502e40a1ec64",
        "due": "2026-12-03",
        "due_date": "2026-12-03",
        "paused_working_days": 20,
        "pauses": [("fee", "2026-10-15", "None", "2026-11-12", 20)],
        "warnings": [
            "收费通知尚未送达：缴费期限自送达之日起计算20个工作日，暂按发出之日（2026年10月15日）估算"
        ],
    },
    "fee_served_in_person": {
        **_UNMOVED,
        "days": "ad67502e40a1ec64",
        "due": "2026-12-03",
        "due_date": "2026-12-03",
        "fee_pay_until": "2026-11-12",
        "lapse_reason": "缴费期限",
        "lapses_on": "2026-11-12",
        "paused_working_days": 20,
        "pauses": [("fee", "2026-10-15", "None", "2026-11-12", 20)],
    },
    "reasons_deferral": {
        **_UNMOVED,
        "days": "30705103deba699a",
        "deferred_days": 21,
        "due": "2026-12-04",
        "due_date": "2026-12-04",
        "paused_working_days": 0,
        "pauses": [],
    },
    "reasons_no_deferral": {
        **_UNMOVED,
        "days": "4c5cf31ebdde0081",
        "due": "2026-11-05",
        "due_date": "2026-11-05",
        "paused_working_days": 0,
        "pauses": [],
    },
    "same_kind_twice": {
        **_UNMOVED,
        "days": "fb5de0712acf6ba5",
        "due": "2026-11-11",
        "due_date": "2026-11-11",
        "paused_working_days": 4,
        "pauses": [
            ("third_party", "2026-10-13", "2026-10-15", "2026-10-15", 2),
            ("third_party", "2026-10-16", "2026-10-20", "2026-10-20", 2),
        ],
    },
    "two_consultations": {
        **_UNMOVED,
        "days": "7e98a5075c58bd77",
        "due": "2026-11-23",
        "due_date": "2026-11-23",
        "paused_working_days": 12,
        "pauses": [
            ("other_agency", "2026-10-13", "2026-10-15", "2026-10-15", 2),
            ("third_party", "2026-10-19", "2026-11-02", "2026-11-02", 10),
        ],
    },
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_path_keeps_its_deadline(world, name):
    app = SCENARIOS[name](world, _case(world))
    assert summary(app) == EXPECTED[name]
