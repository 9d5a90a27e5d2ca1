"""The one frame of every state change, in every context.

    with transition(
        actor=actor, obj=record, action=PenaltyAction.PUBLISH, table=PENALTY_STATES,
        fields=AUDIT_FIELDS, may=can_publish, refuse=CreditError,
    ) as step:
        step.obj.published_on = on          # the change itself, nothing else
        step.extra["letter"] = letter.number

On entry: one transaction, the row locked (``select_for_update``), the actor's permission
(``may``), the context's own rules (``check``: a one-time notice, a lapsed period) and the
state table checked, the audit snapshot taken. On exit: the state set from the table (never by
hand), the row saved, one audit event written with the before/after diff and the action's code
(its Chinese label comes from the action enum), and the ``after_commit`` callbacks queued.
Anything raised inside the block rolls all of it back.

A context whose change inside the block depends on the new state (a request's deadline is
computed from it) passes ``state_first=True``: the state is set from the table on entry, just
after the snapshot, and ``step.state_before`` keeps the old one. ``changed_at`` names a field
stamped with the time whenever the state changes.

``actor`` is a user or a :class:`~gongkai.apps.audit.actors.SystemActor`
(:class:`~gongkai.apps.audit.actors.Actor`, importable from here too).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai import clock
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record, snapshot
from gongkai.domain.actions import Action, StateTable, TransitionNotAllowed


@dataclass
class Step:
    """What the block inside :func:`transition` works on."""

    actor: Actor
    obj: Any
    action: Action
    before: dict[str, Any]
    state_before: Any
    state_after: Any
    extra: dict[str, Any] = field(default_factory=dict)
    after_commit: list[Callable[[], None]] = field(default_factory=list)


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _enter(obj: Any, state_field: str, state: Any, changed_at: str | None) -> None:
    """Put ``obj`` in ``state`` (the table's answer); stamp ``changed_at`` when it moves."""
    if getattr(obj, state_field) != state:
        setattr(obj, state_field, state.value if hasattr(state, "value") else state)
        if changed_at:
            setattr(obj, changed_at, clock.now())


@contextmanager
def transition(
    *,
    actor: Actor,
    obj: Any,
    action: Action,
    fields: tuple[str, ...],
    table: StateTable[Any, Any] | None = None,
    state_field: str = "state",
    may: Callable[[Any, Any], bool] | None = None,
    refuse: Callable[[str], Exception] = TransitionNotAllowed,
    denied: str = "您没有权限执行此操作",
    agency_id: int | None = None,
    label: str | None = None,
    check: Callable[[Any], None] | None = None,
    state_first: bool = False,
    changed_at: str | None = None,
    lock: Callable[[Any], Any] | None = None,
) -> Iterator[Step]:
    """Run one state change of ``obj`` (see the module docstring). ``refuse`` builds the
    context's own error from a Chinese message (permission denied, or the table says no);
    ``check`` raises the context's error itself; ``lock`` fetches the row locked (by default
    ``select_for_update`` by primary key)."""
    with transaction.atomic():
        if obj.pk is not None:
            if lock is not None:
                obj = lock(obj)
            else:
                obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if may is not None and not may(actor, obj):
            raise refuse(denied)
        if check is not None:
            check(obj)
        state_before = getattr(obj, state_field, None) if table is not None else None
        state_after = state_before
        if table is not None:
            state_type = type(next(iter(table.rows))[0])
            try:
                state_after = table.next(state_type(state_before), action)
            except TransitionNotAllowed as exc:
                raise refuse(str(exc)) from None
        tracked = tuple(dict.fromkeys((*fields, *([state_field] if table else []))))
        before = snapshot(obj, tracked) if obj.pk is not None else {}
        step = Step(actor, obj, action, before, state_before, state_after)
        if table is not None and state_first:
            _enter(obj, state_field, state_after, changed_at)
        yield step
        if table is not None:
            _enter(step.obj, state_field, state_after, changed_at)
        step.obj.save()
        b, a = _diff(before, snapshot(step.obj, tracked))
        a.update(step.extra)
        audit_record(
            actor=actor,
            action=action,
            obj=step.obj,
            agency_id=agency_id if agency_id is not None else getattr(step.obj, "agency_id", None),
            before=b or None,
            after=a or None,
            object_label=label,
        )
        for callback in step.after_commit:
            transaction.on_commit(callback)
