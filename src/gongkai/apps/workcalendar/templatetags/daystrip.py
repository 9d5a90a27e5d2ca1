"""``{% load daystrip %}``: the cells of the compact calendar strip of a deadline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from gongkai.domain.workdays import WEEKDAY_NAMES, cn_day

register = template.Library()

PAUSE_SHORT = {
    "补正期间": "补正",
    "征求第三方意见": "征询",
    "征求其他机关意见": "征询",
    "缴费期间": "缴费",
}
STATUS_LABELS = {
    "receipt": "收到申请",
    "counted": "计入",
    "skipped": "不计入",
    "paused": "中止计算",
    "due": "答复期限届满日",
}


@dataclass(frozen=True)
class StripCell:
    status: str
    md: str  # 10/1
    short: str  # a two-character label
    text: str  # the full sentence for screen readers and tooltips


def _cell(note: Any) -> StripCell:
    day = note.day
    head = f"{cn_day(day)}（{WEEKDAY_NAMES[day.weekday()]}）"
    status = note.status
    if status == "receipt":
        short, text = "收到", f"{head}：{note.reason}，当日不计入"
    elif status == "counted":
        short = str(note.ordinal)
        text = f"{head}：第{note.ordinal}个工作日" + (
            "（调休上班）" if "调休" in note.reason else ""
        )
    elif status == "due":
        short, text = "届满", f"{head}：答复期限届满日，第{note.ordinal}个工作日"
    elif status == "paused":
        short = PAUSE_SHORT.get(note.reason, "中止")
        text = f"{head}：中止计算（{note.reason}）"
    else:
        short, text = note.reason[:2], f"{head}：不计入（{note.reason}）"
    return StripCell(status, f"{day.month}/{day.day}", short, text)


@register.filter
def daystrip_cells(deadline: Any) -> list[StripCell]:
    if not deadline:
        return []
    return [_cell(n) for n in deadline.days]
