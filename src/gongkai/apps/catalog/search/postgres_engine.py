"""The PostgreSQL engine: full-text search in the database itself (no index files).

PostgreSQL has no Chinese parser in Debian (no zhparser, no pg_jieba), so documents arrive
segmented by rjieba and are stored as a tsvector of those very lexemes
(``array_to_tsvector``: no parser runs, so documents and queries cannot be split
differently). The same tsvector also carries

- ``zh<word>`` for every title word (title matches rank first),
- one lexeme per filter value: ``za<agency>``, ``zc<column>``, ``zt<topic>``, ``zg<genre>``,
  ``zy<year>``, ``zv<validity>``, and ``zall`` on every row,

so a search with its filters is a single ``tsv @@ tsquery`` that the index answers alone, and
the heap (kept narrow: the tsvector is stored out of line) is read only for the rows returned.

With the ``rum`` extension (Debian: postgresql-15-rum) the index is a RUM index carrying the
publication time, which returns matches newest first without reading and sorting them all:
this is what keeps a million documents under 50 ms (bench/results/search.md). Without it the
same queries run on a GIN index (correct, slower on large result sets).

Browse lists (no words, one filter or none, newest first) read a second table,
``catalog_search_pg_keys``: one row per document and filter value (the same ``za…``/``zc…``
names, ``zall`` for every document) under a B-tree on (key, published_at, doc_id). A page of
a year or genre with a hundred thousand documents is then an index-only read of 20 entries,
where the tsvector index had to collect and sort every match (12–16 ms a page).

Ordering: by date, newest first; by relevance, documents whose title holds every query word
come first (newest first), then the others (newest first). Totals and facet counts are
exact up to ``COUNT_CAP`` matches; beyond it the total is a lower bound and the facet counts
describe the newest ``COUNT_CAP`` matches (the page says so). Exact counts of every match
cost 0.1–0.9 s a search at a million documents, because PostgreSQL has to read each
matching row; tantivy counts them from its index (ADR 0040).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import connections, transaction

from gongkai.apps.catalog.search.base import (
    EngineQuery,
    EngineResult,
    IndexEntry,
    Progress,
)

TABLE = "catalog_search_pg"
BUILD = "catalog_search_pg_build"
KEYS = "catalog_search_pg_keys"
KEYS_BUILD = "catalog_search_pg_keys_build"
_KEYS_OF = {TABLE: KEYS, BUILD: KEYS_BUILD}  # each search table's browse keys
COUNT_CAP = 1001
FAR_FUTURE = "2999-12-31 00:00:00+00"
_PREFIX = {
    "agency": "za",
    "column": "zc",
    "topic": "zt",
    "genre": "zg",
    "year": "zy",
    "validity": "zv",
}
_LEXEME = re.compile(r"^[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


def table_sql(name: str) -> str:
    return f"""
