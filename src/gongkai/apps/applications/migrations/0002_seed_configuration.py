"""Every install starts with the 2020 national fee tiers, the default letter wording and the
default handling thresholds; administrators edit them afterwards (law is data)."""

from django.db import migrations

from gongkai.apps.applications.letter_texts import DEFAULT_TEMPLATES
from gongkai.domain.fees import NATIONAL_2020_TIERS

SOURCE = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


def seed(apps, schema_editor):
    FeeTierRow = apps.get_model("applications", "FeeTierRow")
    LetterTemplate = apps.get_model("applications", "LetterTemplate")
    CaseRules = apps.get_model("applications", "CaseRules")
    if not FeeTierRow.objects.exists():
        FeeTierRow.objects.bulk_create(
            FeeTierRow(
                method=t.method.value,
                lower=t.lower,
                upper=t.upper,
                unit_price=t.unit_price,
                step=t.step,
                step_increase=t.step_increase,
                valid_from=t.valid_from,
                valid_to=t.valid_to,
                source=SOURCE,
            )
            for t in NATIONAL_2020_TIERS
        )
    existing = set(LetterTemplate.objects.values_list("kind", "variant"))
    LetterTemplate.objects.bulk_create(
        LetterTemplate(kind=kind, variant=variant, title=title, body=body)
        for (kind, variant), (title, body) in sorted(DEFAULT_TEMPLATES.items())
        if (kind, variant) not in existing
    )
    if not CaseRules.objects.exists():
        CaseRules.objects.create()


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
