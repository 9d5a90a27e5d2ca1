import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gongkai.domain.workdays import CalendarNotCovered, DayKind, WorkCalendar
from tests.domain.calendars import official_calendar

D = dt.date
CAL = official_calendar()


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        (D(2019, 10, 1), DayKind.HOLIDAY, "国庆节"),
        (D(2019, 9, 29), DayKind.MAKEUP_WORKDAY, "国庆节"),  # a Sunday worked for 国庆
        (D(2024, 2, 4), DayKind.MAKEUP_WORKDAY, "春节"),
        (D(2025, 1, 26), DayKind.MAKEUP_WORKDAY, "春节"),
        (D(2026, 1, 1), DayKind.HOLIDAY, "元旦"),
        (D(2026, 1, 4), DayKind.MAKEUP_WORKDAY, "元旦"),
        (D(2024, 2, 9), DayKind.WORKDAY, ""),  # 除夕 2024 was not a day off
        (D(2024, 2, 17), DayKind.HOLIDAY, "春节"),  # a Saturday inside the holiday
        (D(2020, 2, 1), DayKind.HOLIDAY, "春节延长"),  # was a make-up day before the extension
        (D(2015, 9, 3), DayKind.HOLIDAY, "抗战胜利纪念日"),
        (D(2015, 9, 6), DayKind.MAKEUP_WORKDAY, "抗战胜利纪念日"),
        (D(2022, 12, 31), DayKind.HOLIDAY, "元旦"),  # the 2023 New Year holiday began in 2022
        (D(2024, 11, 16), DayKind.WEEKEND, ""),
        (D(2024, 11, 20), DayKind.WORKDAY, ""),
    ],
    ids=lambda v: str(v),
)
def test_day_kinds_follow_the_state_council_notices(day, kind, name):
    assert CAL.day_kind(day) == (kind, name)
    assert CAL.is_working_day(day) is kind.is_working


@pytest.mark.parametrize(
    ("year", "working_days"),
    # 2024: 262 weekdays − 19 holiday weekdays + 8 make-up days; 2025: 261 − 18 + 5
    [(2024, 251), (2025, 248)],
)
def test_working_days_per_year_match_the_published_totals(year, working_days):
    assert CAL.working_days_in_year(year) == working_days


def test_counting_conventions():
    friday = D(2024, 11, 22)
    assert CAL.add_working_days(friday, 0) == friday
    assert CAL.add_working_days(friday, 1) == D(2024, 11, 25)  # the start is never counted
    assert CAL.next_working_day(friday) == D(2024, 11, 25)
    assert CAL.next_working_day(D(2024, 9, 28)) == D(2024, 9, 29)  # a make-up Sunday
    assert CAL.count_working_days(friday, D(2024, 11, 25)) == 1
    assert CAL.count_working_days(friday, friday) == 0
    assert CAL.count_working_days(D(2024, 11, 25), friday) == -1
    with pytest.raises(ValueError, match="负数"):
        CAL.add_working_days(friday, -1)


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.is_working_day(D(2027, 1, 4)),
        lambda: CAL.day_kind(D(2027, 2, 1)),
        lambda: CAL.add_working_days(D(2026, 12, 10), 20),
        lambda: CAL.next_working_day(D(2026, 12, 31)),
        lambda: CAL.count_working_days(D(2026, 12, 1), D(2027, 1, 8)),
    ],
    ids=[
        "is-working-day",
        "day-kind",
        "add-runs-into-2027",
        "next-from-last-day",
        "count-into-2027",
    ],
)
def test_uncovered_year_raises_and_names_it_never_falls_back_to_monday_friday(call):
    with pytest.raises(CalendarNotCovered, match="2027年") as exc:
        call()
    assert exc.value.year == 2027
    assert "2004—2026" in str(exc.value)


def test_years_before_the_calendar_are_not_covered_either():
    with pytest.raises(CalendarNotCovered, match="2003年"):
        CAL.is_working_day(D(2003, 12, 31))
    # counting from the last day of 2003 only looks at 2004, which is covered
    assert CAL.add_working_days(D(2003, 12, 31), 1) == D(2004, 1, 2)
    with pytest.raises(CalendarNotCovered, match="2003年"):
        CAL.add_working_days(D(2003, 12, 30), 1)


