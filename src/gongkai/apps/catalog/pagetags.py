"""What each public catalogue page shows, as page-cache tags, and which tags a change makes
stale (ADR 0110).

Tags come from the URL alone, so a page's versions are read before it renders:

``doc:<pk>``         the document page (and its print view)
``col:<slug>``       a column's list and feeds (a document is listed in its column's ancestors)
``agency:<code>``    an agency's list and feeds (lead and joint publisher)
``topic:<pk>``, ``genre:<pk>``
``catalog``          pages that count or list the whole catalogue: home, browse, years,
                     the site-wide feeds, the sitemap, the gazette
``home``             the home page's sections from the other contexts
``site``             every page (the site's name, navigation, columns, agencies, calendar)

A document's change is collected while its transaction runs (old and new column, agency,
topic, genre) and turned into tags once, after the commit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from gongkai import pagecache
from gongkai.apps.catalog.models import (
    Attachment,
    ChannelRecord,
    Column,
    Document,
    DocumentVersion,
    GazetteIssue,
    Genre,
    Topic,
)
from gongkai.apps.catalog.search import get_engine
from gongkai.apps.catalog.search.follow import index_current
from gongkai.apps.organizations.models import Agency

_WATCHED = ("column_id", "agency_id", "topic_id", "genre_id", "gazette_issue_id")
_LINKS = ("superseded_by_id", "interprets_id")

_pending = threading.local()


def _queue() -> dict[int, set[tuple[str, int]]]:
    queue = getattr(_pending, "docs", None)
    if queue is None:
        queue = _pending.docs = {}
    return queue


def _remember(instance: Any, **kwargs: Any) -> None:
    """The values a document was loaded with, to invalidate where it *was* listed."""
    values = instance.__dict__
    instance._gk_loaded = {(f, values[f]) for f in (*_WATCHED, *_LINKS) if values.get(f)}


def _values(instance: Any) -> set[tuple[str, int]]:
    values = instance.__dict__
    return {(f, values[f]) for f in (*_WATCHED, *_LINKS) if values.get(f)}


def document_touched(instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    pk = instance.pk
    if pk is None:
        return
    found = _queue().setdefault(pk, set())
    found |= getattr(instance, "_gk_loaded", set()) | _values(instance)
    if transaction.get_connection().in_atomic_block:
        # the page itself and the site-wide lists at once (no query); everything after commit
        pagecache.bump(f"doc:{pk}", "catalog")
    transaction.on_commit(_flush)


def documents_updated(pks: Iterable[int], *fields: tuple[str, int]) -> None:
    """A queryset ``.update()`` of documents sends no signal: the service that runs one calls
    this in the same transaction, with the watched values it set or cleared (for instance
    ``("gazette_issue_id", 7)``), so their pages and lists are made stale like a save's."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return
    queue = _queue()
    for pk in pks:
        queue.setdefault(pk, set()).update(fields)
    if transaction.get_connection().in_atomic_block:
        pagecache.bump(*(f"doc:{pk}" for pk in pks), "catalog")
    transaction.on_commit(_flush)


