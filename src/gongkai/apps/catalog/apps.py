import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_vocabularies(sender, using="default", apps=None, **kwargs) -> None:
    """A database without columns (a flushed one, e.g. between browser tests) gets the
    standard topic tree, genres and columns back, from the seed migration's own function."""
    from django.apps import apps as global_apps
    from django.db import connections

    # deferred: imported in ready(), once the app registry is loaded
    from gongkai.apps.catalog.models import Column

    if Column._meta.db_table not in connections[using].introspection.table_names():
        return
    if Column.objects.using(using).exists():
        return
    seed = importlib.import_module("gongkai.apps.catalog.migrations.0002_seed_vocabularies").seed
    seed(global_apps, None)


def ensure_result_cards(sender, using="default", **kwargs) -> None:
    """The result cards' triggers in place after every migrate (a SQLite table remake drops
    them) and the cards rebuilt when they may have missed writes (ADR 0194)."""
    from django.db import connections

    # deferred: imported in ready(), once the app registry is loaded
    from gongkai.apps.catalog.search import cards

    cards.ensure(connections[using])


def render_missing(sender, using="default", **kwargs) -> None:
    """Documents published before renditions existed (an upgraded database) get theirs at
    migrate time: until then the public would see them empty, never their originals."""
    from django.db import connections

    # deferred: imported in ready(), once the app registry is loaded
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.catalog.models import Document, DocumentState
    from gongkai.apps.catalog.services.rendition import renditions_rebuild

    if Document._meta.db_table not in connections[using].introspection.table_names():
        return
    missing = list(
        Document.objects.using(using)
        .filter(state=DocumentState.PUBLISHED, rendered_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if missing:
        renditions_rebuild(actor=SYSTEM, ids=missing)


class CatalogConfig(AppConfig):
    name = "gongkai.apps.catalog"
    label = "catalog"
    verbose_name = "主动公开目录"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.catalog import pagetags, registration

        post_migrate.connect(ensure_vocabularies, sender=self)
        post_migrate.connect(ensure_result_cards, sender=self)
        post_migrate.connect(render_missing, sender=self)
        registration.register_all()
        pagetags.connect()
