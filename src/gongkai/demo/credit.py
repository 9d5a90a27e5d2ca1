"""Demo data: 2018 at the seed's scale (12.9万 records, 1.1万 red and black list entries,
bulk-created and already withdrawn), and this year's live decisions."""

from __future__ import annotations

from typing import Any

from gongkai.demo.credit_data import load
from gongkai.demo.steps import DemoStep, register_demo_step


def load_demo(world: Any) -> None:
    load(world)


def register() -> None:
    register_demo_step(DemoStep(75, "双公示：2018年信用信息与本年度决定", load_demo))
