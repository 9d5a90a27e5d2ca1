"""Every index follows the change log with its own cursor (ADR 0121).

Each web server keeps a tantivy index on its own disk, or all of them share the PostgreSQL
index: either way the index applies :class:`SearchChange` rows in id order and remembers how
far it got, beside itself (a file next to a tantivy index, a row for the shared one). A server
that was stopped catches up when it starts; a rebuild request in the log rebuilds every index;
a database that was restored or recreated (a new log epoch) makes every index rebuild.

Ids are handed out when a row is inserted, but transactions commit in any order: a row with a
smaller id can become visible after a larger one was applied. The cursor therefore remembers
the ids it skipped ("gaps") and looks for them again until they are older than
:data:`GAP_WINDOW` (a transaction that ran longer, or rolled back).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max, Q

from gongkai import clock
from gongkai.apps.catalog.models import SearchChange, SearchCursor, SearchLog
from gongkai.apps.catalog.search import get_engine
from gongkai.apps.catalog.search.base import IndexBusy, SearchEngine
from gongkai.apps.catalog.search.indexing import index_entries, index_rebuild
from gongkai.apps.jobs.models import NodeRole
from gongkai.apps.jobs.services import node_report

log = logging.getLogger(__name__)

GAP_WINDOW = dt.timedelta(hours=1)
RETENTION = dt.timedelta(days=30)  # a server down for longer rebuilds when it comes back
SHARED_NODE = "postgres"


@dataclass
class FollowState:
    epoch: str
    position: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # id -> when first missed (epoch s)
    applied_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "epoch": self.epoch,
            "position": self.position,
            "gaps": {str(k): v for k, v in self.gaps.items()},
            "applied_at": self.applied_at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FollowState | None:
        try:
            return cls(
                epoch=str(data["epoch"]),
                position=int(data["position"]),
                gaps={int(k): float(v) for k, v in data.get("gaps", {}).items()},
                applied_at=float(data.get("applied_at", 0.0)),
            )
        except (KeyError, TypeError, ValueError):
            return None


class FileCursor:
    """A tantivy index's cursor: ``FOLLOW.json`` beside the index, a lock file so that one
    process of the server applies changes at a time, and ``NODE`` naming the index's owner."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root) / "tantivy"

    @contextlib.contextmanager
    def locked(self, *, wait: bool) -> Iterator[bool]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "FOLLOW.lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def load(self) -> FollowState | None:
        try:
            data = json.loads((self.root / "FOLLOW.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return FollowState.from_json(data)

    def save(self, state: FollowState) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"FOLLOW.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(state.to_json()), encoding="utf-8")
        os.replace(tmp, self.root / "FOLLOW.json")

    def index_id(self) -> str:
        """A name for this index directory, made once: two servers that report the same id
        share one directory (which a tantivy index does not survive)."""
        path = self.root / "INDEX_ID"
        try:
            return path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            self.root.mkdir(parents=True, exist_ok=True)
            value = uuid.uuid4().hex
            tmp = self.root / f"INDEX_ID.{os.getpid()}.tmp"
            tmp.write_text(value, encoding="utf-8")
            os.replace(tmp, path)
            return path.read_text(encoding="utf-8").strip()


class DatabaseCursor:
    """The shared PostgreSQL index's cursor: a row, and an advisory lock so that one process
    of all the servers applies changes at a time."""

    LOCK_KEY = 0x67_6B_73_63  # "gksc"

    @contextlib.contextmanager
    def locked(self, *, wait: bool) -> Iterator[bool]:
        with connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_lock(%s)", [self.LOCK_KEY])
                got = True
            else:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.LOCK_KEY])
                got = bool(cursor.fetchone()[0])
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [self.LOCK_KEY])

    def load(self) -> FollowState | None:
        row = SearchCursor.objects.filter(name=SHARED_NODE).first()
        return FollowState.from_json(row.state) if row else None

    def save(self, state: FollowState) -> None:
        SearchCursor.objects.update_or_create(name=SHARED_NODE, defaults={"state": state.to_json()})

    def index_id(self) -> str:
        return SHARED_NODE


def cursor_for(engine: SearchEngine) -> FileCursor | DatabaseCursor:
    if engine.name == "postgres":
        return DatabaseCursor()
    return FileCursor(settings.SEARCH_INDEX_DIR)


def node_name(engine: SearchEngine) -> str:
    if engine.name == "postgres":
        return SHARED_NODE
    return settings.GONGKAI_NODE_NAME or socket.gethostname()


def log_epoch() -> str:
    log_row = SearchLog.objects.order_by("pk").first()
    if log_row is None:
        log_row = SearchLog.objects.create()
    return log_row.epoch.hex


def log_head() -> int:
    return SearchChange.objects.aggregate(m=Max("id"))["m"] or 0


