"""The bridge to the deadline engine: a case's steps in, its due date out.

The engine's inputs (补正, pauses, extension, 送达, 延迟答复) are a projection of the case's
steps (``CaseStep``, ADR 0190): nothing else records them.

The due date is stored on the case (the ``DueFields`` of the working-day calendar; indexed, the
work queue sorts and filters on it) and recomputed in every transition and, through the one
recompute of ``gongkai.apps.workcalendar.dues``, whenever the calendar changes. A count that
runs into a year whose holiday notice is not loaded gives a date marked 暂定 with its reason —
never a blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from gongkai.apps.workcalendar.selectors import calendar_current, deadline_for, due_after
from gongkai.domain.deadlines import CaseEvent, ClockStep, Deadline, clock_inputs
from gongkai.domain.holidays import provisional_reason
from gongkai.domain.workdays import Due, WorkCalendar, cn_day


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def clock_step(step: Any) -> ClockStep:
    """What the deadline reads of one ``CaseStep``."""
    details = step.details or {}
    return ClockStep(
        kind=step.kind,
        started_on=step.started_on,
        until=step.until,
        ended_on=step.ended_on,
        outcome=step.outcome,
        working_days=details.get("days"),
        reason=details.get("consult_kind", ""),
        served_on=_day(details.get("served_on")),
        counts=details.get("clock", True) is not False,
    )


def case_events(steps: Iterable[Any]) -> list[CaseEvent]:
    """The deadline's inputs from a case's steps (in their order: started_on, id)."""
    return clock_inputs(clock_step(step) for step in steps)


def compute(
    received: dt.date, steps: Iterable[Any], calendar: WorkCalendar | None = None
) -> Deadline:
    """The deadline of a case received on ``received`` that took these steps."""
    return deadline_for(received=received, events=case_events(steps), calendar=calendar)


def add_working_days(start: dt.date, n: int) -> Due:
    """``start`` + n working days on the current calendar (暂定 past the loaded years)."""
    return due_after(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return calendar_current().count_working_days(start, end)


def letter_day(day: dt.date | None) -> str:
    """A date a letter states (补正期限, 缴费期限): marked 暂定 when it lies in a year whose
    holiday notice is not loaded."""
    if day is None:
        return ""
    calendar = calendar_current()
    provisional = calendar.is_provisional(day)
    return letter_date(Due(day, provisional, provisional_reason([day.year]) if provisional else ""))


def letter_date(due: Due | None) -> str:
    """A due date as a letter states it: always a date; a 暂定 one says so in the same breath."""
    if due is None:
        return ""
    if not due.provisional:
        return cn_day(due.on)
    return f"{cn_day(due.on)}（该日期按法定节假日暂定，国务院当年节假日安排公布后如有变化，本机关将另行告知）"


def apply(
    application: Any, steps: Iterable[Any] | None = None, calendar: WorkCalendar | None = None
) -> Deadline:
    """Recompute and set the due fields, ``correction_notice_due`` and, in the fee state, the
    payment deadline, from the case's steps (the prefetched ones when loaded)."""
    if steps is None:
        steps = list(application.steps.all()) if application.pk else []
    deadline = compute(application.received_on, steps, calendar)
    application.set_due(deadline.due_value)
    application.correction_notice_due = deadline.correction_notice_due
    lapse = deadline.lapses_on
    if (
        application.state == "fee"
        and application.fee_pay_until is None
        and lapse is not None
        and deadline.lapse_reason == "缴费期限"
    ):
        application.fee_pay_until = lapse
    return deadline


def refresh(application: Any, calendar: WorkCalendar) -> None:
    """The DueSource hook: recompute one open case on ``calendar`` (its steps prefetched)."""
    apply(application, list(application.steps.all()), calendar)
