"""Actions with their Chinese labels, and state tables, for every context.

An action is an enum member whose value is the audit code and whose label is the Chinese the
audit log, the pages and the API show::

    class PenaltyAction(Action):
        PUBLISH = "credit.penalty_publish", "公示行政处罚决定"
        WITHDRAW = "credit.penalty_withdraw", "撤下公示"

A :class:`StateTable` says which action may be taken in which state and which state follows;
the shared transition frame (``gongkai.apps.audit.frame``) sets the new state from it, so no
service sets a state by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar


class Labelled(StrEnum):
    """A string enum whose members carry a Chinese ``label``: ``NAME = "value", "标签"``."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Action(Labelled):
    """A state change or recorded act of a context; its value is the audit action code."""


class State(Labelled):
    """A state as the law or the users name it."""


class TransitionNotAllowed(ValueError):
    """The action cannot be taken in this state; the message is Chinese, for the user."""


S = TypeVar("S", bound=State)
A = TypeVar("A", bound=Action)


@dataclass(frozen=True)
class StateTable(Generic[S, A]):
    """(state, action) → next state. Actions absent from every row never change the state
    (they are recorded acts, such as an export) and are allowed in any state."""

    rows: Mapping[tuple[S, A], S]
    _changing: frozenset[A] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_changing", frozenset(a for _, a in self.rows))

    @classmethod
    def of(cls, rows: Iterable[tuple[S | Iterable[S], A, S]]) -> StateTable[S, A]:
        """Rows (from, action, to); ``from`` may be several states."""
        table: dict[tuple[S, A], S] = {}
        for sources, action, target in rows:
            for source in [sources] if isinstance(sources, State) else sources:
                if (source, action) in table:
                    raise ValueError(f"状态表重复：{source.label} × {action.label}")
                table[(source, action)] = target
        return cls(table)

    def changes_state(self, action: A) -> bool:
        return action in self._changing

    def allowed(self, state: S) -> list[A]:
        return [a for (s, a) in self.rows if s == state]

    def next(self, state: S, action: A) -> S:
        """The state after ``action``; :class:`TransitionNotAllowed` if the table has no row."""
        if not self.changes_state(action):
            return state
        try:
            return self.rows[(state, action)]
        except KeyError:
            raise TransitionNotAllowed(f"当前状态为“{state.label}”，不能{action.label}") from None


def label_of(value: Any) -> str:
    """The label of a Labelled member, or the value itself."""
    return getattr(value, "label", None) or str(value)