def log_position_before(moment: dt.datetime) -> int:
    """The last change logged before ``moment`` (0: none)."""
    last = (
        SearchChange.objects.filter(created_at__lt=moment)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return last or 0


def request_rebuild() -> int:
    """Ask every index to rebuild (a row without a document); returns the row's id."""
    return SearchChange.objects.create(document_id=None).pk


@dataclass
class CatchUp:
    documents: int = 0  # documents re-indexed or removed
    rebuilt: bool = False
    position: int = 0
    behind: int = 0  # changes in the log after the cursor when done


def catch_up(
    engine: SearchEngine, *, wait: bool = True, batch: int = 2000, now: dt.datetime | None = None
) -> CatchUp | None:
    """Apply to ``engine`` every change it has not applied. None: another process of this
    server (or, for the shared index, of any server) is applying them right now."""
    now = now or clock.now()
    store = cursor_for(engine)
    with store.locked(wait=wait) as got:
        if not got:
            return None
        return _catch_up(engine, store, batch=batch, now=now)


def _catch_up(
    engine: SearchEngine, store: FileCursor | DatabaseCursor, *, batch: int, now: dt.datetime
) -> CatchUp:
    result = CatchUp()
    epoch = log_epoch()
    state = store.load()
    head = log_head()
    stale = state is not None and (
        state.epoch != epoch
        or state.position > head  # the log went backwards: a restored database
        or state.applied_at < (now - RETENTION).timestamp()
    )
    if state is None or stale:
        index_rebuild(engine=engine, store=store)
        result.rebuilt = True
        state = store.load()
        assert state is not None
    horizon = (now - GAP_WINDOW).timestamp()
    while True:
        rows = list(
            SearchChange.objects.filter(Q(pk__gt=state.position) | Q(pk__in=list(state.gaps)))
            .order_by("pk")
            .values_list("pk", "document_id")[:batch]
        )
        if any(doc_id is None for _pk, doc_id in rows):
            marker = max(pk for pk, doc_id in rows if doc_id is None)
            index_rebuild(engine=engine, store=store)
            result.rebuilt = True
            state = store.load()
            assert state is not None
            state.position = max(state.position, marker)
            store.save(state)
            continue
        found = {pk for pk, _doc in rows}
        fresh = [pk for pk in found if pk > state.position]
        if rows:
            doc_ids = [doc_id for _pk, doc_id in rows if doc_id is not None]  # (none is, above)
            entries, gone = index_entries(doc_ids)
            engine.upsert(entries)  # IndexBusy leaves the cursor where it was
            engine.delete(gone)
            result.documents += len(set(doc_ids))
        gaps = {pk: seen for pk, seen in state.gaps.items() if pk not in found and seen > horizon}
        if fresh:
            top = max(fresh)
            low = max(state.position + 1, top - 10 * batch)  # ids far below were pruned
            gaps.update({pk: now.timestamp() for pk in range(low, top) if pk not in found})
            state.position = top
        state.gaps = gaps
        state.applied_at = now.timestamp()
        store.save(state)
        if len(rows) < batch:
            break
    result.position = state.position
    result.behind = SearchChange.objects.filter(pk__gt=state.position).count()
    return result


def prune(*, now: dt.datetime) -> int:
    """Delete log rows older than the retention (a server away longer rebuilds anyway)."""
    deleted, _ = SearchChange.objects.filter(created_at__lt=now - RETENTION).delete()
    return deleted


def try_catch_up(engine: SearchEngine) -> None:
    """After a commit in a web request: apply the change to this server's index at once when
    no other process of the server is doing it (its follower will otherwise)."""
    try:
        catch_up(engine, wait=False)
    except IndexBusy:
        pass
    except Exception:  # the log keeps the change; the follower applies it
        log.warning("search index update deferred to the follower", exc_info=True)


REPORT_EVERY = 10.0  # seconds between reports to the node table while nothing changes


def follow(*, poll: float = 1.0, stop: Any = None) -> None:
    """This server's follower (``gongkai catalog follow``, started by ``gongkai serve``):
    apply the log to the index every ``poll`` seconds and report how it stands."""
    import time

    from django.db import close_old_connections

    engine = get_engine()
    store = cursor_for(engine)
    name = settings.GONGKAI_NODE_NAME or socket.gethostname()
    started = clock.now()
    last_report = 0.0
    last_position = -1
    while stop is None or not stop.is_set():
        close_old_connections()
        try:
            done = catch_up(engine, wait=True)
        except IndexBusy:
            done = None
        except Exception:
            log.exception("search follower: catching up failed; trying again")
            done = None
        now = clock.now()
        if done is not None and (
            done.position != last_position or time.monotonic() - last_report >= REPORT_EVERY
        ):
            try:
                node_report(
                    name=name,
                    role=NodeRole.WEB,
                    now=now,
                    started_at=started if last_report == 0.0 else None,
                    engine=engine.name,
                    index_id=store.index_id(),
                    position=done.position,
                    lag=done.behind,
                )
                last_report, last_position = time.monotonic(), done.position
            except Exception:
                log.exception("search follower: could not report")
        time.sleep(poll)


def index_pending(engine: SearchEngine) -> int | None:
    """Changes in the log this server's index (or the shared one) has not applied; None when
    it has never followed the log."""
    state = cursor_for(engine).load()
    if state is None:
        return None
    return SearchChange.objects.filter(pk__gt=state.position).count()


def index_current(engine: SearchEngine) -> bool:
    """Whether this server's index (or the shared one) has applied every committed change in
    the log: what the page cache asks before keeping a list drawn from the index."""
    state = cursor_for(engine).load()
    if state is None:
        return False
    if state.position < log_head():
        return False
    return not (state.gaps and SearchChange.objects.filter(pk__in=list(state.gaps)).exists())


def search_upkeep(now: dt.datetime) -> dict[str, int]:
    """Periodic, on any worker: the shared index catches up even when no server's follower
    runs, and the log drops what is older than the retention."""
    engine = get_engine()
    applied = 0
    if engine.name == "postgres":
        done = catch_up(engine, wait=False, now=now)
        applied = done.documents if done else 0
    return {"applied": applied, "pruned": prune(now=now)}
