import datetime as dt

import pytest
from django.db import connection

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.notifications.models import Notice
from gongkai.apps.notifications.services import notify
from gongkai.apps.workcalendar import selectors, services
from gongkai.apps.workcalendar.errors import CalendarError, CalendarImportError
from gongkai.apps.workcalendar.importing import ImportRow
from gongkai.apps.workcalendar.models import (
    CalendarEntry,
    CalendarVersion,
    CalendarYear,
    DeadlineRule,
)

D = dt.date
pytestmark = pytest.mark.django_db


def _state():
    return (
        list(CalendarEntry.objects.order_by("day").values_list("day", "kind", "name", "source")),
        list(CalendarYear.objects.values_list("year", flat=True)),
        list(DeadlineRule.objects.order_by("code").values()),
        CalendarVersion.objects.get(pk=1).token,
        AuditEvent.objects.count(),
    )


def test_editing_the_calendar_moves_open_deadlines_and_tells_their_handlers(world, listeners):
    """Acceptance: a fake context with two open cases hooks in as the real ones do."""
    cases = {
        "申2026-001": {"received": D(2026, 9, 18), "handler": world.officer_a},  # due 22 Oct
        "申2026-002": {"received": D(2026, 11, 2), "handler": world.officer_b},  # due 30 Nov
    }
    for case in cases.values():
        case["due"] = selectors.deadline_for(received=case["received"], events=[]).due
    assert cases["申2026-001"]["due"] == D(2026, 10, 22)
    calls = []

    def recompute(changed, actor):
        assert connection.in_atomic_block
        calls.append((set(changed), actor))
        for number, case in cases.items():
            new = selectors.deadline_for(received=case["received"], events=[])
            if new.due != case["due"]:
                notify(
                    [case["handler"]],
                    title=f"{number}答复期限由{case['due']:%Y-%m-%d}改为{new.due:%Y-%m-%d}",
                    kind="deadline_moved",
                )
                case["due"] = new.due

    listeners.append(recompute)
    # an extra day off on Thursday 8 Oct 2026 (the 9th working day of the first case)
    services.calendar_entry_save(
        actor=world.admin, day=D(2026, 10, 8), kind="holiday", name="国庆节", source="补充通知"
    )
    assert calls == [({D(2026, 10, 8)}, world.admin)]
    assert cases["申2026-001"]["due"] == D(2026, 10, 23)
    assert cases["申2026-002"]["due"] == D(2026, 11, 30)
    notices = list(Notice.objects.values_list("user__username", "title"))
    assert notices == [("officer_a", "申2026-001答复期限由2026-10-22改为2026-10-23")]
    explained = selectors.deadline_for(received=D(2026, 9, 18), events=[]).explain()
    assert "不计入：2026年10月1日至10月8日，国庆节（8天）。" in explained
    event = AuditEvent.objects.get(action="calendar_entry.save")
    assert event.actor_id == world.admin.pk
    assert '"name":"国庆节"' in event.after.replace(" ", "")


def test_a_failing_listener_rolls_the_change_back(world, listeners):
    def broken(changed, actor):
        raise RuntimeError("recompute failed")

    listeners.append(broken)
    assert selectors.is_working_day(D(2024, 11, 20))
    before = _state()
    with pytest.raises(RuntimeError):
        services.calendar_entry_save(
            actor=world.admin, day=D(2024, 11, 20), kind="holiday", name="测试"
        )
    assert _state() == before
    assert selectors.is_working_day(D(2024, 11, 20))  # no stale copy in this process


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"day": D(2024, 11, 20), "kind": "workday", "name": "春节"}, "只能是周六或周日"),
        ({"day": D(2024, 11, 20), "kind": "holiday", "name": " "}, "缺少节日名称"),
        ({"day": D(2024, 11, 20), "kind": "vacation", "name": "春节"}, "类型“vacation”不对"),
        ({"day": D(2024, 10, 1), "kind": "holiday", "name": "国庆节"}, "已有安排"),
    ],
    ids=["makeup-on-a-weekday", "nameless", "unknown-kind", "duplicate-day"],
)
def test_bad_entries_are_refused_in_chinese_and_nothing_changes(world, listeners, kwargs, message):
    called = []
    listeners.append(lambda changed, actor: called.append(changed))
    before = _state()
    with pytest.raises(CalendarError, match=message):
        services.calendar_entry_save(actor=world.admin, **kwargs)
    assert _state() == before
    assert called == []


def test_editing_and_deleting_an_entry_are_audited_and_recomputed(world, listeners):
    changes = []
    listeners.append(lambda changed, actor: changes.append(changed))
    services.calendar_entry_save(
        actor=world.admin,
        original_day=D(2024, 10, 12),
        day=D(2024, 10, 13),
        kind="workday",
        name="国庆节",
    )
    assert not CalendarEntry.objects.filter(day=D(2024, 10, 12)).exists()
    assert selectors.is_working_day(D(2024, 10, 13))
    assert not selectors.is_working_day(D(2024, 10, 12))
    services.calendar_entry_delete(actor=world.admin, day=D(2024, 10, 13))
    assert not selectors.is_working_day(D(2024, 10, 13))
    assert changes == [{D(2024, 10, 12), D(2024, 10, 13)}, {D(2024, 10, 13)}]
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendar_entry")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["calendar_entry.save", "calendar_entry.delete"]
    with pytest.raises(CalendarError, match="没有节假日安排"):
        services.calendar_entry_delete(actor=world.admin, day=D(2024, 10, 13))


def test_saving_an_unchanged_entry_changes_nothing(world, listeners):
    called = []
    listeners.append(lambda changed, actor: called.append(changed))
    entry = CalendarEntry.objects.get(day=D(2024, 10, 1))
    before = _state()
    services.calendar_entry_save(
        actor=world.admin,
        original_day=entry.day,
        day=entry.day,
        kind=entry.kind,
        name=entry.name,
        source=entry.source,
    )
    assert _state() == before and called == []


