"""Every install starts with the State Council holiday notices of 2004–2026 and both versions
of the 条例's time limits.

The holiday data comes from ``data/official.json`` (frozen from the chinese-calendar package,
with Chinese names); the file never changes for this migration's sake — a later year is
imported by administrators, not by a migration.
"""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

from gongkai.domain.regulations import DEFAULT_RULESETS

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "official.json"

# both versions of the 条例's time limits, from the one place they are typed
RULES = [rule.as_row() for rule in DEFAULT_RULESETS]


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    CalendarEntry = apps.get_model("workcalendar", "CalendarEntry")
    DeadlineRule = apps.get_model("workcalendar", "DeadlineRule")
    CalendarVersion = apps.get_model("workcalendar", "CalendarVersion")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    existing_years = set(CalendarYear.objects.values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        CalendarYear(year=y["year"], notice=y["notice"])
        for y in data["years"]
        if y["year"] not in existing_years
    )
    existing_days = set(CalendarEntry.objects.values_list("day", flat=True))
    CalendarEntry.objects.bulk_create(
        [
            CalendarEntry(
                day=dt.date.fromisoformat(e["date"]),
                kind=e["kind"],
                name=e["name"],
                source=e["source"],
            )
            for e in data["entries"]
            if dt.date.fromisoformat(e["date"]) not in existing_days
        ],
        batch_size=500,
    )
    for rule in RULES:
        DeadlineRule.objects.get_or_create(code=rule["code"], defaults=rule)
    if not CalendarVersion.objects.exists():
        CalendarVersion.objects.create(pk=1, token="seed-2004-2026")


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
