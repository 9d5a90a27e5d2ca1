"""Reads of the working-day calendar; what every other context calls to count working days.

``calendar_current()`` and ``rulesets()`` are cached per process and keyed on the token of the
CalendarVersion row, which every change rewrites: one primary-key query per call keeps every
process (and every open transaction) on the data it can see.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import QuerySet

from gongkai.apps.workcalendar.errors import CalendarEmpty
from gongkai.apps.workcalendar.models import (
    CalendarEntry,
    CalendarVersion,
    CalendarYear,
    DeadlineRule,
)
from gongkai.domain.deadlines import (
    CaseEvent,
    Deadline,
    DeadlineInputError,
    RuleSet,
    compute_deadline,
    ruleset_for,
)
from gongkai.domain.holidays import measures_for
from gongkai.domain.workdays import WEEKDAY_NAMES, DayKind, Due, WorkCalendar

# After the last confirmed year, deadlines are counted provisionally (暂定) on the statutory
# holidays of the 放假办法 for this many years, so that no deadline is ever left blank.
PROVISIONAL_YEARS = 30

_lock = threading.Lock()
_cached: tuple[str, WorkCalendar, tuple[RuleSet, ...]] | None = None


_TOKEN_SQL = "SELECT token FROM {} WHERE id = 1"


def _token() -> str:
    # a plain cursor: this runs on every call, and the ORM would cost ten times the query
    table = connection.ops.quote_name(CalendarVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN_SQL.format(table))
        row = cursor.fetchone()
    return row[0] if row else ""


def invalidate() -> None:
    """Forget this process's copy (services call it right after changing the data)."""
    global _cached
    with _lock:
        _cached = None


def covered_years() -> tuple[int, int] | None:
    """The contiguous run of confirmed years ending at the latest one (None: no year at all)."""
    try:
        calendar = _load()[1]
    except CalendarEmpty:
        return None
    return calendar.first_year, calendar.last_year


def _covered_years_in_db() -> tuple[int, int] | None:
    years = set(CalendarYear.objects.values_list("year", flat=True))
    if not years:
        return None
    last = max(years)
    first = last
    while first - 1 in years:
        first -= 1
    return first, last


def rule_row_to_ruleset(row: DeadlineRule) -> RuleSet:
    return RuleSet(
        code=row.code,
        name=row.name,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        answer_days=row.answer_days,
        extension_max_days=row.extension_max_days,
        correction_notice_days=row.correction_notice_days,
        third_party_days=row.third_party_days,
        other_agency_days=row.other_agency_days,
        fee_payment_days=row.fee_payment_days,
        pause_reasons=tuple(r.strip() for r in row.pause_reasons.split(",") if r.strip()),
    )


def _load() -> tuple[str, WorkCalendar, tuple[RuleSet, ...]]:
    global _cached
    token = _token()
    cached = _cached
    if cached is not None and cached[0] == token:
        return cached
    span = _covered_years_in_db()
    if span is None:
        raise CalendarEmpty("工作日历为空：请先导入国务院办公厅的节假日安排")
    first, last = span
    entries = CalendarEntry.objects.filter(
        day__gte=dt.date(first, 1, 1), day__lte=dt.date(last, 12, 31)
    ).values_list("day", "kind", "name")
    calendar = WorkCalendar.from_entries(first, last, entries, provisional_years=PROVISIONAL_YEARS)
    rules = tuple(rule_row_to_ruleset(r) for r in DeadlineRule.objects.order_by("valid_from"))
    loaded = (token, calendar, rules)
    with _lock:
        _cached = loaded
    return loaded


def calendar_current() -> WorkCalendar:
    return _load()[1]


def rulesets() -> list[RuleSet]:
    return list(_load()[2])


def ruleset_for_date(d: dt.date) -> RuleSet:
    """The regulation in force for a request received on ``d`` (DeadlineInputError if none)."""
    return ruleset_for(d, _load()[2])


def ruleset_by_code(code: str) -> RuleSet:
    for rule in _load()[2]:
        if rule.code == code:
            return rule
    codes = "、".join(r.code for r in _load()[2])
    raise DeadlineInputError(f"没有代码为“{code}”的条例时限规则（可用：{codes}）")


