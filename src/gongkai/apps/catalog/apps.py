import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_vocabularies(sender, using="default", apps=None, **kwargs) -> None:
    """A database without columns (a flushed one, e.g. between browser tests) gets the
    standard topic tree, genres and columns back, from the seed migration's own function."""
    from django.apps import apps as global_apps
    from django.db import connections

    from gongkai.apps.catalog.models import Column

    if Column._meta.db_table not in connections[using].introspection.table_names():
        return
    if Column.objects.using(using).exists():
        return
    seed = importlib.import_module("gongkai.apps.catalog.migrations.0002_seed_vocabularies").seed
    seed(global_apps, None)


class CatalogConfig(AppConfig):
    name = "gongkai.apps.catalog"
    label = "catalog"
    verbose_name = "主动公开目录"

    def ready(self) -> None:
        from gongkai.apps.catalog import pagetags, registration

        post_migrate.connect(ensure_vocabularies, sender=self)
        registration.register_all()
        pagetags.connect()