@pytest.mark.parametrize(
    ("holidays", "makeup", "message"),
    [
        ({}, {D(2030, 1, 2): "元旦"}, "调休上班只能安排在周六或周日"),
        ({D(2030, 1, 5): "元旦"}, {D(2030, 1, 5): "元旦"}, "不能既是节假日又是调休上班日"),
        ({D(2031, 1, 1): "元旦"}, {}, "不在日历覆盖的2030—2030年之内"),
        ({D(2030, 1, 1): ""}, {}, "缺少名称"),
    ],
    ids=["makeup-on-weekday", "both-kinds", "outside-years", "nameless"],
)
def test_inconsistent_calendar_data_is_refused(holidays, makeup, message):
    with pytest.raises(ValueError, match=message):
        WorkCalendar(2030, 2030, holidays, makeup)


def test_from_entries_leaves_out_unconfirmed_years_and_rejects_unknown_kinds():
    cal = WorkCalendar.from_entries(
        2030,
        2030,
        [(D(2030, 1, 1), "holiday", "元旦"), (D(2031, 1, 1), "holiday", "元旦")],
    )
    assert dict(cal.holidays) == {D(2030, 1, 1): "元旦"}
    with pytest.raises(ValueError, match="未知的日期类型"):
        WorkCalendar.from_entries(2030, 2030, [(D(2030, 1, 1), "vacation", "元旦")])


# ── properties ───────────────────────────────────────────────────────────────────────────

# late enough for the whole range, early enough that start + 80 working days stays in 2026
days_2004_2026 = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 8, 1))
small_n = st.integers(min_value=0, max_value=40)


@given(start=days_2004_2026, n=small_n, m=small_n)
def test_adding_n_then_m_equals_adding_n_plus_m(start, n, m):
    assert CAL.add_working_days(CAL.add_working_days(start, n), m) == CAL.add_working_days(
        start, n + m
    )


@given(start=days_2004_2026, n=st.integers(min_value=1, max_value=60))
def test_the_result_is_always_a_working_day_and_counts_back_to_n(start, n):
    result = CAL.add_working_days(start, n)
    assert CAL.is_working_day(result)
    assert CAL.count_working_days(start, result) == n
    # and the day before it has one working day fewer
    assert CAL.count_working_days(start, result - dt.timedelta(days=1)) == n - 1


def _naive_add(cal: WorkCalendar, start: dt.date, n: int) -> dt.date:
    """Day by day, as a person counts on the notice: weekend unless make-up, never a holiday."""
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day in cal.makeup_workdays or (day not in cal.holidays and day.weekday() < 5):
            counted += 1
    return day


@st.composite
def synthetic_calendars(draw):
    first = D(2030, 1, 1)
    span = [first + dt.timedelta(days=i) for i in range(730)]
    holidays = draw(st.sets(st.sampled_from(span), max_size=60))
    weekends = [d for d in span if d.weekday() >= 5 and d not in holidays]
    makeup = draw(st.sets(st.sampled_from(weekends), max_size=20))
    return WorkCalendar(2030, 2031, {d: "节日" for d in holidays}, {d: "节日" for d in makeup})


@settings(max_examples=60)
@given(
    cal=synthetic_calendars(),
    offset=st.integers(min_value=0, max_value=600),
    n=st.integers(min_value=1, max_value=40),
)
def test_fast_counting_agrees_with_counting_day_by_day(cal, offset, n):
    start = D(2030, 1, 1) + dt.timedelta(days=offset)
    expected = _naive_add(cal, start, n)
    assume(expected.year <= 2031)
    assert cal.add_working_days(start, n) == expected
    assert cal.count_working_days(start, expected) == n


@given(day=st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 12, 1)))
def test_next_working_day_skips_only_non_working_days(day):
    nxt = CAL.next_working_day(day)
    assert nxt > day and CAL.is_working_day(nxt)
    between = day + dt.timedelta(days=1)
    while between < nxt:
        assert not CAL.is_working_day(between)
        between += dt.timedelta(days=1)
