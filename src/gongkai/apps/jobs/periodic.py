"""Periodic work, run once per period however many schedulers send it.

``gongkai scheduler`` sends each registered :class:`gongkai.registry.PeriodicWork` when it is
due; the worker that receives it claims the period in the shared cache (an atomic add in
Redis) and runs it. A second scheduler (one per machine, for availability) therefore changes
nothing, and a period that was already run is not run again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.cache import cache

from gongkai import clock
from gongkai.registry import PeriodicWork, periodic_work

log = logging.getLogger(__name__)


def period_key(work: PeriodicWork, now: dt.datetime) -> str:
    """The period ``now`` falls in: the local day for daily work, the interval otherwise."""
    if work.at is not None:
        return f"periodic:{work.name}:{clock.local_date(now).isoformat()}"
    assert work.every is not None
    seconds = int(work.every.total_seconds())
    return f"periodic:{work.name}:{int(now.timestamp()) // seconds}"


def periodic_run(name: str, *, now: dt.datetime) -> Any:
    work = periodic_work.get(name)
    if work is None:
        log.warning("periodic work %s is not registered here", name)
        return None
    window = work.every or dt.timedelta(days=1)
    key = period_key(work, now)
    if not cache.add(key, now.isoformat(), int(window.total_seconds()) + 3600):
        return None  # another scheduler's message ran it
    log.info("periodic work %s", name)
    try:
        return work.run(now)
    except Exception:
        cache.delete(key)  # the next message of this period tries again
        raise