def _joint_changed(instance: Any, action: str, pk_set: Any, reverse: bool, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if reverse:  # an agency's documents changed: rare, the agency's tag covers it
        pagecache.bump("catalog", f"agency:{instance.code}")
        return
    found = _queue().setdefault(instance.pk, set())
    found |= {("agency_id", a) for a in pk_set or ()}
    if action == "pre_clear":
        found |= {("agency_id", a) for a in instance.joint_agencies.values_list("pk", flat=True)}
    transaction.on_commit(_flush)


def _flush() -> None:
    queue = _queue()
    if not queue:
        return
    changed = dict(queue)
    queue.clear()
    pagecache.bump(*tags_for_documents(changed))


def tags_for_documents(changed: dict[int, set[tuple[str, int]]]) -> set[str]:
    tags = {"catalog"}
    ids: dict[str, set[int]] = {f: set() for f in (*_WATCHED, *_LINKS)}
    for pk, values in changed.items():
        tags.add(f"doc:{pk}")
        for field, value in values:
            ids[field].add(value)
    tags |= {f"doc:{pk}" for pk in ids["superseded_by_id"] | ids["interprets_id"]}
    if ids["gazette_issue_id"]:
        tags.add("gazette")
    # the documents whose pages name these (replaced by, interpreted by)
    # two lookups, one per indexed column: SQLite answers an OR of the two by reading the
    # whole table (0.6 s at 200,000 documents, after every change)
    for link in _LINKS:
        linked = Document.objects.filter(**{f"{link}__in": list(changed)})
        tags |= {f"doc:{pk}" for pk in linked.values_list("pk", flat=True)}
    if ids["column_id"]:
        columns = {
            pk: (parent, slug)
            for pk, parent, slug in Column.objects.values_list("id", "parent_id", "slug")
        }
        for pk in ids["column_id"]:
            seen: set[int] = set()
            while pk in columns and pk not in seen:
                seen.add(pk)
                parent, slug = columns[pk]
                tags.add(f"col:{slug}")
                pk = parent
    if ids["agency_id"]:
        tags |= {
            f"agency:{code}"
            for code in Agency.objects.filter(pk__in=ids["agency_id"]).values_list(
                "code", flat=True
            )
        }
    if ids["topic_id"]:
        for pk, parent in Topic.objects.filter(pk__in=ids["topic_id"]).values_list(
            "id", "parent_id"
        ):
            tags.add(f"topic:{pk}")
            if parent:
                tags.add(f"topic:{parent}")
    tags |= {f"genre:{pk}" for pk in ids["genre_id"]}
    return tags


def _on_document(instance: Any, **kwargs: Any) -> None:
    pagecache.bump(f"doc:{instance.document_id}")


def _site(**kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    pagecache.bump("site")


def _gazette(**kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    pagecache.bump("catalog", "gazette")


def _home(**kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    pagecache.bump("home")


def connect() -> None:
    """From the catalogue's AppConfig.ready()."""
    post_init.connect(_remember, sender=Document, dispatch_uid="pc-doc-init")
    post_save.connect(document_touched, sender=Document, dispatch_uid="pc-doc-save")
    post_delete.connect(document_touched, sender=Document, dispatch_uid="pc-doc-delete")
    m2m_changed.connect(
        _joint_changed, sender=Document.joint_agencies.through, dispatch_uid="pc-doc-joint"
    )
    for model in (Attachment, ChannelRecord, DocumentVersion):
        post_save.connect(_on_document, sender=model, dispatch_uid=f"pc-{model.__name__}-save")
        post_delete.connect(_on_document, sender=model, dispatch_uid=f"pc-{model.__name__}-del")
    # names, navigation and structure appear on every page
    for shown in (Column, Topic, Genre, "organizations.Agency", "organizations.PortalSettings"):
        uid = shown if isinstance(shown, str) else shown.__name__
        post_save.connect(_site, sender=shown, dispatch_uid=f"pc-site-{uid}-save")
        post_delete.connect(_site, sender=shown, dispatch_uid=f"pc-site-{uid}-del")
    post_save.connect(_gazette, sender=GazetteIssue, dispatch_uid="pc-gazette-save")
    post_delete.connect(_gazette, sender=GazetteIssue, dispatch_uid="pc-gazette-del")
    # the home page's other sections (mailbox, inspections, annual reports)
    for label in (
        "mailbox.PublicLetter",
        "inspections.InspectionTask",
        "inspections.HousingLottery",
        "reporting.Report",
    ):
        post_save.connect(_home, sender=label, dispatch_uid=f"pc-home-{label}-save")
        post_delete.connect(_home, sender=label, dispatch_uid=f"pc-home-{label}-del")


# the tags of each page ------------------------------------------------------------------------


def catalog_tags(request: Any, *args: Any, **kwargs: Any) -> list[str]:
    return ["catalog"]


def home_tags(request: Any, *args: Any, **kwargs: Any) -> list[str]:
    return ["catalog", "home", "gazette"]


def document_tags(request: Any, pk: int, **kwargs: Any) -> list[str]:
    return [f"doc:{pk}"]


def column_tags(request: Any, slug: str, **kwargs: Any) -> list[str]:
    return [f"col:{slug}", "gazette"]


def agency_tags(request: Any, code: str, **kwargs: Any) -> list[str]:
    return [f"agency:{code}"]


def topic_tags(request: Any, pk: int, **kwargs: Any) -> list[str]:
    return [f"topic:{pk}"]


def genre_tags(request: Any, pk: int, **kwargs: Any) -> list[str]:
    return [f"genre:{pk}"]


def gazette_tags(request: Any, *args: Any, **kwargs: Any) -> list[str]:
    return ["gazette"]


def search_tags(request: Any, *args: Any, **kwargs: Any) -> list[str]:
    # any change to any document (an unpublish, a mask after publication) may change a result
    # list or a snippet: nothing unpublished or unmasked may linger in a cached result page
    return ["catalog"]


def index_ready() -> bool:
    """A list drawn from this server's search index is kept only when the index has applied
    every change in the log: another server's change is otherwise not in it yet. Asked before
    the page is rendered; the cursor is read first and the reader brought up to the files
    after, so the list is drawn from an index at least as new as the cursor said (searches
    otherwise look at the index's files at most once a second, ADR 0111)."""
    engine = get_engine()
    if not index_current(engine):
        return False
    refresh = getattr(engine, "refresh", None)
    if refresh is not None:
        refresh()
    return True
