"""The deadline's inputs read off a case's steps (ADR 0190)."""

from datetime import date

from gongkai.domain.deadlines import (
    RULESET_2019,
    CaseEvent,
    ClockStep,
    EventKind,
    clock_inputs,
    compute_deadline,
)
from tests.domain.calendars import official_calendar


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def test_each_kind_of_step_gives_its_events_in_date_order():
    steps = [
        ClockStep("correction", d(10, 14), until=d(10, 23), ended_on=d(10, 16)),
        ClockStep("consultation", d(10, 19), ended_on=d(10, 23), reason="other_agency"),
        ClockStep("extension", d(11, 2), ended_on=d(11, 3), outcome="approved", working_days=15),
        ClockStep("fee", d(11, 5), ended_on=d(11, 10), served_on=d(11, 6), outcome="paid"),
        ClockStep("reasons", d(11, 11), until=d(11, 20), ended_on=d(11, 12)),
        ClockStep("deferral", d(11, 12), until=d(12, 18)),
        ClockStep("draft", d(11, 13)),
    ]
    assert clock_inputs(steps) == [
        CaseEvent(EventKind.CORRECTION_NOTICE, d(10, 14), until=d(10, 23)),
        CaseEvent(EventKind.CORRECTION_RECEIVED, d(10, 16)),
        CaseEvent(EventKind.PAUSE_START, d(10, 19), reason="other_agency"),
        CaseEvent(EventKind.PAUSE_END, d(10, 23), reason="other_agency"),
        CaseEvent(EventKind.EXTENSION, d(11, 3), working_days=15),
        CaseEvent(EventKind.PAUSE_START, d(11, 5), reason="fee"),
        CaseEvent(EventKind.SERVED, d(11, 6), reason="fee"),
        CaseEvent(EventKind.PAUSE_END, d(11, 10), reason="fee"),
        CaseEvent(EventKind.DEFERRAL, d(11, 12), until=d(12, 18)),
    ]


def test_open_steps_give_only_their_start():
    steps = [
        ClockStep("correction", d(10, 14), until=d(10, 23)),
        ClockStep("fee", d(10, 26)),
    ]
    assert clock_inputs(steps) == [
        CaseEvent(EventKind.CORRECTION_NOTICE, d(10, 14), until=d(10, 23)),
        CaseEvent(EventKind.PAUSE_START, d(10, 26), reason="fee"),
    ]


def test_only_an_approved_extension_moves_the_deadline():
    pending = ClockStep("extension", d(10, 26), outcome="requested", working_days=15)
    refused = ClockStep("extension", d(10, 26), ended_on=d(10, 28), outcome="rejected")
    approved = ClockStep(
        "extension", d(10, 26), ended_on=d(10, 28), outcome="approved", working_days=15
    )
    assert clock_inputs([pending]) == clock_inputs([refused]) == []
    assert clock_inputs([approved]) == [CaseEvent(EventKind.EXTENSION, d(10, 28), working_days=15)]


def test_a_step_that_never_entered_the_deadline_gives_nothing():
    step = ClockStep("consultation", d(10, 19), ended_on=d(10, 23), reason="third_party")
    assert clock_inputs([ClockStep(**{**step.__dict__, "counts": False})]) == []


def test_a_consultation_ending_the_day_a_fee_notice_goes_out_keeps_its_order():
    steps = [
        ClockStep("consultation", d(10, 13), ended_on=d(10, 15), reason="other_agency"),
        ClockStep("fee", d(10, 15)),
    ]
    assert [(e.kind, e.on) for e in clock_inputs(steps)] == [
        (EventKind.PAUSE_START, d(10, 13)),
        (EventKind.PAUSE_END, d(10, 15)),
        (EventKind.PAUSE_START, d(10, 15)),
    ]


def test_the_deadline_counts_from_the_projection():
    steps = [ClockStep("consultation", d(10, 14), ended_on=d(10, 21), reason="third_party")]
    deadline = compute_deadline(
        received=d(10, 9),
        events=clock_inputs(steps),
        calendar=official_calendar(),
        rules=RULESET_2019,
    )
    # 20 working days from 9 October, less the 5 working days of the consultation (15–21 Oct)
    assert deadline.paused_working_days == 5
    assert deadline.due == d(11, 12)
