"""Repairs of derived data: the browse counters are recomputed from the documents."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear

from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.catalog.models import Document, DocumentCount, DocumentState
from gongkai.apps.catalog.services.common import column_topic_parents, walk_up
from gongkai.domain.catalogue import CatalogAction


def counts_rebuild(actor: Actor = SYSTEM) -> int:
    """Recompute DocumentCount from the published documents (grouped in the database)."""
    published = Document.objects.filter(state=DocumentState.PUBLISHED).annotate(
        y=ExtractYear("published_at")
    )
    columns, topics = column_topic_parents()
    keys: Counter = Counter()
    for row in published.values("y").annotate(n=Count("id")):
        keys[("all", 0, row["y"])] += row["n"]
    for row in published.values("agency_id", "y").annotate(n=Count("id")):
        keys[("agency", row["agency_id"], row["y"])] += row["n"]
    joint = Document.joint_agencies.through.objects.filter(document__state=DocumentState.PUBLISHED)
    for row in (
        joint.annotate(y=ExtractYear("document__published_at"))  # type: ignore[misc]  # plugin: annotation on a through model
        .values("agency_id", "y")
        .annotate(n=Count("id"))
    ):
        keys[("agency", row["agency_id"], row["y"])] += row["n"]
    for row in (
        published.exclude(column__isnull=True).values("column_id", "y").annotate(n=Count("id"))
    ):
        for column in walk_up(row["column_id"], columns):
            keys[("column", column, row["y"])] += row["n"]
    for row in (
        published.exclude(topic__isnull=True).values("topic_id", "y").annotate(n=Count("id"))
    ):
        for topic in walk_up(row["topic_id"], topics):
            keys[("topic", topic, row["y"])] += row["n"]
    for row in (
        published.exclude(genre__isnull=True).values("genre_id", "y").annotate(n=Count("id"))
    ):
        keys[("genre", row["genre_id"], row["y"])] += row["n"]
    with transaction.atomic():
        DocumentCount.objects.all().delete()
        DocumentCount.objects.bulk_create(
            [DocumentCount(dimension=d, key=k, year=y, count=n) for (d, k, y), n in keys.items()],
            batch_size=2000,
        )
        total = sum(n for (d, _k, _y), n in keys.items() if d == "all")
        audit_record(
            actor=actor,
            action=CatalogAction.COUNTS_REBUILD,
            after={"documents": total, "rows": len(keys)},
        )
    return total
