"""Result notes and replacement reasons get their public form (ADR 0033): the portal shows
only the masked text; existing rows are masked here, at the review threshold's defaults."""

from django.db import migrations, models


def mask_existing(apps, schema_editor):
    from gongkai.apps.inspections.publicform import public_masker
    from gongkai.apps.privacy.models import PrivacySettings

    DrawSelection = apps.get_model("inspections", "DrawSelection")
    rows = DrawSelection.objects.exclude(result_note="", replaced_reason="").only(
        "result_note", "replaced_reason"
    )
    mask = public_masker(conf=PrivacySettings())  # the defaults: no query on a later schema
    changed = []
    for row in rows.iterator(chunk_size=2000):
        row.public_note = mask(row.result_note)[:500]
        row.public_replaced_reason = mask(row.replaced_reason)[:200]
        changed.append(row)
    DrawSelection.objects.bulk_update(
        changed, ["public_note", "public_replaced_reason"], batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_due_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="drawselection",
            name="public_note",
            field=models.CharField(blank=True, max_length=500, verbose_name="公示的结果说明"),
        ),
        migrations.AddField(
            model_name="drawselection",
            name="public_replaced_reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="公示的被替换原因"),
        ),
        migrations.RunPython(mask_existing, migrations.RunPython.noop),
    ]
