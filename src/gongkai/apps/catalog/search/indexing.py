"""From documents to index entries, and keeping the engine in step with the database.

Every service that changes what the public may find appends a SearchChange row in its own
transaction. After the commit the web process applies it to its server's index when it can;
every index otherwise follows the log on its own (``follow.py``, ADR 0121), so a change is
never lost, never indexed before it is committed, and reaches every server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import zstandard
from django.db import connection, transaction
from django.utils import timezone

from gongkai import clock, forked, process
from gongkai.apps.catalog.models import (
    Column,
    Document,
    DocumentState,
    PublicDocument,
    PublishedFile,
    SearchChange,
    SearchTokens,
    Topic,
)
from gongkai.apps.catalog.search import get_engine
from gongkai.apps.catalog.search.base import (
    VALIDITY_CODES,
    IndexEntry,
    Progress,
    SearchEngine,
)
from gongkai.apps.jobs.selectors import nodes_wait_for_position
from gongkai.apps.organizations.models import Agency
from gongkai.apps.searchwords.segmenter import get_segmenter, refresh_segmenter_words
from gongkai.domain.segment import Segmenter

log = logging.getLogger(__name__)

INDEX_TEXT_LIMIT = 100_000  # characters of one document's text that are indexed
REBUILD_JOB = "catalog.index_rebuild"


class Vocabulary:
    """Column and topic ancestry and agency names, loaded once per flush or rebuild."""

    def __init__(self) -> None:
        parents = dict(Column.objects.values_list("id", "parent_id"))
        self.column_chain = {cid: self._chain(cid, parents) for cid in parents}
        topic_parents = dict(Topic.objects.values_list("id", "parent_id"))
        self.topic_chain = {tid: self._chain(tid, topic_parents) for tid in topic_parents}
        self.agency_names = dict(Agency.objects.values_list("id", "name"))

    @staticmethod
    def _chain(node: int, parents: Mapping[int, int | None]) -> tuple[int, ...]:
        chain = [node]
        seen = {node}
        parent = parents.get(node)
        while parent is not None and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = parents.get(parent)
        return tuple(chain)


_ROW_FIELDS = (
    "id",
    "title",
    "summary",
    "keywords",
    "doc_number",
    "index_no",
    "body_text",
    "agency_id",
    "column_id",
    "topic_id",
    "genre_id",
    "validity",
    "published_at",
)


def _prefetch(ids: Sequence[int]) -> tuple[dict[int, list[int]], dict[int, list[str]]]:
    """Joint publishers and attachment text of a batch of documents (two queries)."""
    joint: dict[int, list[int]] = defaultdict(list)
    for doc_id, agency_id in _of_batch(Document.joint_agencies.through.objects, ids).values_list(
        "document_id", "agency_id"
    ):
        joint[doc_id].append(agency_id)
    attachment_text: dict[int, list[str]] = defaultdict(list)
    for doc_id, filename, text in _of_batch(PublishedFile.objects, ids).values_list(
        "document_id", "filename", "text"
    ):  # the text of the files the public receives, never of the originals
        attachment_text[doc_id].append(f"{filename}\n{text}")
    return joint, attachment_text


def _of_batch(manager: Any, ids: Sequence[int]) -> Any:
    """Rows belonging to the documents ``ids`` (ascending). A rebuild's batches are runs of
    consecutive ids: there a range, which costs the ORM nothing per id (``IN`` of a thousand
    ids cost it more than reading the rows), may bring rows of unpublished documents in
    between, which callers never look up. Scattered ids (a flush) use ``IN``."""
    if ids[-1] - ids[0] < 2 * len(ids):
        return manager.filter(document_id__gte=ids[0], document_id__lte=ids[-1])
    return manager.filter(document_id__in=ids)


(
    I_ID,
    I_TITLE,
    I_SUMMARY,
    I_KEYWORDS,
    I_DOCNO,
    I_INDEXNO,
    I_BODY,
    I_AGENCY,
    I_COLUMN,
    I_TOPIC,
    I_GENRE,
    I_VALIDITY,
    I_PUBLISHED,
) = range(len(_ROW_FIELDS))


def _texts(
    row: tuple,
    joint: dict[int, list[int]],
    attachment_text: dict[int, list[str]],
    vocab: Vocabulary,
) -> tuple[tuple[int, ...], str]:
    """The publishers of a document row and the text indexed after its title."""
    doc_id = row[I_ID]
    agencies = (row[I_AGENCY], *sorted(joint.get(doc_id, ())))
    rest = "\n".join(
        [
            row[I_DOCNO],
            row[I_INDEXNO] or "",
            row[I_KEYWORDS],
            row[I_SUMMARY],
            *(vocab.agency_names.get(a, "") for a in agencies),
            row[I_BODY],
            *attachment_text.get(doc_id, ()),
        ]
    )[:INDEX_TEXT_LIMIT]
    return agencies, rest


def text_digest(fingerprint: bytes, title: str, rest: str) -> bytes:
    """What a document's stored tokens were cut from, and by which segmenter."""
    digest = hashlib.blake2b(fingerprint, digest_size=16)
    digest.update(title.encode())
    digest.update(b"\0")
    digest.update(rest.encode())
    return digest.digest()


