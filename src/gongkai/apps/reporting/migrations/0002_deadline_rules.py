"""Default publication deadlines (administrators may edit them).

条例第四十九条 (2019): departments by 31 January, governments by 31 March of the next year.
The 2008 regulation (第三十二条) set 31 March for every agency. Townships follow the
departments' date in most provinces' rules; change it here if yours differs.
"""

from django.db import migrations

RULES = [
    ("department", 1, 31, 2019, None, "《政府信息公开条例》（2019年修订）第四十九条"),
    ("government", 3, 31, 2019, None, "《政府信息公开条例》（2019年修订）第四十九条"),
    ("township", 1, 31, 2019, None, "地方规定（参照县级以上人民政府部门的期限）"),
    ("other", 1, 31, 2019, None, "参照县级以上人民政府部门的期限"),
    ("department", 3, 31, 2008, 2018, "《政府信息公开条例》（2008年）第三十一条"),
    ("government", 3, 31, 2008, 2018, "《政府信息公开条例》（2008年）第三十一条"),
    ("township", 3, 31, 2008, 2018, "《政府信息公开条例》（2008年）第三十一条"),
    ("other", 3, 31, 2008, 2018, "《政府信息公开条例》（2008年）第三十一条"),
]


def add_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("reporting", "DeadlineRule")
    if DeadlineRule.objects.exists():
        return
    DeadlineRule.objects.bulk_create(
        DeadlineRule(
            agency_kind=kind, month=month, day=day, first_year=first, last_year=last, basis=basis
        )
        for kind, month, day, first, last, basis in RULES
    )


def remove_rules(apps, schema_editor):
    apps.get_model("reporting", "DeadlineRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
