"""The working-day calendar and the deadline calculator, public and read-only (ISO dates)."""

import datetime as dt

from ninja import Router, Schema
from ninja.errors import HttpError

from gongkai.apps.workcalendar.errors import CalendarError
from gongkai.apps.workcalendar.selectors import calendar_current, deadline_for, ruleset_by_code
from gongkai.domain.deadlines import DeadlineInputError
from gongkai.domain.workdays import CalendarNotCovered

PREFIX = "/calendar/"
router = Router(tags=["工作日历"])

MAX_SPAN_DAYS = 366


class DayOut(Schema):
    date: dt.date
    kind: str  # workday | weekend | holiday | makeup_workday
    name: str  # the holiday, or the holiday a make-up working day is for
    working: bool
    provisional: bool  # the year's notice is not loaded: counted on the 放假办法 alone


class DayNoteOut(Schema):
    date: dt.date
    status: str  # receipt | counted | skipped | paused | due
    reason: str
    ordinal: int | None


class DeadlineOut(Schema):
    received: dt.date
    due: dt.date
    regulation: str
    working_days: int
    provisional: bool
    provisional_reason: str
    explanation: list[str]
    days: list[DayNoteOut]


@router.get(
    "days", response=list[DayOut], summary="工作日历：某段日期逐日的工作日、周末、节假日、调休上班"
)
def days(request, start: dt.date, end: dt.date):
    if end < start:
        raise HttpError(400, "结束日期不能早于开始日期")
    if (end - start).days >= MAX_SPAN_DAYS:
        raise HttpError(400, f"一次最多查询{MAX_SPAN_DAYS}天")
    calendar = calendar_current()
    out = []
    try:
        for i in range((end - start).days + 1):
            day = start + dt.timedelta(days=i)
            kind, name = calendar.day_kind(day)
            out.append(
                DayOut(
                    date=day,
                    kind=kind.value,
                    name=name,
                    working=kind.is_working,
                    provisional=calendar.is_provisional(day),
                )
            )
    except CalendarNotCovered as exc:
        raise HttpError(400, str(exc)) from None
    return out


@router.get("deadline", response=DeadlineOut, summary="答复期限计算（收到申请当日不计入）")
def deadline(
    request, received: dt.date, working_days: int | None = None, regulation: str | None = None
):
    try:
        rules = ruleset_by_code(regulation) if regulation else None
        result = deadline_for(received=received, events=[], rules=rules, working_days=working_days)
    except (CalendarNotCovered, DeadlineInputError, CalendarError) as exc:
        raise HttpError(400, str(exc)) from None
    return DeadlineOut(
        received=received,
        due=result.due,
        regulation=result.rule.code,
        working_days=result.total_days,
        provisional=result.calendar_provisional,
        provisional_reason=result.provisional_reason,
        explanation=result.explain(),
        days=[
            DayNoteOut(date=n.day, status=n.status, reason=n.reason, ordinal=n.ordinal)
            for n in result.days
        ],
    )
