"""The results deadline follows the official calendar, and moves when the calendar changes."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.inspections.models import InspectionTask, TaskStatus
from gongkai.apps.inspections.services import TASK_DUES, draw_execute, task_freeze
from gongkai.apps.inspections.workqueue import inspections_workqueue
from gongkai.apps.workcalendar import selectors
from gongkai.apps.workcalendar.services import calendar_entry_delete, calendar_entry_save
from gongkai.registry import due_sources
from tests.apps.inspections.factories import OBSERVED, make_setup, sources

pytestmark = pytest.mark.django_db


def drawn(world, **kw):
    setup = make_setup(world)
    task = task_freeze(
        actor=world.officer_a,
        task=setup.task(**kw),
        sources=sources(dt.date(2026, 11, 29)),
        today=dt.date(2026, 11, 27),
    )
    return draw_execute(
        actor=world.officer_a, task=task, observed=OBSERVED, today=dt.date(2026, 11, 29)
    )


def test_the_tasks_are_a_due_source_of_the_calendar():
    assert due_sources["inspections"] is TASK_DUES


def test_a_deadline_across_the_national_day_holiday(world):
    # checks end Friday 2026-09-25; counting Monday to Friday would give 2026-10-23, but the
    # 国庆节/中秋节 holiday in early October is skipped, so the official count ends later
    from gongkai.apps.workcalendar.selectors import add_working_days

    task = drawn(world, check_start=dt.date(2026, 9, 1), check_end=dt.date(2026, 9, 25))
    assert task.due_date == add_working_days(dt.date(2026, 9, 25), 20)
    assert task.due_date > dt.date(2026, 10, 23)  # later than a Monday–Friday count


def test_a_deadline_in_an_unloaded_year_is_provisional_with_the_reason(world):
    task = drawn(world, check_start=dt.date(2026, 12, 1), check_end=dt.date(2026, 12, 20))
    # 12/21–25 (5), 12/28–31 (9), 1/1 元旦, 1/4–8 (14), 1/11–15 (19), 1/18 (20)
    assert (task.due_date, task.due_provisional) == (dt.date(2027, 1, 18), True)
    assert task.due_reason.startswith("暂定：2027年的国务院节假日安排尚未载入")


def test_calendar_changes_move_open_deadlines_only(world):
    open_task = drawn(world)
    due = open_task.due_date
    InspectionTask.objects.filter(pk=open_task.pk).update(reminder_stage="soon")
    calendar_entry_save(actor=world.admin, day=due, kind="holiday", name="测试假日")
    open_task.refresh_from_db()
    assert open_task.due_date == selectors.add_working_days(due, 1) > due
    assert open_task.reminder_stage == ""
    assert AuditEvent.objects.filter(
        action="inspection_task.deadline_recompute", object_id=str(open_task.pk)
    ).exists()
    moved_to = open_task.due_date
    later = moved_to + dt.timedelta(days=30)
    while not selectors.is_working_day(later):
        later += dt.timedelta(days=1)
    calendar_entry_save(actor=world.admin, day=later, kind="holiday", name="测试假日")
    open_task.refresh_from_db()
    assert open_task.due_date == moved_to  # a change after the deadline cannot move it
    InspectionTask.objects.filter(pk=open_task.pk).update(status=TaskStatus.PUBLISHED)
    calendar_entry_delete(actor=world.admin, day=due)
    open_task.refresh_from_db()
    assert open_task.due_date == moved_to  # published results are history


def test_work_queue_shows_sources_to_enter_and_results_due(world):
    task = drawn(world)
    sections = {s.key: s for s in inspections_workqueue(world.officer_a)}
    assert sections["inspections-results"].count == 1
    assert sections["inspections-results"].items[0].due == task.due_date
    assert inspections_workqueue(world.officer_b) == []
    assert {s.key for s in inspections_workqueue(world.supervisor)} == {"inspections-results"}
