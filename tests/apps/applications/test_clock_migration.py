"""Migration 0014 (ADR 0190) on data: cases with clock rows at the previous migration — some of
them with steps that had lost a date the clock kept, as data recorded before the steps were
the deadline's inputs could be — keep every deadline once the clock rows are gone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.apps.applications.models import Application, CaseStep
from gongkai.apps.applications.selectors import application_deadline
from gongkai.apps.workcalendar.selectors import deadline_for
from gongkai.domain.deadlines import CaseEvent, EventKind
from tests.apps.applications.test_clock_projection import SCENARIOS, _case, d

BEFORE = [("applications", "0013_drop_step_columns")]
AFTER = [("applications", "0014_clock_from_steps")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _clock_deadline(ClockEvent, app):
    """The deadline as the engine gave it from the clock rows."""
    rows = ClockEvent.objects.filter(application_id=app.pk).order_by("on", "id")
    events = [CaseEvent(EventKind(r.kind), r.on, r.working_days, r.until, r.reason) for r in rows]
    return deadline_for(received=app.received_on, events=events)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_deadline(world):
    cases = {name: build(world, _case(world)) for name, build in SCENARIOS.items()}
    try:
        old = _migrate(BEFORE)  # backwards: the clock rows made again from the steps
        ClockEvent = old.get_model("applications", "ClockEvent")
        OldStep = old.get_model("applications", "CaseStep")
        # the rows the services wrote beside the steps
        fee = cases["fee_posted_served_paid"]
        assert list(
            ClockEvent.objects.filter(application_id=fee.pk)
            .order_by("on", "id")
            .values_list("kind", "on", "reason")
        ) == [
            ("pause_start", d(10, 15), "fee"),
            ("served", d(10, 19), "fee"),
            ("pause_end", d(10, 30), "fee"),
        ]
        extended = cases["extension_approved"]
        assert list(
            ClockEvent.objects.filter(application_id=extended.pk).values_list(
                "kind", "on", "working_days"
            )
        ) == [("extension", d(10, 28), 15)]

        # steps that lost what the clock kept
        served = OldStep.objects.get(application_id=cases["fee_posted_served"].pk, kind="fee")
        served.details = {**served.details, "served_on": None}
        served.save()
        OldStep.objects.filter(
            application_id=cases["two_consultations"].pk,
            kind="consultation",
            details__consult_kind="other_agency",
        ).delete()
        OldStep.objects.filter(application_id=extended.pk, kind="extension").update(ended_on=None)
        OldStep.objects.filter(
            application_id=cases["correction_received"].pk, kind="correction"
        ).update(started_on=d(10, 16), until=d(10, 30))
        OldStep.objects.filter(application_id=cases["correction_pending"].pk).delete()
        # and a step the clock never counted
        OldStep.objects.create(
            application_id=cases["reasons_deferral"].pk,
            kind="consultation",
            started_on=d(10, 15),
            ended_on=d(10, 16),
            party="市规划局",
            details={"consult_kind": "other_agency"},
        )
        before = {name: _clock_deadline(ClockEvent, app) for name, app in cases.items()}
        assert before["fee_posted_served"].due == d(12, 7)  # paused until the fee is paid
        _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    for name, app in cases.items():
        stored = Application.objects.get(pk=app.pk)
        assert application_deadline(stored) == before[name], name
        assert stored.due_date == before[name].due, name
    fee_step = CaseStep.objects.get(application=cases["fee_posted_served"], kind="fee")
    assert fee_step.details["served_on"] == "2026-10-19"
    again = CaseStep.objects.filter(application=cases["two_consultations"], kind="consultation")
    assert [(s.details["consult_kind"], s.started_on, s.ended_on) for s in again] == [
        ("other_agency", d(10, 13), d(10, 15)),
        ("third_party", d(10, 19), d(11, 2)),
    ]
    assert CaseStep.objects.get(application=extended, kind="extension").ended_on == d(10, 28)
    correction = CaseStep.objects.get(application=cases["correction_received"], kind="correction")
    assert (correction.started_on, correction.until) == (d(10, 14), d(10, 23))
    pending = CaseStep.objects.get(application=cases["correction_pending"], kind="correction")
    assert (pending.started_on, pending.until, pending.ended_on) == (d(10, 14), d(10, 23), None)
    kept = CaseStep.objects.get(
        application=cases["reasons_deferral"], kind="consultation", party="市规划局"
    )
    assert kept.details["clock"] is False  # still on the case page, not in the deadline
    assert dt.date(2026, 12, 4) == Application.objects.get(pk=cases["reasons_deferral"].pk).due_date
