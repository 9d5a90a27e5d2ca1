"""Result cards: what a search result shows of a published document, kept by the database
(ADR 0194).

A result page shows 20 documents' published titles, codes, dates and a snippet cut from the
beginning of the published text. Read from the document table, each of those rows is walked
past the original HTML and text (stored before the published columns, in overflow pages on
SQLite) to reach the columns the page needs; that cost as much as the search itself. The
card table holds only what a result shows, one narrow row per *published* document.

Triggers on the document table write it, in the same statement as the document, however
the document is written (a save, a queryset ``update()``, a bulk insert, raw SQL, a
migration): a withdrawn document loses its card with its state, a re-masked text replaces the
window with the rendition. Nothing in Python writes a card. :func:`ensure` runs after every
``migrate`` (and flush): it installs the triggers where they are missing or differ (a SQLite
table remake drops a table's triggers) and then rebuilds the cards from the documents.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from gongkai.domain.catalogue import PublishingState

# characters of the published text a card keeps: the stretch a result's snippet is cut from
TEXT_WINDOW = 1500

TABLE = "catalog_resultcard"
DOCUMENTS = "catalog_document"
PUBLISHED = PublishingState.PUBLISHED.value

# each card column, and the document column it copies (of the text, its first TEXT_WINDOW
# characters)
COPIES = {
    "doc_id": "id",
    "title": "public_title",
    "index_no": "index_no",
    "doc_number": "doc_number",
    "published_at": "published_at",
    "written_on": "written_on",
    "validity": "validity",
    "agency_id": "agency_id",
    "column_id": "column_id",
    "genre_id": "genre_id",
    "summary": "public_summary",
    "text_window": "public_body_text",
}
COLUMNS = tuple(COPIES)
# an update of any other column leaves the card as it is
WATCHED = ("state", *(source for source in COPIES.values() if source != "id"))


def _values(row: str = "") -> str:
    """The card's values from the document's columns (``row``: ``NEW.`` in a trigger)."""
    return ", ".join(
        f"substr({row}{source}, 1, {TEXT_WINDOW})" if column == "text_window" else row + source
        for column, source in COPIES.items()
    )


_COLUMNS = ", ".join(COLUMNS)
_WATCHED = ", ".join(WATCHED)

SQLITE_TRIGGERS: dict[str, str] = {
    f"{TABLE}_insert": (
        f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON {DOCUMENTS} "
        f"WHEN NEW.state = '{PUBLISHED}' BEGIN "
        f"INSERT OR REPLACE INTO {TABLE} ({_COLUMNS}) VALUES ({_values('NEW.')}); END"
    ),
    f"{TABLE}_update": (
        f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF {_WATCHED} ON {DOCUMENTS} BEGIN "
        f"DELETE FROM {TABLE} WHERE doc_id = OLD.id AND "
        f"(NEW.state <> '{PUBLISHED}' OR NEW.id <> OLD.id); "
        f"INSERT OR REPLACE INTO {TABLE} ({_COLUMNS}) SELECT {_values('NEW.')} "
        f"WHERE NEW.state = '{PUBLISHED}'; END"
    ),
    f"{TABLE}_delete": (
        f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON {DOCUMENTS} BEGIN "
        f"DELETE FROM {TABLE} WHERE doc_id = OLD.id; END"
    ),
}

_UPDATE_SET = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM {TABLE} WHERE doc_id = OLD.id;
    ELSIF NEW.state = '{PUBLISHED}' THEN
        IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
            DELETE FROM {TABLE} WHERE doc_id = OLD.id;
        END IF;
        INSERT INTO {TABLE} ({_COLUMNS}) VALUES ({_values("NEW.")})
        ON CONFLICT (doc_id) DO UPDATE SET {_UPDATE_SET};
    ELSIF TG_OP = 'UPDATE' THEN
        DELETE FROM {TABLE} WHERE doc_id = OLD.id;
    END IF;
    RETURN NULL;
END
$$
"""
POSTGRES_TRIGGER = (
    f"CREATE OR REPLACE TRIGGER {TABLE}_sync AFTER INSERT OR DELETE OR UPDATE OF {_WATCHED} "
    f"ON {DOCUMENTS} FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()"
)

_FILL = (
    f"INSERT INTO {TABLE} ({_COLUMNS}) SELECT {_values()} FROM {DOCUMENTS} "
    f"WHERE state = '{PUBLISHED}'"
)


def _tables(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def install(connection: BaseDatabaseWrapper) -> bool:
    """Create the triggers where they are missing or differ from these; True when any was
    (re)made, and the cards may therefore have missed writes."""
    changed = False
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [DOCUMENTS],
            )
            present = dict(cursor.fetchall())
            for name, sql in SQLITE_TRIGGERS.items():
                if present.get(name) != sql:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                    cursor.execute(sql)
                    changed = True
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
                [f"{TABLE}_sync", DOCUMENTS],
            )
            changed = cursor.fetchone() is None
            cursor.execute(POSTGRES_FUNCTION)
            cursor.execute(POSTGRES_TRIGGER)
        else:  # pragma: no cover - the two databases the platform runs on
            raise NotImplementedError(connection.vendor)
    return changed


def rebuild(connection: BaseDatabaseWrapper) -> int:
    """Every published document's card made again from the document table."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(_FILL)
        return int(cursor.rowcount or 0)


def ensure(connection: BaseDatabaseWrapper) -> dict[str, Any]:
    """After migrate: the triggers in place, and the cards rebuilt when a trigger was missing
    or their number differs from the published documents'."""
    if not {TABLE, DOCUMENTS} <= _tables(connection):
        return {"installed": False, "rebuilt": False}
    with transaction.atomic(using=connection.alias):
        changed = install(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            cards = cursor.fetchone()[0]
            cursor.execute(f"SELECT count(*) FROM {DOCUMENTS} WHERE state = %s", [PUBLISHED])
            published = cursor.fetchone()[0]
        if changed or cards != published:
            rebuild(connection)
            return {"installed": changed, "rebuilt": True}
    return {"installed": changed, "rebuilt": False}


# SQLite hands dates and times over as text when they are read through an expression:
# parsed by the caller with the standard library's C parser, not by the driver's converters
# (a fifth of what reading 20 cards cost in Python)
_AS_TEXT = {
    "published_at": "CAST(published_at AS TEXT)",
    "written_on": "CAST(written_on AS TEXT)",
}


@functools.lru_cache(maxsize=128)
def fetch_sql(count: int, vendor: str, mark: str = "%s") -> str:
    """The cards of ``count`` documents (parameters: their ids, each written ``mark``: Django's
    placeholder, or the SQLite driver's own), columns as ``COLUMNS``."""
    marks = ", ".join([mark] * count)
    columns = ", ".join(_AS_TEXT.get(c, c) for c in COLUMNS) if vendor == "sqlite" else _COLUMNS
    return f"SELECT {columns} FROM {TABLE} WHERE doc_id IN ({marks})"


def read(connection: BaseDatabaseWrapper, ids: list[int]) -> list[tuple]:
    """The cards of ``ids`` (distinct), columns as ``COLUMNS``.

    Where Django records queries (tests counting them, debugging) they go through its
    cursor; otherwise straight to the driver's connection, as the search reads them once per
    result page: Django's cursor wrapper (creating the wrapper, checking the transaction,
    rewriting the placeholders with a regular expression) cost a twentieth of a search."""
    if connection.queries_logged or connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(fetch_sql(len(ids), connection.vendor), ids)
            return cursor.fetchall()
    connection.ensure_connection()
    return connection.connection.execute(fetch_sql(len(ids), "sqlite", "?"), ids).fetchall()