def deadline_for(
    *,
    received: dt.date,
    events: Sequence[CaseEvent],
    rules: RuleSet | None = None,
    working_days: int | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The deadline on the current calendar (or ``calendar``), under the rule set in force on
    ``received`` (or ``rules``); ``working_days`` replaces the rule set's answer period."""
    _, current, all_rules = _load()
    calendar = calendar or current
    rule = rules or ruleset_for(received, all_rules)
    if working_days is not None:
        if working_days < 1:
            raise DeadlineInputError("工作日数至少为1")
        rule = replace(rule, answer_days=working_days)
    return compute_deadline(received=received, events=events, calendar=calendar, rules=rule)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return calendar_current().add_working_days(start, n)


def due_after(start: dt.date, n: int) -> Due:
    """``start`` + n working days, marked 暂定 when counted through a year not yet loaded."""
    return calendar_current().due(start, n)


def count_working_days(start: dt.date, end: dt.date) -> int:
    return calendar_current().count_working_days(start, end)


def is_working_day(d: dt.date) -> bool:
    return calendar_current().is_working_day(d)


# ── coverage warning ─────────────────────────────────────────────────────────────────────

WARN_FROM_MONTH = 11  # the State Council publishes next year's notice around November


@dataclass(frozen=True)
class CoverageWarning:
    year: int
    message: str
    tone: str  # "warn" or "danger"


def calendar_coverage_warning(today: dt.date) -> CoverageWarning | None:
    """From 1 November: next year's holidays not loaded yet (and, worse, this year's)."""
    span = covered_years()
    last = span[1] if span else None
    if last is None:
        return CoverageWarning(
            today.year, "工作日历为空：所有期限都无法计算，请立即导入节假日安排。", "danger"
        )
    if last < today.year:
        return CoverageWarning(
            last + 1,
            f"{last + 1}年节假日安排尚未载入：已有期限按《全国年节及纪念日放假办法》暂定推算"
            "（未计调休），请立即导入国务院办公厅通知。",
            "danger",
        )
    if today.month >= WARN_FROM_MONTH and last < today.year + 1:
        year = today.year + 1
        return CoverageWarning(
            year,
            f"{year}年节假日安排尚未载入：跨入{year}年的期限暂按法定节假日推算并标为暂定；"
            "国务院办公厅通知发布后请尽快导入。",
            "warn",
        )
    return None


@dataclass(frozen=True)
class YearStatus:
    year: int
    state: str  # "confirmed" | "provisional"
    label: str
    basis: str


def calendar_status(today: dt.date) -> list[YearStatus]:
    """Which years count on a loaded notice and which provisionally, around ``today``: the
    confirmed years from last year on, and every provisional year up to two years ahead."""
    try:
        calendar = calendar_current()
    except CalendarEmpty:
        return []
    rows: list[YearStatus] = []
    for year in range(
        min(today.year - 1, calendar.last_year), max(today.year + 2, calendar.last_year) + 1
    ):
        if calendar.covers(dt.date(year, 1, 1)):
            rows.append(
                YearStatus(year, "confirmed", "已载入", f"国务院办公厅{year}年节假日安排（已确认）")
            )
        elif calendar.is_provisional(dt.date(year, 1, 1)):
            measures = measures_for(year)
            rows.append(
                YearStatus(
                    year,
                    "provisional",
                    "暂定推算",
                    f"按{measures.name}的法定节假日（{measures.summary()}，未计调休）；"
                    f"导入国务院办公厅{year}年节假日安排后转为正式",
                )
            )
    return rows


# ── year pages ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class DayCell:
    day: dt.date | None  # None: padding outside the month
    kind: str = ""
    name: str = ""
    draft: bool = False

    @property
    def label(self) -> str:
        if self.day is None:
            return ""
        kind = DayKind(self.kind).label if self.kind else "未载入"
        text = f"{self.day.month}月{self.day.day}日 {WEEKDAY_NAMES[self.day.weekday()]} {kind}"
        if self.name:
            text += f"（{self.name}）"
        return text + ("，未确认" if self.draft else "")


@dataclass(frozen=True)
class MonthGrid:
    month: int
    weeks: list[list[DayCell]]


@dataclass(frozen=True)
class YearView:
    year: int
    confirmed: CalendarYear | None
    covered: bool
    months: list[MonthGrid]
    entries: list[CalendarEntry]
    working_days: int | None
    holiday_runs: list[tuple[str, dt.date, dt.date, int]]


def calendar_entries(year: int) -> QuerySet[CalendarEntry]:
    return CalendarEntry.objects.filter(
        day__gte=dt.date(year, 1, 1), day__lte=dt.date(year, 12, 31)
    ).order_by("day")


def draft_years() -> list[int]:
    """Years that have entries but are not confirmed (not counted yet)."""
    confirmed = set(CalendarYear.objects.values_list("year", flat=True))
    years = {d.year for d in CalendarEntry.objects.dates("day", "year")}
    return sorted(years - confirmed)


def holiday_runs(entries: Sequence[CalendarEntry]) -> list[tuple[str, dt.date, dt.date, int]]:
    """(name, first day, last day, days) for consecutive days off with one name."""
    runs: list[tuple[str, dt.date, dt.date, int]] = []
    for e in entries:
        if e.kind != "holiday":
            continue
        if runs and runs[-1][0] == e.name and (e.day - runs[-1][2]).days == 1:
            name, first, _, n = runs[-1]
            runs[-1] = (name, first, e.day, n + 1)
        else:
            runs.append((e.name, e.day, e.day, 1))
    return runs


def calendar_year_view(year: int) -> YearView:
    confirmed = CalendarYear.objects.filter(year=year).first()
    span = covered_years()
    covered = span is not None and span[0] <= year <= span[1]
    entries = list(calendar_entries(year))
    by_day = {e.day: e for e in entries}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(DayCell(None))
                    continue
                entry = by_day.get(day)
                if entry is not None:
                    kind = DayKind.HOLIDAY if entry.kind == "holiday" else DayKind.MAKEUP_WORKDAY
                    row.append(DayCell(day, kind.value, entry.name, draft=not covered))
                elif covered or by_day:
                    kind = DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY
                    row.append(DayCell(day, kind.value, "", draft=not covered))
                else:
                    row.append(DayCell(day))
            weeks.append(row)
        months.append(MonthGrid(month, weeks))
    working = calendar_current().working_days_in_year(year) if covered else None
    return YearView(year, confirmed, covered, months, entries, working, holiday_runs(entries))
