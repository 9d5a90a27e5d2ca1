"""12345 imports share one base with the other importers (ADR 0173): row errors are stored
as {"line", "field", "message", "ref"} (ref: the work-order number)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    HotlineImport = apps.get_model("mailbox", "HotlineImport")
    for record in HotlineImport.objects.exclude(errors=[]).iterator():
        converted = []
        for row in record.errors:
            item = {"line": row.get("line"), "field": "", "message": row.get("reason", "")}
            if row.get("order_no"):
                item["ref"] = row["order_no"]
            converted.append(item)
        record.errors = converted
        record.save(update_fields=["errors"])


def backwards(apps, schema_editor):
    HotlineImport = apps.get_model("mailbox", "HotlineImport")
    for record in HotlineImport.objects.exclude(errors=[]).iterator():
        record.errors = [
            {"line": row.get("line"), "order_no": row.get("ref", ""), "reason": row.get("message")}
            for row in record.errors
        ]
        record.save(update_fields=["errors"])


class Migration(migrations.Migration):
    dependencies = [
        ("mailbox", "0004_due_fields"),
        ("jobs", "0002_engine_and_nodes"),
        ("organizations", "0002_agency_review_body"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="hotlineimport",
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
            model_name="hotlineimport",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="上传时间"),
        ),
        migrations.AlterField(
            model_name="hotlineimport",
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
            model_name="hotlineimport",
            name="errors",
            field=models.JSONField(blank=True, default=list, verbose_name="出错的行"),
        ),
        migrations.AlterField(
            model_name="hotlineimport",
            name="failed",
            field=models.PositiveIntegerField(default=0, verbose_name="出错"),
        ),
        migrations.AlterField(
            model_name="hotlineimport",
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
            model_name="hotlineimport",
            name="rows",
            field=models.PositiveIntegerField(default=0, verbose_name="数据行数"),
        ),
        migrations.AlterField(
            model_name="hotlineimport",
            name="sha256",
            field=models.CharField(
                blank=True, db_index=True, max_length=64, verbose_name="文件摘要"
            ),
        ),
        # the rows are rewritten once the columns have their final form
        migrations.RunPython(forwards, backwards),
    ]
