"""Demo data: a self-check awaiting review with findings in text and an XLSX attachment."""

from __future__ import annotations

from gongkai.demo.privacy_data import load_demo
from gongkai.demo.steps import DemoStep, register_demo_step


def _load(world) -> None:
    load_demo(world)


register_demo_step(DemoStep(85, "隐私审查示例", _load))
