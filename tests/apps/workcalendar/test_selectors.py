import datetime as dt

import pytest

from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.workcalendar import selectors, services
from gongkai.apps.workcalendar.importing import ImportRow
from gongkai.domain.deadlines import CaseEvent, DeadlineInputError, EventKind
from gongkai.domain.workdays import CalendarNotCovered, DayKind, Due
from tests.domain.calendars import official_calendar

D = dt.date
pytestmark = pytest.mark.django_db


def test_every_install_has_2004_to_2026_and_both_rule_sets():
    cal = selectors.calendar_current()
    assert (cal.first_year, cal.last_year) == (2004, 2026)
    shipped = official_calendar()
    assert dict(cal.holidays) == dict(shipped.holidays)
    assert dict(cal.makeup_workdays) == dict(shipped.makeup_workdays)
    assert cal.day_kind(D(2020, 2, 1)) == (DayKind.HOLIDAY, "春节延长")
    rules = {r.code: r for r in selectors.rulesets()}
    assert (rules["2008"].answer_days, rules["2008"].extension_max_days) == (15, 15)
    r = rules["2019"]
    assert (
        r.answer_days,
        r.extension_max_days,
        r.correction_notice_days,
        r.third_party_days,
        r.other_agency_days,
        r.fee_payment_days,
    ) == (20, 20, 7, 15, 15, 20)
    assert rules["2008"].pause_reasons == ("third_party",)
    assert selectors.ruleset_for_date(D(2019, 5, 14)).code == "2008"
    assert selectors.ruleset_for_date(D(2019, 5, 15)).code == "2019"


def test_the_calendar_is_cached_per_process_with_one_version_query(django_assert_num_queries):
    first = selectors.calendar_current()
    with django_assert_num_queries(1):
        assert selectors.calendar_current() is first
    with django_assert_num_queries(1):
        selectors.deadline_for(received=D(2024, 9, 27), events=[])


def test_a_change_is_seen_at_once_and_inside_its_own_transaction(world, listeners):
    seen = []
    listeners.append(lambda changed, actor: seen.append(selectors.is_working_day(D(2024, 11, 20))))
    assert selectors.is_working_day(D(2024, 11, 20))
    services.calendar_entry_save(
        actor=world.admin, day=D(2024, 11, 20), kind="holiday", name="测试假日"
    )
    assert seen == [False]
    assert not selectors.is_working_day(D(2024, 11, 20))


def test_another_process_changing_the_version_row_invalidates_the_copy():
    from gongkai.apps.workcalendar.models import CalendarEntry, CalendarVersion

    assert selectors.is_working_day(D(2024, 11, 20))
    # what another process does: write rows and a new token, without touching our memory
    CalendarEntry.objects.create(day=D(2024, 11, 20), kind="holiday", name="测试假日")
    CalendarVersion.objects.filter(pk=1).update(token="other-process")
    assert not selectors.is_working_day(D(2024, 11, 20))


def test_deadline_for_uses_the_rule_in_force_and_allows_other_periods():
    assert selectors.deadline_for(received=D(2024, 9, 27), events=[]).due == D(2024, 10, 30)
    assert selectors.deadline_for(received=D(2018, 3, 1), events=[]).rule.code == "2008"
    # the mailbox and inspections count their own periods on the same calendar
    assert selectors.deadline_for(received=D(2024, 9, 27), events=[], working_days=3).due == D(
        2024, 10, 8
    )
    assert selectors.add_working_days(D(2024, 9, 27), 20) == D(2024, 10, 30)
    with pytest.raises(DeadlineInputError):
        selectors.deadline_for(received=D(2024, 9, 27), events=[], working_days=0)
    with pytest.raises(DeadlineInputError, match="2019"):
        selectors.ruleset_by_code("2030")
    extended = selectors.deadline_for(
        received=D(2024, 9, 27),
        events=[CaseEvent(EventKind.EXTENSION, D(2024, 10, 9), working_days=20)],
    )
    assert extended.due == D(2024, 11, 27)


