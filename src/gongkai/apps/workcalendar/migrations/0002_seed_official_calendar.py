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

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "official.json"

RULES = [
    {
        "code": "2008",
        "name": "《中华人民共和国政府信息公开条例》（国务院令第492号，2008年5月1日施行）",
        "valid_from": dt.date(2008, 5, 1),
        "valid_to": dt.date(2019, 5, 14),
        "answer_days": 15,
        "extension_max_days": 15,
        "correction_notice_days": 0,
        "third_party_days": 0,
        "other_agency_days": 0,
        "fee_payment_days": 0,
        "pause_reasons": "third_party",
    },
    {
        "code": "2019",
        "name": "《中华人民共和国政府信息公开条例》（国务院令第711号，2019年5月15日施行）",
        "valid_from": dt.date(2019, 5, 15),
        "valid_to": None,
        "answer_days": 20,
        "extension_max_days": 20,
        "correction_notice_days": 7,
        "third_party_days": 15,
        "other_agency_days": 15,
        "fee_payment_days": 20,
        "pause_reasons": "third_party,other_agency,fee",
    },
]


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