def test_draft_entries_of_an_unconfirmed_year_do_not_count_until_confirmed(world, listeners):
    changes = []
    listeners.append(lambda changed, actor: changes.append(changed))
    services.calendar_entry_save(actor=world.admin, day=D(2027, 1, 1), kind="holiday", name="元旦")
    assert changes == []  # nothing counts in 2027 yet
    with pytest.raises(CalendarError, match="下一个应载入的是2027年"):
        services.calendar_year_confirm(actor=world.admin, year=2028, notice="通知")
    services.calendar_year_confirm(
        actor=world.admin, year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知"
    )
    assert len(changes) == 1 and len(changes[0]) == 365 and D(2027, 7, 1) in changes[0]
    assert selectors.calendar_current().last_year == 2027
    assert not selectors.is_working_day(D(2027, 1, 1))
    year = CalendarYear.objects.get(year=2027)
    assert year.confirmed_by == world.admin
    assert AuditEvent.objects.filter(action="calendar_year.confirm").count() == 1
    with pytest.raises(CalendarError, match="已经确认"):
        services.calendar_year_confirm(actor=world.admin, year=2027, notice="通知")


def test_an_empty_year_cannot_be_confirmed(world):
    with pytest.raises(CalendarError, match="还没有任何节假日安排"):
        services.calendar_year_confirm(actor=world.admin, year=2027, notice="通知")
    assert not CalendarYear.objects.filter(year=2027).exists()


ROWS_2027 = [
    ImportRow(2, D(2027, 1, 1), "holiday", "元旦"),
    ImportRow(3, D(2027, 2, 6), "holiday", "春节"),
    ImportRow(4, D(2027, 2, 7), "holiday", "春节"),
    ImportRow(5, D(2027, 2, 20), "workday", "春节"),
]


def test_import_is_all_or_nothing_and_idempotent(world, listeners):
    changes = []
    listeners.append(lambda changed, actor: changes.append(changed))
    result = services.calendar_import(
        actor=world.admin, rows=ROWS_2027, notice="2027年通知", filename="2027.csv"
    )
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert result.years_confirmed == [2027]
    assert len(changes) == 1 and D(2027, 12, 31) in changes[0]
    assert CalendarEntry.objects.get(day=D(2027, 2, 20)).source == "2027年通知"
    before = _state()
    again = services.calendar_import(actor=world.admin, rows=ROWS_2027, notice="2027年通知")
    assert not again.changed and again.unchanged == 4
    assert _state() == before and len(changes) == 1
    event = AuditEvent.objects.get(action="calendar.import")
    assert "2027.csv" in event.object_label


def test_import_updates_and_replaces_within_the_files_years(world, listeners):
    changes = []
    listeners.append(lambda changed, actor: changes.append(changed))
    services.calendar_import(actor=world.admin, rows=ROWS_2027, notice="2027年通知")
    revised = [
        ImportRow(2, D(2027, 1, 1), "holiday", "元旦"),
        ImportRow(3, D(2027, 2, 6), "holiday", "春节"),
        ImportRow(4, D(2027, 2, 7), "holiday", "春节"),
        ImportRow(5, D(2027, 2, 8), "holiday", "春节"),
    ]
    result = services.calendar_import(
        actor=world.admin, rows=revised, notice="修订通知", replace=True
    )
    assert (result.created, result.deleted) == (1, 1)
    assert not CalendarEntry.objects.filter(day=D(2027, 2, 20)).exists()
    assert changes[-1] == {D(2027, 2, 8), D(2027, 2, 20)}
    # entries of other years are never touched by a replace
    assert CalendarEntry.objects.filter(day=D(2026, 10, 1)).exists()


def test_import_refuses_inconsistent_data_and_gaps_storing_nothing(world, listeners):
    before = _state()
    with pytest.raises(CalendarImportError, match="下一个应载入的是2027年"):
        services.calendar_import(
            actor=world.admin, rows=[ImportRow(1, D(2028, 1, 1), "holiday", "元旦")]
        )
    assert _state() == before


def test_rule_sets_are_edited_as_data_and_overlaps_refused(world, listeners):
    changes = []
    listeners.append(lambda changed, actor: changes.append(changed))
    fields = dict(
        code="2030",
        name="修订后的条例",
        valid_from=D(2030, 1, 1),
        valid_to=None,
        answer_days=15,
        extension_max_days=15,
        correction_notice_days=5,
        third_party_days=10,
        other_agency_days=10,
        fee_payment_days=20,
        pause_reasons="third_party,fee",
    )
    before = _state()
    with pytest.raises(CalendarError, match="重叠"):
        services.deadline_rule_save(actor=world.admin, **fields)
    assert _state() == before
    current = DeadlineRule.objects.get(code="2019")
    services.deadline_rule_save(
        actor=world.admin,
        original_code="2019",
        **{**{f: getattr(current, f) for f in services.RULE_FIELDS}, "valid_to": D(2029, 12, 31)},
    )
    services.deadline_rule_save(actor=world.admin, **fields)
    assert [r.code for r in selectors.rulesets()] == ["2008", "2019", "2030"]
    assert selectors.ruleset_for_date(D(2030, 3, 1)).pause_reasons == ("third_party", "fee")
    assert AuditEvent.objects.filter(action="deadline_rule.save").count() == 2
    assert D(2019, 5, 15) in changes[0]
    with pytest.raises(CalendarError, match="不计入情形“holiday”不对"):
        services.deadline_rule_save(
            actor=world.admin, original_code="2030", **{**fields, "pause_reasons": "holiday"}
        )
