"""Import batches share one base with the other importers (ADR 0173): the counts and the
file name take the common names, the batch gets a status, a file digest and a message, and
row errors are stored as {"line", "field", "message"}."""

import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# the keys the row errors were stored under before
OLD_KEYS = {"行": "line", "字段": "field", "问题": "message"}


def forwards(apps, schema_editor):
    ImportBatch = apps.get_model("catalog", "ImportBatch")
    for batch in ImportBatch.objects.all().iterator():
        batch.errors = [
            {OLD_KEYS.get(key, key): value for key, value in row.items()} for row in batch.errors
        ]
        batch.status = "done" if batch.finished_at else "queued"
        try:
            with batch.file.open("rb") as fh:
                batch.sha256 = hashlib.sha256(fh.read()).hexdigest()
        except (OSError, ValueError):  # the stored file is gone: the digest stays empty
            pass
        batch.save(update_fields=["errors", "status", "sha256"])


def backwards(apps, schema_editor):
    ImportBatch = apps.get_model("catalog", "ImportBatch")
    new_keys = {new: old for old, new in OLD_KEYS.items()}
    for batch in ImportBatch.objects.all().iterator():
        batch.errors = [
            {new_keys.get(key, key): value for key, value in row.items()} for row in batch.errors
        ]
        batch.save(update_fields=["errors"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0010_published_rendition"),
        ("jobs", "0002_engine_and_nodes"),
        ("organizations", "0002_agency_review_body"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("importbatch", "filename", "file_name"),
        migrations.RenameField("importbatch", "total_rows", "rows"),
        migrations.RenameField("importbatch", "created_count", "created"),
        migrations.RenameField("importbatch", "updated_count", "updated"),
        migrations.RenameField("importbatch", "unchanged_count", "unchanged"),
        migrations.RenameField("importbatch", "error_count", "failed"),
        migrations.AddField(
            model_name="importbatch",
            name="sha256",
            field=models.CharField(
                blank=True, db_index=True, max_length=64, verbose_name="文件摘要"
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "排队中"),
                    ("running", "导入中"),
                    ("done", "已完成"),
                    ("failed", "失败"),
                ],
                default="queued",
                max_length=10,
                verbose_name="状态",
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="message",
            field=models.CharField(blank=True, max_length=300, verbose_name="说明"),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.agency",
                verbose_name="机关",
            ),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="导入人",
            ),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="errors",
            field=models.JSONField(blank=True, default=list, verbose_name="出错的行"),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="job",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="jobs.job",
                verbose_name="后台任务",
            ),
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="rows",
            field=models.PositiveIntegerField(default=0, verbose_name="数据行数"),
        ),
        # the rows are rewritten once the columns have their final form
        migrations.RunPython(forwards, backwards),
    ]