CREATE TABLE {name} (
    doc_id bigint PRIMARY KEY,
    published_at timestamptz NOT NULL,
    agency_ids bigint[] NOT NULL,
    column_ids bigint[] NOT NULL,
    topic_ids bigint[] NOT NULL,
    genre_id bigint NOT NULL DEFAULT 0,
    year smallint NOT NULL,
    validity smallint NOT NULL,
    tsv tsvector NOT NULL
) WITH (toast_tuple_target = 128)"""


def keys_table_sql(name: str) -> str:
    return f"CREATE TABLE {name} (key text NOT NULL, published_at timestamptz NOT NULL, doc_id bigint NOT NULL)"


def keys_index_sql(name: str) -> list[str]:
    """The browse keys' B-tree, and the index that finds a document's rows when it changes
    (built after the rows on a rebuild)."""
    return [
        f"ALTER TABLE {name} ADD CONSTRAINT {name}_pkey PRIMARY KEY (key, published_at, doc_id)",
        f"CREATE INDEX {name}_doc ON {name} (doc_id)",
    ]


def index_sql(table: str, index: str, rum: bool) -> str:
    if rum:
        return (
            f"CREATE INDEX {index} ON {table} USING rum (tsv rum_tsvector_addon_ops, published_at) "
            "WITH (attach = 'published_at', to = 'tsv')"
        )
    return f"CREATE INDEX {index} ON {table} USING gin (tsv)"


def has_rum(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
        return cursor.fetchone() is not None


def filter_keys(entry: IndexEntry) -> set[str]:
    """The filter values of a document as lexemes (and browse keys)."""
    keys = {f"za{a}" for a in entry.agency_ids}
    keys.update(f"zc{c}" for c in entry.column_ids)
    keys.update(f"zt{t}" for t in entry.topic_ids)
    keys.update((f"zg{entry.genre_id}", f"zy{entry.year}", f"zv{entry.validity}", "zall"))
    return keys


def lexemes(entry: IndexEntry) -> list[str]:
    """Everything the tsvector of a document holds (deduplicated)."""
    words = set(entry.body_tokens.split())
    title = entry.title_tokens.split()
    words.update(f"zh{w}" for w in title)
    words.update(filter_keys(entry))
    return sorted(w for w in words if w)


def _key_rows(entry: IndexEntry) -> list[tuple]:
    published = dt.datetime.fromtimestamp(entry.published_ts, tz=dt.UTC)
    return [(key, published, entry.doc_id) for key in sorted(filter_keys(entry))]


def _tsquery(words: Iterable[str]) -> str:
    """A tsquery of lexemes joined by AND. Query words come from the segmenter (letters,
    digits and CJK only); anything else is dropped rather than quoted into the syntax."""
    return " & ".join(f"'{w}'" for w in words if _LEXEME.match(w))


def _group_tsquery(groups, prefix: str = "") -> str:
    """A tsquery for word groups (ADR 0140): groups joined by AND, a group's alternatives by
    OR, an alternative's tokens by AND. Tokens outside the segmenter's alphabet are dropped;
    an alternative left without tokens drops out, a group without alternatives empties the
    whole query (nothing can match it)."""
    parts = []
    for group in groups:
        alternatives = []
        for alternative in group:
            words = [f"'{prefix}{w}'" for w in alternative if _LEXEME.match(w)]
            if words:
                alternatives.append(words[0] if len(words) == 1 else "(" + " & ".join(words) + ")")
        if not alternatives:
            return ""
        parts.append(
            alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"
        )
    return " & ".join(parts)


_COLUMNS = "doc_id, published_at, agency_ids, column_ids, topic_ids, genre_id, year, validity, tsv"


def _upsert_sql(table: str) -> str:
    return f"""
