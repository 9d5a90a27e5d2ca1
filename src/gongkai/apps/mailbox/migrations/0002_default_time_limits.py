"""Every install starts with the usual answer limits: 咨询 5 working days, other letters 15.

Administrators change them as data (a new row with a later start date), never in code.
"""

import datetime

from django.db import migrations

DEFAULTS = {
    "consult": 5,
    "suggestion": 15,
    "complaint": 15,
    "help": 15,
    "other": 15,
}
SOURCE = "默认值：咨询类5个工作日，其他类15个工作日，可由管理员调整"


def add_defaults(apps, schema_editor):
    TimeLimit = apps.get_model("mailbox", "TimeLimit")
    start = datetime.date(2000, 1, 1)
    for category, days in DEFAULTS.items():
        TimeLimit.objects.get_or_create(
            category=category,
            valid_from=start,
            defaults={"working_days": days, "source": SOURCE},
        )


def remove_defaults(apps, schema_editor):
    TimeLimit = apps.get_model("mailbox", "TimeLimit")
    TimeLimit.objects.filter(valid_from=datetime.date(2000, 1, 1), source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("mailbox", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
