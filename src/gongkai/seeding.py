"""Configuration data shipped in data migrations, restored when a database is emptied.

Data migrations give every install its defaults (holiday calendar, fee tiers, letter wording,
time limits …). A flushed database — between transactional tests, or after an operator's
`flush` — keeps its tables but loses those rows; Django emits post_migrate after a flush, so
each app re-runs its own seed function when its marker table is empty.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.db.models.signals import post_migrate


def reseed_when_empty(
    app_config,
    *,
    model: str,
    migration: str,
    function: str,
    after: Callable[[], None] | None = None,
) -> None:
    """On post_migrate for ``app_config``: if ``model`` (app_label.Model) has no rows, run
    ``function`` from the migration module ``migration`` with the live app registry."""

    def handler(sender, using="default", **kwargs) -> None:
        from django.apps import apps as global_apps
        from django.db import connections

        model_class = global_apps.get_model(model)
        if model_class._meta.db_table not in connections[using].introspection.table_names():
            return  # migrated back to before the table existed
        if model_class.objects.using(using).exists():
            return
        module = importlib.import_module(f"{app_config.name}.migrations.{migration}")
        getattr(module, function)(global_apps, None)
        if after is not None:
            after()

    post_migrate.connect(handler, sender=app_config, weak=False, dispatch_uid=f"reseed:{model}")
