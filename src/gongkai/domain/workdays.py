"""The official working-day calendar: weekends, statutory holidays and 调休 make-up working days.

A working day follows the State Council's yearly holiday notice (国务院办公厅关于某年部分节假日
安排的通知): Monday to Friday, minus the holidays it lists, plus the weekend days it declares
working days (调休上班). The confirmed calendar covers whole years.

After the last confirmed year the calendar may count *provisionally* (``provisional_years``):
Monday to Friday minus the statutory holidays of 《全国年节及纪念日放假办法》
(:mod:`gongkai.domain.holidays`), with no 调休 guessed. A date reached that way is a
:class:`Due` marked provisional, with the sentence that says why; it is recomputed when the
year's notice is loaded. Dates before the first year, or past the provisional years, raise
:class:`CalendarNotCovered`.

Counting convention (条例第三十三条 as applied by every agency): the start day is not counted;
day 1 is the next working day.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from gongkai.domain.holidays import provisional_reason, statutory_holidays

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def cn_day(d: date) -> str:
    """2024年10月1日 — the date form of documents."""
    return f"{d.year}年{d.month}月{d.day}日"


class CalendarNotCovered(ValueError):
    """A date lies in a year whose holiday notice is not loaded; the message says which."""

    def __init__(self, day: date, first_year: int, last_year: int) -> None:
        self.day = day
        self.year = day.year
        self.first_year = first_year
        self.last_year = last_year
        super().__init__(
            f"工作日历尚未载入{day.year}年的节假日安排（已载入{first_year}—{last_year}年），"
            f"无法确定{cn_day(day)}是否为工作日；请先导入国务院办公厅{day.year}年节假日安排"
        )


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"

    @property
    def label(self) -> str:
        return DAY_KIND_LABELS[self]

    @property
    def is_working(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


DAY_KIND_LABELS: dict[DayKind, str] = {
    DayKind.WORKDAY: "工作日",
    DayKind.WEEKEND: "周末",
    DayKind.HOLIDAY: "法定节假日",
    DayKind.MAKEUP_WORKDAY: "调休上班",
}


@dataclass(frozen=True)
class Due:
    """A deadline as every context stores and shows it: a date, confirmed or provisional, and
    the one sentence that says why it is provisional."""

    on: date
    provisional: bool = False
    reason: str = ""

    @property
    def label(self) -> str:
        """2027年1月4日（暂定） — the form for pages and letters."""
        return cn_day(self.on) + ("（暂定）" if self.provisional else "")

    def as_dict(self) -> dict[str, object]:
        return {"due": self.on.isoformat(), "provisional": self.provisional, "reason": self.reason}


@dataclass(frozen=True)
class WorkCalendar:
    """The calendar of whole years ``first_year``..``last_year``, and provisionally of the
    ``provisional_years`` years after them.

    ``holidays`` maps each day off (also the weekend days inside a holiday period) to the
    holiday's name; ``makeup_workdays`` maps each weekend day declared a working day to the
    holiday it makes up for.
    """

    first_year: int
    last_year: int
    holidays: Mapping[date, str]
    makeup_workdays: Mapping[date, str]
    provisional_years: int = 0
    # derived in __post_init__: ordinals of every working day, ascending, for O(log n) counting
    _working: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _working_set: frozenset[int] = field(init=False, repr=False, compare=False)
    _provisional: Mapping[date, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise ValueError(f"日历起始年份{self.first_year}晚于结束年份{self.last_year}")
        holidays = MappingProxyType(dict(self.holidays))
        makeup = MappingProxyType(dict(self.makeup_workdays))
        for day, name in holidays.items():
            self._check_in_years(day, "节假日")
            if not name:
                raise ValueError(f"节假日{cn_day(day)}缺少名称")
        for day, name in makeup.items():
            self._check_in_years(day, "调休上班日")
            if day.weekday() < 5:
                raise ValueError(
                    f"调休上班日{cn_day(day)}是{WEEKDAY_NAMES[day.weekday()]}，"
                    "调休上班只能安排在周六或周日"
                )
            if day in holidays:
                raise ValueError(f"{cn_day(day)}不能既是节假日又是调休上班日")
            if not name:
                raise ValueError(f"调休上班日{cn_day(day)}缺少所调休的节日名称")
        if self.provisional_years < 0:
            raise ValueError("暂定推算的年数不能为负数")
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "makeup_workdays", makeup)
        provisional = {
            day: name
            for year in range(self.last_year + 1, self.counting_last_year + 1)
            for day, name in statutory_holidays(year)
        }
        object.__setattr__(self, "_provisional", MappingProxyType(provisional))
        first = date(self.first_year, 1, 1).toordinal()
        last = date(self.counting_last_year, 12, 31).toordinal()
        holiday_ords = {d.toordinal() for d in holidays} | {d.toordinal() for d in provisional}
        makeup_ords = {d.toordinal() for d in makeup}
        working = tuple(
            o
            for o in range(first, last + 1)
            if o in makeup_ords or (o not in holiday_ords and (o - 1) % 7 < 5)
        )
        object.__setattr__(self, "_working", working)
        object.__setattr__(self, "_working_set", frozenset(working))

    def _check_in_years(self, day: date, what: str) -> None:
        if not self.first_year <= day.year <= self.last_year:
            raise ValueError(
                f"{what}{cn_day(day)}不在日历覆盖的{self.first_year}—{self.last_year}年之内"
            )

    @classmethod
    def from_entries(
        cls,
        first_year: int,
        last_year: int,
        entries: Iterable[tuple[date, str, str]],
        *,
        provisional_years: int = 0,
    ) -> WorkCalendar:
        """Build from (date, kind, name) rows, kind "holiday" or "workday"; rows outside the
        covered years are left out (a year not yet confirmed does not count)."""
        holidays: dict[date, str] = {}
        makeup: dict[date, str] = {}
        for day, kind, name in entries:
            if not first_year <= day.year <= last_year:
                continue
            if kind == "holiday":
                holidays[day] = name
            elif kind == "workday":
                makeup[day] = name
            else:
                raise ValueError(f"未知的日期类型“{kind}”（应为 holiday 或 workday）")
        return cls(first_year, last_year, holidays, makeup, provisional_years)

    # ── queries ─────────────────────────────────────────────────────────────────────────

    @property
    def first_day(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.last_year, 12, 31)

    @property
    def counting_last_year(self) -> int:
        """The last year that can be counted at all, provisionally or not."""
        return self.last_year + self.provisional_years

    def covers(self, d: date) -> bool:
        """Whether ``d`` lies in a confirmed year (its notice is loaded)."""
        return self.first_year <= d.year <= self.last_year

    def is_provisional(self, d: date) -> bool:
        """Whether ``d`` is counted only provisionally (its year's notice is not loaded)."""
        return self.last_year < d.year <= self.counting_last_year

    def _require(self, d: date) -> None:
        if not self.first_year <= d.year <= self.counting_last_year:
            raise CalendarNotCovered(d, self.first_year, self.last_year)

    def day_kind(self, d: date) -> tuple[DayKind, str]:
        """(kind, name): the holiday's name, or for a make-up day the holiday it makes up for."""
        self._require(d)
        name = self.holidays.get(d) or self._provisional.get(d)
        if name is not None:
            return DayKind.HOLIDAY, name
        name = self.makeup_workdays.get(d)
        if name is not None:
            return DayKind.MAKEUP_WORKDAY, name
        if d.weekday() >= 5:
            return DayKind.WEEKEND, ""
        return DayKind.WORKDAY, ""

    def is_working_day(self, d: date) -> bool:
        self._require(d)
        return d.toordinal() in self._working_set

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted; n=0 is start)."""
        if n < 0:
            raise ValueError("工作日数不能为负数")
        if n == 0:
            return start
        after = start + timedelta(days=1) if start < date.max else start
        self._require(after)
        index = bisect_right(self._working, start.toordinal()) + n - 1
        if index >= len(self._working):
            raise CalendarNotCovered(
                date(self.counting_last_year + 1, 1, 1), self.first_year, self.last_year
            )
        return date.fromordinal(self._working[index])

    def provisional_years_in(self, start: date, end: date) -> tuple[int, ...]:
        """The provisional years that days in (start, end] fall into."""
        if end <= start:
            return ()
        first = max((start + timedelta(days=1)).year, self.last_year + 1)
        return tuple(range(first, min(end.year, self.counting_last_year) + 1))

    def due(self, start: date, n: int) -> Due:
        """The n-th working day after ``start``, marked provisional when the count runs through
        a year whose notice is not loaded."""
        on = self.add_working_days(start, n)
        years = self.provisional_years_in(start, on)
        return Due(on, bool(years), provisional_reason(years))

    def count_working_days(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative (−count in (end, start]) when end < start."""
        if end < start:
            return -self.count_working_days(end, start)
        if end == start:
            return 0
        self._require(start + timedelta(days=1))
        self._require(end)
        return bisect_right(self._working, end.toordinal()) - bisect_right(
            self._working, start.toordinal()
        )

    def working_days_in_year(self, year: int) -> int:
        return self.count_working_days(date(year - 1, 12, 31), date(year, 12, 31))