def cut_texts(texts: Sequence[tuple[str, str]], segmenter: Segmenter) -> list[bytes]:
    """Title and rest of each document cut into tokens, packed for storage (no database
    access: runs in worker processes)."""
    compress = _codecs()[0].compress
    return [
        compress(f"{segmenter.index_text(title)}\0{segmenter.index_text(rest)}".encode())
        for title, rest in texts
    ]


_codec = threading.local()


def _codecs() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    """zstd contexts of this thread (a context serves one thread at a time; reusing it is
    twice as fast as the one-shot functions). Level 1: as small as zlib's best on tokens,
    three times faster to pack and twice as fast to unpack."""
    pair = getattr(_codec, "pair", None)
    if pair is None:
        pair = _codec.pair = (zstandard.ZstdCompressor(level=1), zstandard.ZstdDecompressor())
    return pair


def _unpack(blob: bytes) -> tuple[str, str]:
    title, _, rest = _codecs()[1].decompress(blob).decode().partition("\0")
    return title, rest


_UPSERT_TOKENS = (
    f"INSERT INTO {SearchTokens._meta.db_table} (document_id, digest, tokens) VALUES (%s, %s, %s) "
    "ON CONFLICT (document_id) DO UPDATE SET digest = excluded.digest, tokens = excluded.tokens"
)


class _Batch:
    """Document rows on their way to index entries: the texts to cut, and the tokens stored
    for those whose text (and the segmenter) did not change since they were cut."""

    def __init__(self, rows: list[tuple], vocab: Vocabulary, fingerprint: bytes) -> None:
        self.rows = rows
        ids = sorted(row[I_ID] for row in rows)
        joint, attachment_text = _prefetch(ids)
        stored = {
            doc_id: (bytes(digest), bytes(tokens))
            for doc_id, digest, tokens in _of_batch(SearchTokens.objects, ids).values_list(
                "document_id", "digest", "tokens"
            )
        }
        self.agencies: list[tuple[int, ...]] = []
        self.blobs: list[bytes | None] = []
        self.digests: list[bytes] = []
        self.missing: list[int] = []  # positions of rows whose text must be cut
        self.texts: list[tuple[str, str]] = []
        for position, row in enumerate(rows):
            agencies, rest = _texts(row, joint, attachment_text, vocab)
            digest = text_digest(fingerprint, row[I_TITLE], rest)
            self.agencies.append(agencies)
            self.digests.append(digest)
            old = stored.get(row[I_ID])
            if old is not None and old[0] == digest:
                self.blobs.append(old[1])
            else:
                self.blobs.append(None)
                self.missing.append(position)
                self.texts.append((row[I_TITLE], rest))

    def entries(self, cut: Sequence[bytes], vocab: Vocabulary) -> list[IndexEntry]:
        """Entries of every row, given the packed tokens of the missing ones (which are
        stored for the next time)."""
        fresh = []
        for position, blob in zip(self.missing, cut, strict=True):
            self.blobs[position] = blob
            fresh.append((self.rows[position][I_ID], self.digests[position], blob))
        if fresh:
            with connection.cursor() as cursor:
                cursor.executemany(_UPSERT_TOKENS, fresh)
        local_tz = timezone.get_current_timezone()
        entries = []
        for row, agencies, stored in zip(self.rows, self.agencies, self.blobs, strict=True):
            assert stored is not None
            title_tokens, rest_tokens = _unpack(stored)
            published = row[I_PUBLISHED]
            entries.append(
                IndexEntry(
                    doc_id=row[I_ID],
                    title_tokens=title_tokens,
                    # the body field holds everything: queries require their words there
                    body_tokens=f"{title_tokens} {rest_tokens}",
                    agency_ids=agencies,
                    column_ids=vocab.column_chain.get(row[I_COLUMN], ()) if row[I_COLUMN] else (),
                    topic_ids=vocab.topic_chain.get(row[I_TOPIC], ()) if row[I_TOPIC] else (),
                    genre_id=row[I_GENRE] or 0,
                    year=published.astimezone(local_tz).year,
                    validity=VALIDITY_CODES[row[I_VALIDITY]],
                    published_ts=int(published.timestamp()),
                )
            )
        return entries


