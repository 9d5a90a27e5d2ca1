"""The bridge to the deadline engine: a case's clock events in, its due date out.

The due date is stored on the case (indexed: the work queue sorts and filters on it) and
recomputed in every transition and whenever the working-day calendar changes. When counting
runs into a year whose holiday notice is not loaded yet, the engine refuses to guess: the case
keeps working, ``due_date`` stays empty and ``due_pending_year`` names the year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gongkai.domain.deadlines import CaseEvent, Deadline, EventKind
from gongkai.domain.workdays import CalendarNotCovered


@dataclass(frozen=True)
class ClockResult:
    deadline: Deadline | None
    pending_year: int | None = None
    error: str = ""

    @property
    def due(self) -> dt.date | None:
        return self.deadline.due if self.deadline else None


def case_events(rows: Iterable[Any]) -> list[CaseEvent]:
    return [
        CaseEvent(
            kind=EventKind(row.kind),
            on=row.on,
            working_days=row.working_days,
            until=row.until,
            reason=row.reason,
        )
        for row in rows
    ]


def _uncovered_year(exc: CalendarNotCovered) -> int | None:
    year = getattr(exc, "year", None)
    if isinstance(year, int):
        return year
    found = re.search(r"(\d{4})年", str(exc))
    return int(found.group(1)) if found else None


def compute(received: dt.date, rows: Iterable[Any]) -> ClockResult:
    """The deadline of a case received on ``received`` with these ClockEvent rows."""
    from gongkai.apps.workcalendar.selectors import deadline_for

    try:
        return ClockResult(deadline_for(received=received, events=case_events(rows)))
    except CalendarNotCovered as exc:
        return ClockResult(None, _uncovered_year(exc), str(exc))


def pending_text(year: int | None) -> str:
    return f"截止日期待定：{year or ''}年工作日历尚未载入"


def add_working_days(start: dt.date, n: int) -> dt.date | None:
    """``start`` + n working days on the current calendar; None when the calendar ends first."""
    from gongkai.apps.workcalendar.selectors import add_working_days as add

    try:
        return add(start, n)
    except CalendarNotCovered:
        return None


def working_days_between(start: dt.date, end: dt.date) -> int | None:
    from gongkai.apps.workcalendar.selectors import calendar_current

    try:
        return calendar_current().count_working_days(start, end)
    except CalendarNotCovered:
        return None


def apply(application: Any, rows: Iterable[Any] | None = None) -> ClockResult:
    """Recompute and set ``due_date``, ``due_pending_year`` and ``correction_notice_due``."""
    if rows is None:
        rows = list(application.clock.all()) if application.pk else []
    result = compute(application.received_on, rows)
    if result.deadline is not None:
        application.due_date = result.deadline.due
        application.due_pending_year = None
        application.correction_notice_due = result.deadline.correction_notice_due
        lapse = result.deadline.lapses_on
        if (
            application.state == "fee"
            and application.fee_pay_until is None
            and lapse is not None
            and result.deadline.lapse_reason == "缴费期限"
        ):
            application.fee_pay_until = lapse  # the calendar now reaches the payment deadline
    else:
        application.due_date = None
        application.due_pending_year = result.pending_year
        if application.correction_notice_due is None:
            from gongkai.apps.workcalendar.selectors import ruleset_for_date

            days = ruleset_for_date(application.received_on).correction_notice_days
            application.correction_notice_due = (
                add_working_days(application.received_on, days) if days else None
            )
    return result
