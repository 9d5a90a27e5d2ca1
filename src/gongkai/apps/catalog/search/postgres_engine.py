"""The PostgreSQL engine: full-text search in the database itself (no index files).

PostgreSQL has no Chinese parser in Debian (no zhparser, no pg_jieba), so documents arrive
already segmented by rjieba and are turned into a tsvector with the 'simple' configuration:
the parser only splits on the spaces we put in and lower-cases. Title tokens carry weight A,
so ``ts_rank`` ranks title matches first, as tantivy's title boost does. Queries go through
``plainto_tsquery('simple', …)``: every word is required, and user input never reaches the
tsquery syntax.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connections, transaction

from gongkai.apps.catalog.search.base import (
    EngineQuery,
    EngineResult,
    IndexEntry,
    Progress,
)

TABLE = "catalog_search_pg"
BUILD = "catalog_search_pg_build"
_ARRAY_FILTERS = {"agency": "agency_ids", "column": "column_ids", "topic": "topic_ids"}
_SCALAR_FILTERS = {"genre": "genre_id", "year": "year", "validity": "validity"}
_INDEXES = (
    ("tsv", "USING gin (tsv)"),
    ("agency", "USING gin (agency_ids)"),
    ("column", "USING gin (column_ids)"),
    ("topic", "USING gin (topic_ids)"),
    ("published", "(published_at)"),
)


def _columns_sql(table: str) -> str:
    return f"""
CREATE TABLE {table} (
    doc_id bigint PRIMARY KEY,
    agency_ids bigint[] NOT NULL,
    column_ids bigint[] NOT NULL,
    topic_ids bigint[] NOT NULL,
    genre_id bigint NOT NULL DEFAULT 0,
    year smallint NOT NULL,
    validity smallint NOT NULL,
    published_at timestamptz NOT NULL,
    title_tsv tsvector NOT NULL,
    tsv tsvector NOT NULL
)"""


def _upsert_sql(table: str) -> str:
    return f"""
INSERT INTO {table} (doc_id, agency_ids, column_ids, topic_ids, genre_id, year, validity,
                     published_at, title_tsv, tsv)
VALUES (%s, %s::bigint[], %s::bigint[], %s::bigint[], %s, %s, %s, %s,
        to_tsvector('simple', %s),
        setweight(to_tsvector('simple', %s), 'A') || to_tsvector('simple', %s))
ON CONFLICT (doc_id) DO UPDATE SET
    agency_ids = EXCLUDED.agency_ids, column_ids = EXCLUDED.column_ids,
    topic_ids = EXCLUDED.topic_ids, genre_id = EXCLUDED.genre_id, year = EXCLUDED.year,
    validity = EXCLUDED.validity, published_at = EXCLUDED.published_at,
    title_tsv = EXCLUDED.title_tsv, tsv = EXCLUDED.tsv"""


def _params(entry: IndexEntry) -> tuple:
    return (
        entry.doc_id,
        list(entry.agency_ids),
        list(entry.column_ids),
        list(entry.topic_ids),
        entry.genre_id,
        entry.year,
        entry.validity,
        dt.datetime.fromtimestamp(entry.published_ts, tz=dt.UTC),
        entry.title_tokens,
        entry.title_tokens,
        entry.body_tokens,
    )


class PostgresEngine:
    name = "postgres"

    def __init__(self, using: str = "default") -> None:
        self.using = using

    @property
    def _connection(self):
        return connections[self.using]

    def _where(self, query: EngineQuery) -> tuple[str, list]:
        parts, params = [], []
        if query.terms:
            parts.append("tsv @@ plainto_tsquery('simple', %s)")
            params.append(" ".join(query.terms))
        for name, value in query.filters.active().items():
            if name in _ARRAY_FILTERS:
                parts.append(f"{_ARRAY_FILTERS[name]} @> ARRAY[%s]::bigint[]")
            else:
                parts.append(f"{_SCALAR_FILTERS[name]} = %s")
            params.append(value)
        return (" AND ".join(parts) or "TRUE"), params

    def search(self, query: EngineQuery) -> EngineResult:
        where, params = self._where(query)
        if query.terms and query.sort != "date":
            order = (
                "ts_rank(tsv, plainto_tsquery('simple', %s)) DESC, published_at DESC, doc_id DESC"
            )
            order_params = [" ".join(query.terms)]
        else:
            order, order_params = "published_at DESC, doc_id DESC", []
        with self._connection.cursor() as cursor:
            cursor.execute(
                f"SELECT doc_id FROM {TABLE} WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, *order_params, query.limit, query.offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
            facets: dict[str, dict[int, int]] = {}
            if query.facets:
                cursor.execute(
                    f"""
