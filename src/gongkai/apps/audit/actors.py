"""Who acts: the type every service takes as its ``actor`` (ADR 0181).

An actor is a signed-in user (``accounts.User``), the anonymous public
(``django.contrib.auth.models.AnonymousUser``: a verified page, a submission form) or a
:class:`SystemActor` for jobs and commands. The audit context defines it because it is at the
bottom of the context map, so every context can import it, and because what an actor must
offer is what the audit chain records of it: its ``pk`` (None unless signed in) and whether it
``is_authenticated``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Actor(Protocol):
    """Who acts: a signed-in user or a SystemActor (jobs, commands, the public through a
    verified page). Both have ``pk`` (None for the system) and ``is_authenticated``."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...


@dataclass(frozen=True)
class SystemActor:
    """An actor for jobs and commands that act without a logged-in user."""

    audit_label: str = "系统"
    is_authenticated: bool = False
    pk: None = None


SYSTEM = SystemActor()