INSERT INTO {table} ({_COLUMNS})
VALUES (%s, %s, %s::bigint[], %s::bigint[], %s::bigint[], %s, %s, %s, array_to_tsvector(%s::text[]))
ON CONFLICT (doc_id) DO UPDATE SET
    published_at = EXCLUDED.published_at, agency_ids = EXCLUDED.agency_ids,
    column_ids = EXCLUDED.column_ids, topic_ids = EXCLUDED.topic_ids,
    genre_id = EXCLUDED.genre_id, year = EXCLUDED.year, validity = EXCLUDED.validity,
    tsv = EXCLUDED.tsv"""


def _params(entry: IndexEntry) -> tuple:
    return (
        entry.doc_id,
        dt.datetime.fromtimestamp(entry.published_ts, tz=dt.UTC),
        list(entry.agency_ids),
        list(entry.column_ids),
        list(entry.topic_ids),
        entry.genre_id,
        entry.year,
        entry.validity,
        lexemes(entry),
    )


def tsvector_literal(words: Iterable[str]) -> str:
    """The tsvector input form of lexemes, each quoted so that none is parsed or normalised
    (the same value ``array_to_tsvector`` gives for the array of those words)."""
    # escape the joined words in three passes over one string rather than two per word
    # (words come from the segmenter and never hold NUL)
    joined = "\0".join(words).replace("\\", "\\\\").replace("'", "''")
    return "'" + joined.replace("\0", "' '") + "'" if joined else ""


def _copy_row(entry: IndexEntry) -> tuple:
    """:func:`_params` for COPY: the lexemes as a tsvector literal (COPY runs no function)."""
    *columns, words = _params(entry)
    return (*columns, tsvector_literal(words))


class PostgresEngine:
    name = "postgres"

    def __init__(self, using: str = "default") -> None:
        self.using = using
        self._rum: bool | None = None

    @property
    def _connection(self):
        return connections[self.using]

    @property
    def rum(self) -> bool:
        if self._rum is None:
            self._rum = has_rum(self._connection)
        return self._rum

    def _order(self) -> str:
        if self.rum:  # the index returns rows in this order
            return f"published_at <=> '{FAR_FUTURE}'::timestamptz"
        return "published_at DESC, doc_id DESC"

    def _ids(
        self,
        cursor,
        words: list[str],
        limit: int,
        offset: int = 0,
        *,
        browse: bool = False,
        text: str = "",
    ) -> list[int]:
        """Matching documents, newest first. ``browse``: ``words`` is one filter lexeme (or
        ``zall``), read from the keys' B-tree."""
        if browse:
            cursor.execute(
                f"SELECT doc_id FROM {KEYS} WHERE key = %s "
                "ORDER BY published_at DESC, doc_id DESC LIMIT %s OFFSET %s",
                [words[0], limit, offset],
            )
        else:
            cursor.execute(
                f"SELECT doc_id FROM {TABLE} WHERE tsv @@ %s::tsquery "
                f"ORDER BY {self._order()} LIMIT %s OFFSET %s",
                [" & ".join(p for p in (text, _tsquery(words)) if p), limit, offset],
            )
        return [row[0] for row in cursor.fetchall()]

    def search(self, query: EngineQuery) -> EngineResult:
        filters = [f"{_PREFIX[name]}{value}" for name, value in query.filters.active().items()]
        groups = query.word_groups()
        text = _group_tsquery(groups)
        if groups and not text:
            return EngineResult(total=0, ids=[])
        words = filters or ([] if groups else ["zall"])
        browse = not groups and len(words) == 1
        wanted = query.offset + query.limit
        cap = max(wanted, COUNT_CAP)
        with self._connection.cursor() as cursor:
            if groups and query.sort != "date":
                first: list[int] = []
                for tier in query.title_tiers():
                    title = _group_tsquery(tier, "zh")
                    known = set(first)
                    first += [
                        i for i in self._ids(cursor, words, wanted, text=title) if i not in known
                    ]
                    if len(first) >= wanted:
                        break
                first = first[:wanted]
                rest = self._ids(cursor, words, cap, text=text)
                seen = set(first)
                ids = (first + [i for i in rest if i not in seen])[query.offset : wanted]
            elif query.count or query.facets:
                rest = self._ids(cursor, words, cap, browse=browse, text=text)
                ids = rest[query.offset : wanted]
            else:  # a browse list whose total the caller already knows
                ids = self._ids(cursor, words, query.limit, query.offset, browse=browse, text=text)
                return EngineResult(total=-1, ids=ids)
            # facet counts over the matches already read: all of them up to the cap, else
            # the newest ``cap`` (reading every match of common words took 0.1–0.9 s)
            facets = self._facets(cursor, rest) if query.facets else {}
        exact = len(rest) < cap
        return EngineResult(
            total=len(rest), ids=ids, facets=facets, exact=exact, facets_exact=exact
        )

    def _facets(self, cursor, doc_ids: list[int]) -> dict[str, dict[int, int]]:
        if not doc_ids:
            return {}
        cursor.execute(
            f"""
WITH m AS MATERIALIZED (
    SELECT agency_ids, column_ids, topic_ids, genre_id, year, validity FROM {TABLE}
    WHERE doc_id = ANY(%s::bigint[])
)
SELECT 'agency', a, count(*) FROM m, unnest(agency_ids) a GROUP BY a
UNION ALL SELECT 'column', c, count(*) FROM m, unnest(column_ids) c GROUP BY c
UNION ALL SELECT 'topic', t, count(*) FROM m, unnest(topic_ids) t GROUP BY t
UNION ALL SELECT 'genre', genre_id, count(*) FROM m GROUP BY genre_id
UNION ALL SELECT 'year', year, count(*) FROM m GROUP BY year
UNION ALL SELECT 'validity', validity, count(*) FROM m GROUP BY validity""",
            [doc_ids],
        )
        facets: dict[str, dict[int, int]] = {}
        for name, key, count in cursor.fetchall():
            facets.setdefault(name, {})[int(key)] = int(count)
        return facets

    def count(self) -> int:
        with self._connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def _write(self, table: str, entries: Sequence[IndexEntry], deleted: Sequence[int]) -> None:
        keys = _KEYS_OF[table]
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            kept = {e.doc_id for e in entries}
            gone = [d for d in deleted if d not in kept]
            if gone:
                cursor.execute(
                    f"DELETE FROM {table} WHERE doc_id = ANY(%s::bigint[])", [list(gone)]
                )
            changed = [*kept, *gone]
            if changed:
                cursor.execute(
                    f"DELETE FROM {keys} WHERE doc_id = ANY(%s::bigint[])", [list(changed)]
                )
            if entries:
                cursor.executemany(_upsert_sql(table), [_params(e) for e in entries])
                cursor.executemany(
                    f"INSERT INTO {keys} (key, published_at, doc_id) VALUES (%s, %s, %s)",
                    [row for e in entries for row in _key_rows(e)],
                )

    def upsert(self, entries: Sequence[IndexEntry]) -> None:
        if entries:
            self._write(TABLE, entries, ())

    def delete(self, doc_ids: Sequence[int]) -> None:
        if doc_ids:
            self._write(TABLE, (), doc_ids)

    def clear(self) -> None:
        with self._connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(f"DELETE FROM {KEYS}")

    def build_new(self, entries: Iterable[IndexEntry], progress: Progress | None = None) -> str:
        """Fill a shadow table without its index, then index it: far faster than indexing as
        rows arrive, and searches keep using the live table meanwhile."""
        with self._connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {BUILD}")
            cursor.execute(f"DROP TABLE IF EXISTS {KEYS_BUILD}")
            cursor.execute(table_sql(BUILD))
            cursor.execute(keys_table_sql(KEYS_BUILD))
        batch: list[IndexEntry] = []
        done = 0

        def flush() -> None:
            # COPY, not INSERT: the shadow table is new and unindexed, so rows need no
            # conflict handling, and COPY skips parsing and planning a statement per row
            with (
                transaction.atomic(using=self.using),
                self._connection.cursor() as cursor,
                cursor.copy(f"COPY {BUILD} ({_COLUMNS}) FROM STDIN") as copy,
            ):
                for e in batch:
                    copy.write_row(_copy_row(e))
            with (
                transaction.atomic(using=self.using),
                self._connection.cursor() as cursor,
                cursor.copy(f"COPY {KEYS_BUILD} (key, published_at, doc_id) FROM STDIN") as copy,
            ):
                for e in batch:
                    for row in _key_rows(e):
                        copy.write_row(row)

        for entry in entries:
            batch.append(entry)
            if len(batch) >= 5000:
                flush()
                done += len(batch)
                batch = []
                if progress is not None:
                    progress(done, None)
        if batch:
            flush()
            done += len(batch)
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            # the index is built once from every row: sorting in memory rather than in
            # temporary files is what this session setting buys (the server's default is 64 MB)
            cursor.execute(
                "SELECT set_config('maintenance_work_mem', %s, true)",
                [settings.GONGKAI_SEARCH_BUILD_MEMORY],
            )
            cursor.execute(index_sql(BUILD, f"{BUILD}_tsv", self.rum))
            for sql in keys_index_sql(KEYS_BUILD):
                cursor.execute(sql)
        with self._connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {BUILD}")
            # sets the visibility map, so that browse pages are index-only reads (a VACUUM
            # cannot run inside a transaction: tests build indexes inside theirs)
            if self._connection.in_atomic_block:
                cursor.execute(f"ANALYZE {KEYS_BUILD}")
            else:
                cursor.execute(f"VACUUM (ANALYZE) {KEYS_BUILD}")
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
            cursor.execute(f"ALTER INDEX {handle}_tsv RENAME TO {TABLE}_tsv")
            cursor.execute(f"DROP TABLE IF EXISTS {KEYS}")
            cursor.execute(f"ALTER TABLE {KEYS_BUILD} RENAME TO {KEYS}")
            cursor.execute(f"ALTER TABLE {KEYS} RENAME CONSTRAINT {KEYS_BUILD}_pkey TO {KEYS}_pkey")
            cursor.execute(f"ALTER INDEX {KEYS_BUILD}_doc RENAME TO {KEYS}_doc")
