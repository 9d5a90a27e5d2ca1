"""Statutory holidays of the 放假办法 and provisional counting past the loaded years."""

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.holidays import measures_for, provisional_reason, statutory_holidays
from gongkai.domain.workdays import CalendarNotCovered, DayKind, Due, WorkCalendar

D = dt.date
OFFICIAL = Path(__file__).resolve().parents[2] / "src/gongkai/apps/workcalendar/data/official.json"


def days(year: int) -> dict[dt.date, str]:
    return dict(statutory_holidays(year))


# published lunar calendars: 春节 (正月初一), 清明, 端午, 中秋 of each year
KNOWN = {
    2027: (D(2027, 2, 6), D(2027, 4, 5), D(2027, 6, 9), D(2027, 9, 15)),
    2028: (D(2028, 1, 26), D(2028, 4, 4), D(2028, 5, 28), D(2028, 10, 3)),
    2029: (D(2029, 2, 13), D(2029, 4, 4), D(2029, 6, 16), D(2029, 9, 22)),
    2030: (D(2030, 2, 3), D(2030, 4, 5), D(2030, 6, 5), D(2030, 9, 12)),
    2031: (D(2031, 1, 23), D(2031, 4, 5), D(2031, 6, 24), D(2031, 10, 1)),
}


@pytest.mark.parametrize("year", sorted(KNOWN))
def test_the_2025_measures_give_the_statutory_days(year):
    new_year, qingming, dragon, autumn = KNOWN[year]
    holidays = days(year)
    eve = new_year - dt.timedelta(days=1)
    assert [d for d, n in holidays.items() if n == "春节"] == [
        eve + dt.timedelta(days=i) for i in range(4)
    ]
    assert holidays[D(year, 1, 1)] == "元旦"
    assert holidays[qingming] == "清明节"
    assert holidays[D(year, 5, 1)] == holidays[D(year, 5, 2)] == "劳动节"
    assert holidays[dragon] == "端午节"
    assert all("国庆节" in holidays[D(year, 10, i)] for i in (1, 2, 3))
    assert "中秋节" in holidays[autumn]  # "中秋节、国庆节" when they coincide
    # 13 days unless 中秋 falls on 1–3 October
    assert len(holidays) == (12 if D(year, 10, 1) <= autumn <= D(year, 10, 3) else 13)


def test_versions_of_the_measures():
    assert "795" in measures_for(2025).name and "644" in measures_for(2024).name
    assert len(days(2024)) == 11  # 春节 3 days and 劳动节 1 day before 2025
    with pytest.raises(ValueError, match="2013年"):
        measures_for(2013)


@pytest.mark.parametrize("year", range(2014, 2027))
def test_every_statutory_day_is_off_in_the_published_notices(year):
    """Checked against the notices actually loaded (2014–2026): the 办法's days are always a
    subset of the notice's days off (the notice adds bridging days and 调休)."""
    data = json.loads(OFFICIAL.read_text(encoding="utf-8"))
    off = {
        D.fromisoformat(e["date"])
        for e in data["entries"]
        if e["kind"] == "holiday" and e["date"].startswith(str(year))
    }
    assert set(days(year)) <= off


def _calendar(last_year: int = 2026, provisional_years: int = 10) -> WorkCalendar:
    return WorkCalendar(2026, last_year, {D(2026, 1, 1): "元旦"}, {}, provisional_years)


def naive_due(start: dt.date, n: int) -> dt.date:
    """The rule of ADR 0012 written out plainly: Monday–Friday, not a statutory holiday."""
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in days(day.year):
            counted += 1
    return day


@given(
    start=st.dates(min_value=D(2027, 1, 1), max_value=D(2031, 12, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_provisional_counting_is_the_rule_written_out(start, n):
    due = _calendar().due(start, n)
    first_counted = (start + dt.timedelta(days=1)).year
    assert due == Due(
        naive_due(start, n), True, provisional_reason(list(range(first_counted, due.on.year + 1)))
    )


def test_a_count_that_stays_in_loaded_years_is_confirmed():
    calendar = _calendar()
    due = calendar.due(D(2026, 3, 2), 20)
    assert (due.provisional, due.reason) == (False, "")
    crossing = calendar.due(D(2026, 12, 5), 20)
    assert (crossing.on, crossing.provisional) == (D(2027, 1, 4), True)
    assert crossing.reason == provisional_reason([2027])
    assert calendar.day_kind(D(2027, 2, 5)) == (DayKind.HOLIDAY, "春节")
    assert calendar.is_provisional(D(2027, 2, 5)) and not calendar.covers(D(2027, 2, 5))


def test_no_provisional_years_keeps_the_old_refusal_and_the_horizon_is_bounded():
    with pytest.raises(CalendarNotCovered, match="2027年"):
        _calendar(provisional_years=0).add_working_days(D(2026, 12, 20), 10)
    with pytest.raises(CalendarNotCovered):
        _calendar(provisional_years=1).add_working_days(D(2027, 12, 20), 20)
    with pytest.raises(CalendarNotCovered, match="2025年"):
        _calendar().add_working_days(D(2025, 12, 20), 1)
