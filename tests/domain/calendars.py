"""The official calendar as shipped in the seed data file, for domain tests (no database)."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

from gongkai.domain.workdays import WorkCalendar

DATA_FILE = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "gongkai"
    / "apps"
    / "workcalendar"
    / "data"
    / "official.json"
)


@cache
def official_calendar() -> WorkCalendar:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    years = [y["year"] for y in data["years"]]
    return WorkCalendar.from_entries(
        min(years),
        max(years),
        ((dt.date.fromisoformat(e["date"]), e["kind"], e["name"]) for e in data["entries"]),
    )
