"""What the work-queue home page shows. Apps register providers returning WorkSections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class WorkItem:
    title: str
    url: str
    due: dt.date | None = None
    note: str = ""
    tone: str = ""  # "", "warn", "danger", "ok"


@dataclass
class WorkSection:
    key: str
    title: str
    count: int
    items: list[WorkItem] = field(default_factory=list)
    more_url: str = ""
    tone: str = ""
    order: int = 100