def _entries(rows: list[tuple], vocab: Vocabulary, segmenter: Segmenter) -> list[IndexEntry]:
    batch = _Batch(rows, vocab, segmenter.fingerprint)
    return batch.entries(cut_texts(batch.texts, segmenter), vocab)


def index_entries(doc_ids: Iterable[int]) -> tuple[list[IndexEntry], list[int]]:
    """Entries for the published documents among ``doc_ids``, and the ids to remove."""
    wanted = sorted(set(doc_ids))
    rows = list(
        PublicDocument.objects.filter(pk__in=wanted).order_by("pk").values_list(*_ROW_FIELDS)
    )
    found = {row[I_ID] for row in rows}
    entries = _entries(rows, Vocabulary(), get_segmenter()) if rows else []
    gone = [d for d in wanted if d not in found]
    if gone:  # tokens are kept for public documents only
        SearchTokens.objects.filter(document_id__in=gone).delete()
    return entries, gone


def _worker_cut(texts: list[tuple[str, str]]) -> list[bytes]:
    return cut_texts(texts, get_segmenter())


def _row_batches(batch: int) -> Iterator[list[tuple]]:
    published = PublicDocument.objects.all()  # the published rendition (ADR 0032)
    last_id = 0
    while True:
        rows = list(
            published.filter(pk__gt=last_id).order_by("pk").values_list(*_ROW_FIELDS)[:batch]
        )
        if not rows:
            return
        yield rows
        last_id = rows[-1][I_ID]


def iter_all_entries(
    *,
    batch: int = 1000,
    progress: Progress | None = None,
    workers: int | None = None,
    stats: dict[str, int] | None = None,
) -> Iterator[IndexEntry]:
    """Every published document, in id order. Documents whose stored tokens are current are
    not cut again; the others are cut in ``workers`` forked processes (default: one per
    CPU) while this process reads the database and feeds the index. ``stats`` receives how
    many documents were cut and how many reused their stored tokens."""
    vocab = Vocabulary()
    segmenter = get_segmenter()  # loaded before forking, so workers inherit it
    fingerprint = segmenter.fingerprint
    total = Document.objects.filter(state=DocumentState.PUBLISHED).count()
    workers = workers if workers is not None else (os.cpu_count() or 1)
    counts = stats if stats is not None else {}
    counts.update(cut=0, reused=0)
    done = 0

    def finished(work: _Batch, cut: list[bytes]) -> list[IndexEntry]:
        nonlocal done
        entries = work.entries(cut, vocab)
        counts["cut"] += len(work.missing)
        counts["reused"] += len(work.rows) - len(work.missing)
        done += len(entries)
        if progress is not None:
            progress(done, total)
        return entries

    if workers <= 1 or total < 5 * batch:
        for rows in _row_batches(batch):
            work = _Batch(rows, vocab, fingerprint)
            yield from finished(work, cut_texts(work.texts, segmenter))
        return
    works = (_Batch(rows, vocab, fingerprint) for rows in _row_batches(batch))
    for work, cut in forked.ordered_map(
        _worker_cut,
        ((work, work.texts or None) for work in works),  # every token stored: nothing to cut
        workers=workers,
        ahead=2 * workers,
    ):
        yield from finished(work, cut or [])


