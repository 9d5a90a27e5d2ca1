"""Every installation starts with the national vocabularies and the standard column tree."""

from django.db import migrations

from gongkai.domain.catalogmeta import (
    EXTRA_GENRES,
    OFFICIAL_GENRES,
    TOPIC_SEPARATOR,
    TOPIC_TREE,
    default_columns,
)


def seed(apps, schema_editor):
    Topic = apps.get_model("catalog", "Topic")
    Genre = apps.get_model("catalog", "Genre")
    Column = apps.get_model("catalog", "Column")
    order = 0
    for top, children in TOPIC_TREE:
        order += 10
        parent, _ = Topic.objects.get_or_create(
            path=top, defaults={"name": top, "sort_order": order}
        )
        for child in children:
            order += 1
            Topic.objects.get_or_create(
                path=f"{top}{TOPIC_SEPARATOR}{child}",
                defaults={"name": child, "parent": parent, "sort_order": order},
            )
    for index, name in enumerate(OFFICIAL_GENRES + EXTRA_GENRES, start=1):
        Genre.objects.get_or_create(
            name=name, defaults={"is_official": name in OFFICIAL_GENRES, "sort_order": index * 10}
        )
    by_slug = {}
    for index, spec in enumerate(default_columns(), start=1):
        column, _ = Column.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "parent": by_slug.get(spec.parent),
                "on_home": spec.on_home,
                "description": spec.description,
                "sort_order": index * 10,
            },
        )
        by_slug[spec.slug] = column


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
