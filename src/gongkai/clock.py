"""What time it is: the one place the platform reads the clock.

Entry points (views, API operations, CLI commands, jobs) call :func:`now` or :func:`today` once
and pass ``now`` / ``on`` down; services, selectors and the domain take the time as an argument.
A lint rule (ruff's banned-API list in pyproject.toml) refuses ``timezone.now()``,
``timezone.localdate()``, ``date.today()`` and ``datetime.now()`` anywhere else in ``src/``.

Tests fix the clock for the whole session (``tests/conftest.py``) and move it where a test needs
another day (:func:`travel`); CI also runs the suite with the process clock far in the future
(libfaketime), which proves that nothing reads the wall clock behind this module's back.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone as _django_timezone

# Django's own reading of the wall clock, kept before anything may route Django through us
_wall_now = _django_timezone.now


@dataclass(frozen=True)
class _Fixed:
    """A clock set to ``at``; it runs on from there unless ``tick`` is False."""

    at: dt.datetime
    started: float
    tick: bool

    def read(self) -> dt.datetime:
        if not self.tick:
            return self.at
        return self.at + dt.timedelta(seconds=time.monotonic() - self.started)


_lock = threading.Lock()
_fixed: _Fixed | None = None


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC when USE_TZ)."""
    fixed = _fixed
    return fixed.read() if fixed is not None else _wall_now()


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def localtime(value: dt.datetime | None = None) -> dt.datetime:
    """``value`` (default: now) in the platform's time zone."""
    return (value or now()).astimezone(local_tz())


def today() -> dt.date:
    """The date in the platform's time zone (Asia/Shanghai by default)."""
    return localtime().date()


def local_date(value: dt.datetime) -> dt.date:
    """The local calendar date of an instant (a stored timestamp, never "now")."""
    return localtime(value).date()


def at_local(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware instant on ``day`` at the given local time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=local_tz())


def set_fixed(at: dt.datetime | dt.date | None, *, tick: bool = True) -> None:
    """Fix the clock at ``at`` (a date means 09:00 local time that day); None: the wall clock.

    For tests, the demo loader and ``--date`` options of commands; never called by a request.
    """
    global _fixed
    if isinstance(at, dt.date) and not isinstance(at, dt.datetime):
        at = at_local(at)
    if at is not None and _django_timezone.is_naive(at):
        raise ValueError("时钟只接受带时区的时间")
    with _lock:
        _fixed = None if at is None else _Fixed(at, time.monotonic(), tick)


def is_fixed() -> bool:
    return _fixed is not None


@contextmanager
def travel(at: dt.datetime | dt.date, *, tick: bool = True) -> Iterator[None]:
    """Run a block with the clock at ``at``, then put back whatever was there."""
    global _fixed
    saved = _fixed
    set_fixed(at, tick=tick)
    try:
        yield
    finally:
        with _lock:
            _fixed = saved
