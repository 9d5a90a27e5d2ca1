"""Default publication deadlines (administrators may edit them).

The dates are those of ``gongkai.domain.regulations.ANNUAL_REPORT_DEADLINES`` (条例第四十九条;
the 2008 条例's 第三十一条), where they are typed once.
"""

from django.db import migrations

from gongkai.domain.regulations import ANNUAL_REPORT_DEADLINES

RULES = [
    (r.agency_kind, r.month, r.day, r.first_year, r.last_year, r.basis)
    for r in ANNUAL_REPORT_DEADLINES
]


def _model(apps):
    try:
        return apps.get_model("reporting", "DeadlineRule")
    except LookupError:  # re-seeded after a flush with the live models: renamed in 0003
        return apps.get_model("reporting", "ReportDeadline")


def add_rules(apps, schema_editor):
    DeadlineRule = _model(apps)
    if DeadlineRule.objects.exists():
        return
    DeadlineRule.objects.bulk_create(
        DeadlineRule(
            agency_kind=kind, month=month, day=day, first_year=first, last_year=last, basis=basis
        )
        for kind, month, day, first, last, basis in RULES
    )


def remove_rules(apps, schema_editor):
    _model(apps).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
