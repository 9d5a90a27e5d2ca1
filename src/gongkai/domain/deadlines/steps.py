"""The deadline's inputs as a projection of a case's steps (ADR 0190).

A case records each step it took — 补正, 征求意见, 延期, 收费, 延迟答复 … — once, with its dates;
the events the deadline engine counts from are read off those steps, never kept beside them:

- 补正: the notice on the day it was sent, with the date it set (``until``); the corrected
  request on the day the step ended (the answer period restarts from it);
- 征求意见: a pause from the day the letter went out to the day the opinion came (or the time
  ran out), for the third party or the other agency the step names;
- 收费: a pause from the day the notice was sent to the day of payment, and the day the notice
  was served (送达), from which the payment period runs;
- 延期: the approved extension on the day of the decision, with its working days (a request
  still pending or refused counts for nothing);
- 延迟答复 (第三十五条): the later answer date on the day it was set.

说明理由 and the reply draft do not move the deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from gongkai.domain.deadlines.rules import CaseEvent, EventKind, PauseReason

# the kinds of step (``applications.StepKind``) that enter the deadline
CORRECTION = "correction"
CONSULTATION = "consultation"
EXTENSION = "extension"
FEE = "fee"
DEFERRAL = "deferral"
EXTENSION_APPROVED = "approved"


@dataclass(frozen=True)
class ClockStep:
    """What the deadline needs of one step: its kind and dates, an extension's working days, a
    consultation's party kind (``third_party`` / ``other_agency``), a fee notice's 送达 date.
    ``counts`` is False for a step that never entered the deadline (kept from data recorded
    before the steps were the deadline's inputs)."""

    kind: str
    started_on: date
    until: date | None = None
    ended_on: date | None = None
    outcome: str = ""
    working_days: int | None = None
    reason: str = ""
    served_on: date | None = None
    counts: bool = True


def step_events(step: ClockStep) -> list[CaseEvent]:
    """The clock events one step gives, in the order they happened."""
    if not step.counts:
        return []
    kind = step.kind
    if kind == CORRECTION:
        events = [CaseEvent(EventKind.CORRECTION_NOTICE, step.started_on, until=step.until)]
        if step.ended_on is not None:
            events.append(CaseEvent(EventKind.CORRECTION_RECEIVED, step.ended_on))
        return events
    if kind in (CONSULTATION, FEE):
        reason = PauseReason.FEE.value if kind == FEE else step.reason
        events = [CaseEvent(EventKind.PAUSE_START, step.started_on, reason=reason)]
        if kind == FEE and step.served_on is not None:
            events.append(CaseEvent(EventKind.SERVED, step.served_on, reason=reason))
        if step.ended_on is not None:
            events.append(CaseEvent(EventKind.PAUSE_END, step.ended_on, reason=reason))
        return events
    if kind == EXTENSION:
        if step.outcome != EXTENSION_APPROVED or step.ended_on is None:
            return []
        return [CaseEvent(EventKind.EXTENSION, step.ended_on, working_days=step.working_days)]
    if kind == DEFERRAL:
        return [CaseEvent(EventKind.DEFERRAL, step.started_on, until=step.until)]
    return []


def clock_inputs(steps: Iterable[ClockStep]) -> list[CaseEvent]:
    """The ordered inputs of the deadline engine from a case's steps (in the order they were
    taken): by date, and on one date in the order the steps and their events happened."""
    keyed = [
        (event.on, n, i, event)
        for n, step in enumerate(steps)
        for i, event in enumerate(step_events(step))
    ]
    return [event for *_key, event in sorted(keyed, key=lambda k: k[:3])]
