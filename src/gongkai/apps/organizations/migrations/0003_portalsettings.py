"""The site's identity moves from the portal to the organizations context (ADR 0185).

The rows stay where they are: the model's state is created here over the portal's existing table
(the portal's migration 0002 drops it from the portal's state without touching the database), then
the table is renamed to this app's name and the content type follows, so the admin's permissions
and log entries keep pointing at the same model.
"""

from django.db import migrations, models

OLD_LABEL, NEW_LABEL = "portal", "organizations"


def _relabel(apps, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=to_label, model="portalsettings").exists():
        return
    ContentType.objects.filter(app_label=from_label, model="portalsettings").update(
        app_label=to_label
    )


def forwards(apps, schema_editor) -> None:
    _relabel(apps, OLD_LABEL, NEW_LABEL)


def backwards(apps, schema_editor) -> None:
    _relabel(apps, NEW_LABEL, OLD_LABEL)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("organizations", "0002_agency_review_body"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PortalSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("site_name", models.CharField(default="示例市人民政府", max_length=100, verbose_name="网站名称")),
                        ("site_domain", models.CharField(default="www.example.gov.cn", max_length=100, verbose_name="网站域名")),
                        ("site_id_code", models.CharField(blank=True, max_length=10, verbose_name="政府网站标识码")),
                        ("sponsor", models.CharField(default="示例市人民政府办公室", max_length=100, verbose_name="主办单位")),
                        ("operator", models.CharField(blank=True, max_length=100, verbose_name="承办单位")),
                        ("icp", models.CharField(blank=True, max_length=50, verbose_name="ICP备案号")),
                        ("police_record", models.CharField(blank=True, max_length=50, verbose_name="公安备案号")),
                        ("contact", models.CharField(blank=True, max_length=200, verbose_name="联系方式")),
                    ],
                    options={
                        "verbose_name": "网站设置",
                        "verbose_name_plural": "网站设置",
                        "db_table": "portal_portalsettings",
                    },
                ),
            ],
            database_operations=[],
        ),
        # the table takes this app's name (a rename: the rows, their ids and the sequence stay)
        migrations.AlterModelTable(name="portalsettings", table=None),
        migrations.RunPython(forwards, backwards),
    ]