# keeping the index in step -------------------------------------------------------------------


def schedule_index(doc_ids: Iterable[int]) -> None:
    """Log documents for re-indexing; call inside the transaction that changed them."""
    ids = sorted(set(doc_ids))
    if not ids:
        return
    SearchChange.objects.bulk_create([SearchChange(document_id=d) for d in ids])
    if process.role != "worker":  # a web server's own change is searchable there at once
        transaction.on_commit(_apply_after_commit)


def _apply_after_commit() -> None:
    # deferred: import cycle (catalog.search.follow imports catalog.search.indexing)
    from gongkai.apps.catalog.search.follow import try_catch_up

    try_catch_up(get_engine())


def index_flush(engine: SearchEngine | None = None) -> int:
    """Apply every change this server's index has not applied yet (waiting for any other
    process of the server that is applying them); return how many documents were processed."""
    # deferred: import cycle (catalog.search.follow imports catalog.search.indexing)
    from gongkai.apps.catalog.search.follow import catch_up

    done = catch_up(engine or get_engine(), wait=True)
    assert done is not None
    return done.documents


def _changes_since(moment) -> tuple[list[IndexEntry], list[int]]:
    ids = list(Document.objects.filter(updated_at__gte=moment).values_list("pk", flat=True))
    return index_entries(ids)


def index_rebuild(
    *, engine: SearchEngine | None = None, progress: Progress | None = None, store: Any = None
) -> dict[str, Any]:
    """Build a fresh index beside the live one and switch to it; the site keeps serving
    searches meanwhile, and documents changed during the build are applied before and after
    the switch. The index's cursor is then put back by the gap window (an hour of changes
    before the build began), so that a transaction still open during the build is applied
    when it commits; re-applying the others changes nothing."""
    # deferred: import cycle (catalog.search.follow imports catalog.search.indexing)
    from gongkai.apps.catalog.search import follow

    engine = engine or get_engine()
    store = store or follow.cursor_for(engine)
    epoch = follow.log_epoch()
    refresh_segmenter_words()
    started = clock.now() - dt.timedelta(seconds=1)
    position = follow.log_position_before(started - follow.GAP_WINDOW)
    total = Document.objects.filter(state=DocumentState.PUBLISHED).count()
    stats: dict[str, int] = {}
    handle = engine.build_new(iter_all_entries(progress=progress, stats=stats), progress=None)
    entries, gone = _changes_since(started)
    engine.apply_to(handle, entries, gone)
    switched = clock.now() - dt.timedelta(seconds=1)
    engine.activate(handle)
    entries, gone = _changes_since(switched)
    engine.upsert(entries)
    engine.delete(gone)
    store.save(
        follow.FollowState(epoch=epoch, position=position, applied_at=clock.now().timestamp())
    )
    if progress is not None:
        progress(total, total)
    return {
        "engine": engine.name,
        "documents": total,
        "segmented": stats.get("cut", 0),
        "reused": stats.get("reused", 0),
    }


def rebuild_job(job: Any, report: Any) -> dict[str, Any]:
    """Rebuild every index: the shared one here; each server's own by a request in the log,
    which every server's follower meets, waiting until the servers seen lately are done."""
    engine = get_engine()
    if engine.name == "postgres":
        result = index_rebuild(
            engine=engine, progress=lambda done, total: report(done, total, "正在重建索引")
        )
        return {
            "搜索引擎": result["engine"],
            "已索引文件数": result["documents"],
            "重新分词": result["segmented"],
            "沿用已存分词": result["reused"],
        }
    # deferred: import cycle (catalog.search.follow imports catalog.search.indexing)
    from gongkai.apps.catalog.search.follow import request_rebuild

    marker = job.params.get("marker")
    if marker is None:  # a retried attempt keeps its request
        marker = request_rebuild()
        job.params["marker"] = marker
        type(job).objects.filter(pk=job.pk).update(params=job.params)
    done, nodes = nodes_wait_for_position(
        marker, progress=lambda ok, total: report(ok, total, f"已重建 {ok}/{total} 台服务器的索引")
    )
    return {"搜索引擎": engine.name, "已重建的服务器": "、".join(done) or "无", "服务器数": nodes}
