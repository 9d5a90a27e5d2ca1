"""The demo city's steps and accounts: each demo module registers what it loads.

Nothing in the runtime imports this package; ``gongkai demo`` (and the tests and benchmarks
that build the demo city) call :func:`gongkai.demo.register_steps` first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    run: Callable[[Any], None]  # receives the demo world (gongkai.demo.world.World)


@dataclass
class DemoLogin:
    """An account of the demo city that ``gongkai demo`` lists with its role."""

    order: int
    label: str
    username: str


# the demo city's one password (demo data only; never a real account's)
DEMO_PASSWORD = "gongkai-demo"

demo_steps: list[DemoStep] = []
demo_logins: list[DemoLogin] = []


def register_demo_step(step: DemoStep) -> None:
    if all(existing.name != step.name for existing in demo_steps):
        demo_steps.append(step)
        demo_steps.sort(key=lambda s: s.order)


def register_demo_login(order: int, label: str, username: str) -> None:
    if all(existing.username != username for existing in demo_logins):
        demo_logins.append(DemoLogin(order, label, username))
        demo_logins.sort(key=lambda item: item.order)
