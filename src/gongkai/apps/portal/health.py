"""``/healthz``: what this server depends on, and what the platform around it depends on.

The status code answers a load balancer: 503 when this server cannot serve (database, cache
or its search index fails), 200 otherwise. The body lists every check for monitoring,
including those a single server cannot fix (no worker ran scheduled work lately, next year's
holidays not loaded), which make the status "degraded" without taking the server out.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection

from gongkai import clock
from gongkai.apps.catalog.search import get_engine
from gongkai.apps.catalog.search.follow import index_pending
from gongkai.apps.jobs.models import NodeRole
from gongkai.apps.jobs.selectors import nodes_live
from gongkai.apps.workcalendar.selectors import calendar_coverage_warning

SEARCH_LAG_LIMIT = 1000  # changes a server's index may be behind before it counts as failing


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    critical: bool  # failing takes this server out of the load balancer


def _database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, connection.vendor


def _cache() -> tuple[bool, str]:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 30)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return ok, "读写正常" if ok else "写入后读不到"


def _search() -> tuple[bool, str]:
    engine = get_engine()
    count = engine.count()
    pending = index_pending(engine)
    if pending is None:
        return False, f"{engine.name}：{count} 条，尚未跟随检索变更日志"
    return pending <= SEARCH_LAG_LIMIT, f"{engine.name}：{count} 条，未应用变更 {pending}"


def _workers(now: dt.datetime) -> tuple[bool, str]:
    live = nodes_live(role=NodeRole.WORKER, now=now)
    if not live:
        return (
            False,
            "两分钟内没有后台任务进程运行定时任务（检查 gongkai worker 和 gongkai scheduler）",
        )
    return True, "、".join(n.name for n in live)


def _calendar(now: dt.datetime) -> tuple[bool, str]:
    warning = calendar_coverage_warning(clock.local_date(now))
    if warning is None:
        return True, "今明两年的节假日安排已载入"
    return False, warning.message


def health_checks(now: dt.datetime) -> list[Check]:
    probes: list[tuple[str, Any, bool]] = [
        ("database", _database, True),
        ("cache", _cache, True),
        ("search", _search, True),
        ("worker", lambda: _workers(now), False),
        ("calendar", lambda: _calendar(now), False),
    ]
    checks = []
    for name, probe, critical in probes:
        try:
            ok, detail = probe()
        except Exception as exc:  # a check that cannot run has failed, and says why
            ok, detail = False, f"{type(exc).__name__}: {exc}"[:300]
        checks.append(Check(name, ok, detail, critical))
    return checks
