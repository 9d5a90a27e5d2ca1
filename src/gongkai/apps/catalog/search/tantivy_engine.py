"""The embedded engine: a tantivy index on disk (default under var/search/tantivy).

Layout: ``<root>/CURRENT`` names the live generation directory (``gen-<ns>``). A rebuild
writes a new generation next to it and switches CURRENT atomically, so the site keeps
searching the old index while the new one is built; readers notice the switch (and commits
by other processes, the server's follower) by checking two file stamps, at most once every
``RECHECK_SECONDS`` rather than before every search (ADR 0111); a process sees its own writes
at once, and ``refresh()`` checks now (the page cache asks it before keeping a list).

Text fields hold rjieba tokens joined by spaces and use tantivy's built-in ``whitespace``
tokenizer, so nothing has to be registered after opening an index. Positions are not indexed
(no phrase queries): frequencies are enough for BM25 and the index is smaller and faster.
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

import tantivy

from gongkai.apps.catalog.search.base import (
    FACETS,
    Alternatives,
    EngineQuery,
    EngineResult,
    IndexBusy,
    IndexEntry,
    Progress,
)

_FIELD = {
    "agency": "agency",
    "column": "column",
    "topic": "topic",
    "genre": "genre",
    "year": "year",
    "validity": "validity",
}
# how stale a reader may be after another process (the follower) commits or switches the
# generation; a process's own writes are seen at once
RECHECK_SECONDS = 1.0
# a query with more choices of alternatives than this keeps its ORs nested (see _query)
MAX_CHOICES = 16
_FACET_SIZE = {"agency": 500, "column": 500, "topic": 500, "genre": 100, "year": 100, "validity": 5}


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("doc_id", indexed=True, fast=True)
    sb.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    for name in ("agency", "column", "topic", "genre", "year", "validity"):
        sb.add_unsigned_field(name, indexed=True, fast=True)
    sb.add_integer_field("published", indexed=True, fast=True)
    return sb.build()


def _document(entry: IndexEntry) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("doc_id", entry.doc_id)
    doc.add_text("title", entry.title_tokens)
    doc.add_text("body", entry.body_tokens)
    for agency in entry.agency_ids:
        doc.add_unsigned("agency", agency)
    for column in entry.column_ids:
        doc.add_unsigned("column", column)
    for topic in entry.topic_ids:
        doc.add_unsigned("topic", topic)
    doc.add_unsigned("genre", entry.genre_id)
    doc.add_unsigned("year", entry.year)
    doc.add_unsigned("validity", entry.validity)
    doc.add_integer("published", entry.published_ts)
    return doc


class TantivyEngine:
    name = "tantivy"

    def __init__(self, root: Path, *, writer_heap: int = 64_000_000, build_heap: int = 512_000_000):
        self.root = Path(root) / "tantivy"
        self.schema = build_schema()
        self.writer_heap = writer_heap
        self.build_heap = build_heap
        self._lock = threading.RLock()
        self._index: tantivy.Index | None = None
        self._generation = ""
        self._stamp: tuple[float, float] = (0.0, 0.0)
        self._searcher_cache: tantivy.Searcher | None = None
        self._checked = 0.0  # time.monotonic() of the last look at the files

    # -- locations ---------------------------------------------------------------------------

    @property
    def _current_file(self) -> Path:
        return self.root / "CURRENT"

    def _live_generation(self) -> str:
        try:
            return self._current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return ""

    def _ensure_live(self) -> str:
        """The live generation, creating an empty index the first time."""
        generation = self._live_generation()
        if generation and (self.root / generation / "meta.json").exists():
            return generation
        with self._lock:
            generation = self._live_generation()
            if generation and (self.root / generation / "meta.json").exists():
                return generation
            generation = self._new_generation()
            tantivy.Index(self.schema, path=str(self.root / generation))
            self._switch(generation)
            return generation

    def _new_generation(self) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        generation = f"gen-{time.time_ns()}"
        (self.root / generation).mkdir()
        return generation

    def _switch(self, generation: str) -> None:
        tmp = self.root / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(generation, encoding="utf-8")
        os.replace(tmp, self._current_file)

    def _file_stamp(self, generation: str) -> tuple[float, float]:
        try:
            current = self._current_file.stat().st_mtime_ns
            meta = (self.root / generation / "meta.json").stat().st_mtime_ns
        except FileNotFoundError:
            return (0.0, 0.0)
        return (current, meta)

    # -- reading -----------------------------------------------------------------------------

    def _searcher(self) -> tantivy.Searcher:
        """The current searcher; the files are looked at only when the last look is older
        than RECHECK_SECONDS (the stat calls cost more than a cached search's engine work)."""
        searcher = self._searcher_cache
        if searcher is not None and time.monotonic() - self._checked < RECHECK_SECONDS:
            return searcher
        return self.refresh()

    def refresh(self) -> tantivy.Searcher:
        """Look at the files now: reopen after a generation switch, reload after another
        process's commit."""
        with self._lock:
            generation = self._ensure_live()
            if self._index is None or generation != self._generation:
                self._index = tantivy.Index.open(str(self.root / generation))
                self._generation = generation
                self._stamp = self._file_stamp(generation)
                self._searcher_cache = None
            else:
                stamp = self._file_stamp(generation)
                if stamp != self._stamp:  # another process committed
                    self._index.reload()
                    self._stamp = stamp
                    self._searcher_cache = None
            if self._searcher_cache is None:
                self._searcher_cache = self._index.searcher()
            self._checked = time.monotonic()
            return self._searcher_cache

    def _query(
        self,
        query: EngineQuery,
        field: str = "body",
        groups: tuple[Alternatives, ...] | None = None,
    ) -> tantivy.Query:
        """Every word must be in ``field`` (the body field includes the title), within the
        filters (which do not score).

        A query whose words have alternatives (aliases, a user word's parts) becomes an OR
        of plain conjunctions, one per choice of alternatives, each with the filters: tantivy
        walks a conjunction by skipping through its rarest list, but an OR nested inside an
        AND is advanced document by document, which cost three to ten times more for the
        same matches (bench/results/search_plain.md). Beyond ``MAX_CHOICES`` choices the OR
        stays nested."""
        Q, Occur = tantivy.Query, tantivy.Occur
        filters = [
            (Occur.Must, Q.const_score_query(Q.term_query(self.schema, _FIELD[name], value), 0.0))
            for name, value in query.filters.active().items()
        ]
        if not query.has_words:
            return Q.boolean_query([*filters, (Occur.Must, Q.all_query())])
        groups = query.word_groups() if groups is None else groups
        choices = math.prod(len(group) for group in groups)
        if choices <= MAX_CHOICES:
            conjunctions = [
                Q.boolean_query(
                    [
                        *(
                            (Occur.Must, Q.term_query(self.schema, field, t))
                            for t in dict.fromkeys(t for alternative in choice for t in alternative)
                        ),
                        *filters,
                    ]
                )
                for choice in itertools.product(*groups)
            ]
            if len(conjunctions) == 1:
                return conjunctions[0]
            return Q.boolean_query([(Occur.Should, c) for c in conjunctions])

        def conjunction(tokens: tuple[str, ...]) -> tantivy.Query:
            if len(tokens) == 1:
                return Q.term_query(self.schema, field, tokens[0])
            return Q.boolean_query(
                [(Occur.Must, Q.term_query(self.schema, field, t)) for t in tokens]
            )

        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for group in groups:
            if len(group) == 1:
                clauses.extend((Occur.Must, Q.term_query(self.schema, field, t)) for t in group[0])
            else:
                either = Q.boolean_query([(Occur.Should, conjunction(alt)) for alt in group])
                clauses.append((Occur.Must, either))
        return Q.boolean_query([*clauses, *filters])

    @staticmethod
    def _ids(searcher: tantivy.Searcher, hits: list) -> list[int]:
        addresses = [address for _key, address in hits]
        if not addresses:
            return []
        values = searcher.fast_field_values("doc_id", addresses)
        return [int(cast(int, v)) for v in values]  # every document has its doc_id

    def search(self, query: EngineQuery) -> EngineResult:
        """By relevance, documents whose title holds every word come first (BM25 on the
        title), then the others (BM25 on the body), as on PostgreSQL. Two plain
        conjunctions cost less than one query with an optional title clause per word, which
        makes tantivy score every match twice (bench/results/search.md)."""
        searcher = self._searcher()
        body = self._query(query)
        limit = max(query.limit, 0)
        wanted = query.offset + limit
        if query.sort == "date" or not query.has_words:
            result = searcher.search(
                body,
                limit=max(limit, 1),
                count=True,
                order_by_field="published",
                offset=query.offset,
            )
            ids = self._ids(searcher, result.hits[:limit])
        else:
            first: list[int] = []
            for tier in query.title_tiers():
                title = searcher.search(
                    self._query(query, "title", tier), limit=max(wanted, 1), count=False
                )
                known = set(first)
                first += [i for i in self._ids(searcher, title.hits[:wanted]) if i not in known]
                if len(first) >= wanted:
                    break
            first = first[:wanted]
            result = searcher.search(body, limit=max(wanted + len(first), 1), count=True)
            seen = set(first)
            rest = [i for i in self._ids(searcher, result.hits) if i not in seen]
            ids = (first + rest)[query.offset : wanted]
        facets: dict[str, dict[int, int]] = {}
        if query.facets and result.count:  # type: ignore[attr-defined]  # (not in tantivy's stubs)
            spec = {
                name: {"terms": {"field": _FIELD[name], "size": _FACET_SIZE[name]}}
                for name in FACETS
            }
            raw = searcher.aggregate(body, spec)
            for name in FACETS:
                buckets = raw.get(name, {}).get("buckets", [])
                facets[name] = {int(b["key"]): int(b["doc_count"]) for b in buckets}
        total = int(result.count or 0)  # type: ignore[attr-defined]  # (not in tantivy's stubs)
        return EngineResult(total=total, ids=ids, facets=facets)

    def count(self) -> int:
        return int(self._searcher().num_docs)

    # -- writing -----------------------------------------------------------------------------

    def _writer(self, index: tantivy.Index, heap: int, threads: int = 1, wait: float = 3.0):
        deadline = time.monotonic() + wait
        while True:
            try:
                return index.writer(heap_size=heap, num_threads=threads)
            except ValueError as exc:
                if "Lock" not in str(exc) or time.monotonic() >= deadline:
                    raise IndexBusy(str(exc)) from exc
                time.sleep(0.05)

    def _write(
        self, generation: str, entries: Sequence[IndexEntry], deleted: Sequence[int]
    ) -> None:
        index = tantivy.Index.open(str(self.root / generation))
        writer = self._writer(index, self.writer_heap)
        try:
            ids = sorted({*deleted, *(e.doc_id for e in entries)})
            if ids:
                # by query: delete_documents_by_term turns a Python int into an i64 term,
                # which never matches this u64 field
                writer.delete_documents_by_query(
                    tantivy.Query.term_set_query(self.schema, "doc_id", ids)
                )
            for entry in entries:
                writer.add_document(_document(entry))
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise

    def upsert(self, entries: Sequence[IndexEntry]) -> None:
        if entries:
            self._write(self._ensure_live(), entries, ())
            self._refresh()

    def delete(self, doc_ids: Sequence[int]) -> None:
        if doc_ids:
            self._write(self._ensure_live(), (), doc_ids)
            self._refresh()

    def _refresh(self) -> None:
        with self._lock:
            if self._index is not None and self._generation == self._live_generation():
                self._index.reload()
                self._stamp = self._file_stamp(self._generation)
                self._searcher_cache = self._index.searcher()
                self._checked = time.monotonic()

    def clear(self) -> None:
        generation = self._ensure_live()
        index = tantivy.Index.open(str(self.root / generation))
        writer = self._writer(index, self.writer_heap)
        writer.delete_all_documents()
        writer.commit()
        writer.wait_merging_threads()
        self._refresh()

    def build_new(self, entries: Iterable[IndexEntry], progress: Progress | None = None) -> str:
        generation = self._new_generation()
        index = tantivy.Index(self.schema, path=str(self.root / generation))
        threads = max(1, min(4, os.cpu_count() or 1))
        writer = self._writer(index, self.build_heap, threads=threads)
        done = 0
        for entry in entries:
            writer.add_document(_document(entry))
            done += 1
            if progress is not None and done % 1000 == 0:
                progress(done, None)
        writer.commit()
        writer.wait_merging_threads()
        if progress is not None:
            progress(done, None)
        return generation

    def apply_to(self, handle: str, entries: Sequence[IndexEntry], deleted: Sequence[int]) -> None:
        if entries or deleted:
            self._write(handle, entries, deleted)

    def activate(self, handle: str) -> None:
        previous = self._live_generation()
        self._switch(handle)
        self._searcher_cache = None  # this process searches the new generation at once
        keep = {handle, previous}
        for path in self.root.glob("gen-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def optimise(self) -> None:
        """Merge the live index into as few segments as possible (after bulk loads)."""
        generation = self._ensure_live()
        index = tantivy.Index.open(str(self.root / generation))
        writer = self._writer(index, self.build_heap)
        writer.commit()
        writer.wait_merging_threads()
        self._refresh()
