"""Helpers the case services share: the clock, numbering, locking, audit snapshots.

A step changes a case only inside the shared frame (``workflow._transition``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects

from gongkai.apps.accounts.models import user_or_none
from gongkai.apps.applications import due
from gongkai.apps.applications.casefacts import facts, today
from gongkai.apps.applications.errors import InvalidInput, NotAllowed
from gongkai.apps.applications.models import (
    Application,
    CaseStep,
    NumberCounter,
    StepKind,
)
from gongkai.apps.applications.permissions import can_act
from gongkai.apps.audit.frame import Actor
from gongkai.domain.casestates import (
    CaseAction,
    CaseState,
    TransitionNotAllowed,
    check,
)
from gongkai.domain.deadlines import Deadline

# what the audit log keeps of a case: workflow facts only, never the applicant's personal data
AUDIT_FIELDS = (
    "state",
    "officer_id",
    "due_date",
    "due_provisional",
    "due_notified_on",
    "correction_until",
    "correction_received_on",
    "extension_status",
    "extension_days",
    "fee_method",
    "fee_units",
    "fee_amount",
    "fee_pay_until",
    "fee_delivery",
    "fee_served_on",
    "fee_paid_on",
    "consult_kind",
    "reasons_requested_on",
    "reasons_until",
    "reasons_accepted_on",
    "deferred_until",
    "draft_decision",
    "decision",
    "reviewer_id",
    "closed_on",
    "on_time",
    "delivered_on",
    "delivery_method",
    "archived_on",
)


def snap(application: Application) -> dict[str, Any]:
    return {name: getattr(application, name) for name in AUDIT_FIELDS}


def lock(application: Application | int) -> Application:
    pk = application if isinstance(application, int) else application.pk
    return (
        Application.objects.select_for_update()
        .select_related("agency")
        .prefetch_related("steps")
        .get(pk=pk)
    )


def next_number(agency_id: int, year: int, series: str) -> int:
    """Take the next number of a series; gap-free under concurrency (the counter row is locked)."""
    return take_numbers(agency_id, year, series, 1)[0]


def take_numbers(agency_id: int, year: int, series: str, count: int) -> range:
    """Take the next ``count`` numbers of a series at once (an import of past cases)."""
    if not NumberCounter.objects.filter(agency_id=agency_id, year=year, series=series).exists():
        try:
            with transaction.atomic():
                NumberCounter.objects.create(agency_id=agency_id, year=year, series=series, last=0)
        except IntegrityError:
            pass  # created concurrently by another transaction: lock it below
    counter = NumberCounter.objects.select_for_update().get(
        agency_id=agency_id, year=year, series=series
    )
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return range(first, counter.last + 1)


def check_date(application: Application, on: dt.date, what: str) -> None:
    if on > today():
        raise InvalidInput(f"{what}不能晚于今天", {"on": f"{what}不能晚于今天"})
    if on < application.received_on:
        raise InvalidInput(f"{what}不能早于收到申请之日", {"on": f"{what}不能早于收到申请之日"})


def guard(actor: Actor, application: Application, action: CaseAction, on: dt.date) -> CaseState:
    """Permission and transition checks; returns the state after the action."""
    if not can_act(actor, application, action):
        raise NotAllowed(f"您没有权限{action.label}")
    try:
        return check(facts(application, on), action)
    except TransitionNotAllowed as exc:
        raise NotAllowed(str(exc)) from exc


def steps_reload(application: Application) -> None:
    """Load the case's steps afresh (the current-step properties read them)."""
    cache = getattr(application, "_prefetched_objects_cache", None)
    if cache is not None:
        cache.pop("steps", None)
    prefetch_related_objects([application], "steps")


def step_add(
    application: Application, kind: str, on: dt.date, *, actor: Actor | None = None, **fields: Any
) -> CaseStep:
    """A new step of the case, begun on ``on`` (ADR 0170)."""
    step = CaseStep.objects.create(
        application=application, kind=kind, started_on=on, actor=user_or_none(actor), **fields
    )
    steps_reload(application)
    return step


def step_current(application: Application, kind: str) -> CaseStep:
    """The step of ``kind`` a later action continues (the transition table guarantees one)."""
    step = application.current_step(kind)
    if step is None:
        raise NotAllowed(f"该申请没有{StepKind(kind).label}步骤")
    return step


def step_save(application: Application, step: CaseStep) -> None:
    step.save()
    steps_reload(application)


def refresh_clock(application: Application) -> Deadline:
    """Recompute the deadline from the case's steps (ADR 0190: its inputs are a projection of
    the steps, which ``step_add``/``step_save`` have just reloaded)."""
    return due.apply(application, list(application.steps.all()))


def on_time(application: Application, closed: dt.date) -> bool:
    return application.due_date is None or closed <= application.due_date
