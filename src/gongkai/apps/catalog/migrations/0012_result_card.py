"""Result cards (ADR 0194). The table is made here; its triggers and its rows are made after
every migrate by the catalogue's post-migrate step (``cards.ensure``), from the code's current
definitions. Going back drops the triggers before the table, so that no write to a document
fires a trigger into a missing table."""

from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS catalog_resultcard_{name}")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS catalog_resultcard_sync ON catalog_document; "
            "DROP FUNCTION IF EXISTS catalog_resultcard_sync()"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0011_import_batch_base"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResultCard",
            fields=[
                ("doc_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("title", models.CharField(max_length=300)),
                ("index_no", models.CharField(max_length=60, null=True)),
                ("doc_number", models.CharField(max_length=60)),
                ("published_at", models.DateTimeField(null=True)),
                ("written_on", models.DateField(null=True)),
                ("validity", models.CharField(max_length=10)),
                ("agency_id", models.BigIntegerField()),
                ("column_id", models.BigIntegerField(null=True)),
                ("genre_id", models.BigIntegerField(null=True)),
                ("summary", models.TextField()),
                ("text_window", models.TextField()),
            ],
            options={
                "verbose_name": "检索结果摘要",
                "verbose_name_plural": "检索结果摘要",
            },
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
