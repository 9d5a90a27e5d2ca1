"""The alias sets a new installation starts with (administrators edit them afterwards)."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from gongkai.apps.searchwords.defaults import DEFAULT_ALIASES

    SearchAlias = apps.get_model("searchwords", "SearchAlias")
    if SearchAlias.objects.filter(agency__isnull=True).exists():
        return
    SearchAlias.objects.bulk_create(
        [SearchAlias(words="\n".join(words), note="系统预置") for words in DEFAULT_ALIASES]
    )


class Migration(migrations.Migration):
    dependencies = [("searchwords", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