def test_counting_into_2027_is_provisional_until_2027_is_loaded(world):
    due = selectors.due_after(D(2026, 12, 20), 10)
    # 21–25 Dec 1–5, 28–31 Dec 6–9, (1 Jan 元旦 by the 放假办法), 4 Jan 10
    assert (due.on, due.provisional) == (D(2027, 1, 4), True)
    assert due.reason.startswith("暂定：2027年的国务院节假日安排尚未载入")
    assert due.label == "2027年1月4日（暂定）"
    assert selectors.due_after(D(2026, 12, 1), 10).provisional is False
    with pytest.raises(CalendarNotCovered, match="2003年"):
        selectors.add_working_days(D(2003, 5, 1), 10)
    services.calendar_import(
        actor=world.admin,
        rows=[
            ImportRow(1, D(2027, 1, 1), "holiday", "元旦"),
            ImportRow(2, D(2027, 2, 6), "holiday", "春节"),
        ],
        notice="国务院办公厅关于2027年部分节假日安排的通知",
    )
    assert selectors.due_after(D(2026, 12, 20), 10) == Due(D(2027, 1, 4))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 10, 31), None),
        (D(2026, 11, 1), (2027, "warn")),
        (D(2026, 11, 27), (2027, "warn")),
        (D(2026, 12, 31), (2027, "warn")),
        (D(2027, 1, 4), (2027, "danger")),
        (D(2025, 11, 15), None),
    ],
    ids=["october", "first-of-november", "today", "new-years-eve", "into-2027", "2025-has-2026"],
)
def test_coverage_warning_from_the_first_of_november(today, expected):
    warning = selectors.calendar_coverage_warning(today)
    if expected is None:
        assert warning is None
    else:
        assert (warning.year, warning.tone) == expected
        assert "2027年节假日安排尚未载入" in warning.message


def test_the_warning_stops_once_next_year_is_confirmed():
    services.calendar_import(
        actor=SYSTEM, rows=[ImportRow(1, D(2027, 1, 1), "holiday", "元旦")], notice="通知"
    )
    assert selectors.calendar_coverage_warning(D(2026, 11, 27)) is None


def test_year_view_lays_out_months_and_marks_drafts(world):
    view = selectors.calendar_year_view(2024)
    assert view.covered and view.working_days == 251
    october = view.months[9]
    cells = {c.day: c for week in october.weeks for c in week if c.day}
    assert cells[D(2024, 10, 1)].kind == "holiday" and cells[D(2024, 10, 1)].name == "国庆节"
    assert cells[D(2024, 10, 12)].kind == "makeup_workday"
    assert cells[D(2024, 10, 12)].label == "10月12日 星期六 调休上班（国庆节）"
    assert ("国庆节", D(2024, 10, 1), D(2024, 10, 7), 7) in view.holiday_runs
    services.calendar_import(
        actor=world.admin,
        rows=[ImportRow(1, D(2027, 1, 1), "holiday", "元旦")],
        confirm=False,
    )
    draft = selectors.calendar_year_view(2027)
    assert not draft.covered and draft.working_days is None
    assert draft.months[0].weeks[0][4].draft  # 1 Jan 2027 is a Friday
    assert selectors.draft_years() == [2027]
    empty = selectors.calendar_year_view(2030)
    assert not empty.entries and all(c.kind == "" for w in empty.months[0].weeks for c in w)


def _post_migrate():
    from django.apps import apps
    from django.db.models.signals import post_migrate

    config = apps.get_app_config("workcalendar")
    post_migrate.send(
        sender=config,
        app_config=config,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )


def test_a_flushed_database_gets_the_shipped_calendar_back():
    from gongkai.apps.workcalendar.models import (
        CalendarEntry,
        CalendarVersion,
        CalendarYear,
        DeadlineRule,
    )

    CalendarEntry.objects.filter(day=D(2024, 10, 1)).update(name="改过的名称")
    _post_migrate()  # data present: nothing happens
    assert CalendarEntry.objects.get(day=D(2024, 10, 1)).name == "改过的名称"
    for model in (CalendarEntry, CalendarYear, DeadlineRule, CalendarVersion):
        model.objects.all().delete()
    _post_migrate()
    assert CalendarEntry.objects.count() == 771
    assert selectors.calendar_current().day_kind(D(2024, 10, 1)) == (DayKind.HOLIDAY, "国庆节")
    assert {r.code for r in selectors.rulesets()} == {"2008", "2019"}