WITH m AS MATERIALIZED (
    SELECT agency_ids, column_ids, topic_ids, genre_id, year, validity FROM {TABLE} WHERE {where}
)
SELECT 'total', 0, count(*) FROM m
UNION ALL SELECT 'agency', a, count(*) FROM m, unnest(agency_ids) a GROUP BY a
UNION ALL SELECT 'column', c, count(*) FROM m, unnest(column_ids) c GROUP BY c
UNION ALL SELECT 'topic', t, count(*) FROM m, unnest(topic_ids) t GROUP BY t
UNION ALL SELECT 'genre', genre_id, count(*) FROM m GROUP BY genre_id
UNION ALL SELECT 'year', year, count(*) FROM m GROUP BY year
UNION ALL SELECT 'validity', validity, count(*) FROM m GROUP BY validity""",
                    params,
                )
                total = 0
                for name, key, count in cursor.fetchall():
                    if name == "total":
                        total = int(count)
                    else:
                        facets.setdefault(name, {})[int(key)] = int(count)
                if not total:
                    facets = {}
            elif query.count:
                cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}", params)
                total = int(cursor.fetchone()[0])
            else:
                total = -1
        return EngineResult(total=total, ids=ids, facets=facets)

    def count(self) -> int:
        with self._connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def _write(self, table: str, entries: Sequence[IndexEntry], deleted: Sequence[int]) -> None:
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            gone = [d for d in deleted if d not in {e.doc_id for e in entries}]
            if gone:
                cursor.execute(
                    f"DELETE FROM {table} WHERE doc_id = ANY(%s::bigint[])", [list(gone)]
                )
            if entries:
                cursor.executemany(_upsert_sql(table), [_params(e) for e in entries])

    def upsert(self, entries: Sequence[IndexEntry]) -> None:
        if entries:
            self._write(TABLE, entries, ())

    def delete(self, doc_ids: Sequence[int]) -> None:
        if doc_ids:
            self._write(TABLE, (), doc_ids)

    def clear(self) -> None:
        with self._connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def build_new(self, entries: Iterable[IndexEntry], progress: Progress | None = None) -> str:
        """Fill a shadow table without indexes, then index it: far faster than indexing as
        rows arrive, and searches keep using the live table meanwhile."""
        with self._connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {BUILD}")
            cursor.execute(_columns_sql(BUILD))
        batch: list[IndexEntry] = []
        done = 0
        sql = _upsert_sql(BUILD)
        for entry in entries:
            batch.append(entry)
            if len(batch) >= 2000:
                with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
                    cursor.executemany(sql, [_params(e) for e in batch])
                done += len(batch)
                batch = []
                if progress is not None:
                    progress(done, None)
        if batch:
            with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
                cursor.executemany(sql, [_params(e) for e in batch])
            done += len(batch)
        with self._connection.cursor() as cursor:
            for suffix, definition in _INDEXES:
                cursor.execute(f"CREATE INDEX {BUILD}_{suffix} ON {BUILD} {definition}")
            cursor.execute(f"ANALYZE {BUILD}")
        if progress is not None:
            progress(done, None)
        return BUILD

    def apply_to(self, handle: str, entries: Sequence[IndexEntry], deleted: Sequence[int]) -> None:
        if entries or deleted:
            self._write(handle, entries, deleted)

    def activate(self, handle: str) -> None:
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cursor.execute(f"ALTER TABLE {handle} RENAME TO {TABLE}")
            cursor.execute(f"ALTER TABLE {TABLE} RENAME CONSTRAINT {handle}_pkey TO {TABLE}_pkey")
            for suffix, _definition in _INDEXES:
                cursor.execute(f"ALTER INDEX {handle}_{suffix} RENAME TO {TABLE}_{suffix}")
