"""The results deadline follows the official calendar, and moves when the calendar changes."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.apps.inspections.models import InspectionTask, TaskStatus
from gongkai.apps.inspections.services import draw_execute, on_calendar_change, task_freeze
from gongkai.apps.inspections.workqueue import inspections_workqueue
from gongkai.registry import calendar_change_listeners
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


def test_the_listener_is_registered_with_the_calendar():
    assert on_calendar_change in calendar_change_listeners


def test_a_deadline_across_the_national_day_holiday(world):
    # checks end Friday 2026-09-25; counting Monday to Friday would give 2026-10-23, but the
    # 国庆节/中秋节 holiday in early October is skipped, so the official count ends later
    from gongkai.apps.workcalendar.selectors import add_working_days

    task = drawn(world, check_start=dt.date(2026, 9, 1), check_end=dt.date(2026, 9, 25))
    assert task.results_due == add_working_days(dt.date(2026, 9, 25), 20)
    assert task.results_due > dt.date(2026, 10, 23)  # later than a Monday–Friday count


def test_a_deadline_in_an_unloaded_year_is_left_open_with_the_reason(world):
    task = drawn(world, check_start=dt.date(2026, 12, 1), check_end=dt.date(2026, 12, 20))
    assert task.results_due is None
    assert "2027" in task.results_due_note


def test_calendar_changes_move_open_deadlines_only(world, monkeypatch):
    open_task = drawn(world)
    due = open_task.results_due
    from gongkai.apps.inspections.services import deadlines

    monkeypatch.setattr(deadlines, "results_due_for", lambda task: (due + dt.timedelta(days=1), ""))
    from gongkai.apps.inspections.services import tasks as task_services

    monkeypatch.setattr(
        task_services, "results_due_for", lambda task: (due + dt.timedelta(days=1), "")
    )
    InspectionTask.objects.filter(pk=open_task.pk).update(reminder_stage="soon")
    moved = on_calendar_change({due - dt.timedelta(days=3)}, world.admin)
    open_task.refresh_from_db()
    assert (
        moved == 1
        and open_task.results_due == due + dt.timedelta(days=1)
        and open_task.reminder_stage == ""
    )
    assert on_calendar_change({due + dt.timedelta(days=30)}, world.admin) == 0
    InspectionTask.objects.filter(pk=open_task.pk).update(status=TaskStatus.PUBLISHED)
    assert on_calendar_change({due - dt.timedelta(days=3)}, world.admin) == 0


def test_work_queue_shows_sources_to_enter_and_results_due(world):
    task = drawn(world)
    sections = {s.key: s for s in inspections_workqueue(world.officer_a)}
    assert sections["inspections-results"].count == 1
    assert sections["inspections-results"].items[0].due == task.results_due
    assert inspections_workqueue(world.officer_b) == []
    assert {s.key for s in inspections_workqueue(world.supervisor)} == {"inspections-results"}
