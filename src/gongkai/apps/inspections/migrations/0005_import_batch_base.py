"""Entity imports share one base with the other importers (ADR 0173): the full error report
(gzip CSV) is kept as ``error_report``; the first row errors are also stored as
{"line", "field", "message"}; the import gets a status and a file digest."""

import csv
import gzip
import hashlib
import io

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MAX_ROW_ERRORS = 5000


def forwards(apps, schema_editor):
    EntityImport = apps.get_model("inspections", "EntityImport")
    for run in EntityImport.objects.all().iterator():
        report = bytes(run.error_report or b"")
        errors = []
        if report:
            reader = csv.reader(io.StringIO(gzip.decompress(report).decode("utf-8-sig")))
            next(reader, None)  # header
            for cells in reader:
                if len(errors) >= MAX_ROW_ERRORS:
                    break
                if len(cells) >= 3:
                    line = int(cells[0]) if cells[0].isdigit() else cells[0]
                    errors.append({"line": line, "field": cells[1], "message": cells[2]})
        run.errors = errors
        run.status = "done" if run.finished_at else "queued"
        content = bytes(run.content or b"")
        if content:
            run.sha256 = hashlib.sha256(gzip.decompress(content)).hexdigest()
        run.save(update_fields=["errors", "status", "sha256"])


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_public_note"),
        ("jobs", "0002_engine_and_nodes"),
        ("organizations", "0002_agency_review_body"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("entityimport", "errors", "error_report"),
        migrations.AddField(
            model_name="entityimport",
            name="errors",
            field=models.JSONField(blank=True, default=list, verbose_name="出错的行"),
        ),
        migrations.AddField(
            model_name="entityimport",
            name="sha256",
            field=models.CharField(
                blank=True, db_index=True, max_length=64, verbose_name="文件摘要"
            ),
        ),
        migrations.AddField(
            model_name="entityimport",
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
        migrations.AlterField(
            model_name="entityimport",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="organizations.agency",
                verbose_name="导入机关",
            ),
        ),
        migrations.AlterField(
            model_name="entityimport",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="上传时间"),
        ),
        migrations.AlterField(
            model_name="entityimport",
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
            model_name="entityimport",
            name="error_report",
            field=models.BinaryField(default=b"", verbose_name="完整错误报告（gzip CSV）"),
        ),
        migrations.AlterField(
            model_name="entityimport",
            name="failed",
            field=models.PositiveIntegerField(default=0, verbose_name="出错"),
        ),
        migrations.AlterField(
            model_name="entityimport",
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
        # the rows are rewritten once the columns have their final form
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
