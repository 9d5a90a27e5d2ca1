"""The leak sweep: walk the public site as an anonymous visitor and run the detectors over
every byte it receives (pages, attachments, feeds, sitemaps, API answers, exports).

It reads nothing from the database: it starts from the home page, the sitemaps, the feeds
and the public API lists, follows every link on the same site, and reads what each answer
carries (DOCX/XLSX/PDF through the extractor, HTML through the page parser, JSON value by
value, everything else as text). A finding of a kind that identifies a person by itself
(身份证号, 手机号码, 银行卡号, 护照号) at the blocking threshold is a leak. Through Django's
test client (in process) or a live server.

Speed (bench/bench_sweep.py): the walk is shared out to several workers — processes, each
with its own client and database connection, in process; threads against a live server —
while one coordinator keeps the queue and the set of URLs already seen. Each worker scans a
distinct block of text once (the header, navigation and footer of every page are the same
blocks) and sends only the blocks that can hold a leak to the detectors: every leak kind is
a run of at least seven digits (a passport's), possibly split by single blanks or dashes.
A page's frame (the header, navigation and footer around its ``<main>``) is parsed into
blocks once per process (``page_blocks``). The access log is quiet while sweeping. Nothing a visitor can reach is left out: links with
other query parameters than ``page``/``per_page`` are filters over lists already walked.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise
from typing import Any

from gongkai import clock
from gongkai.documents.extract import (
    ExtractionError,
    TextBlock,
    extract_document,
    parse_html,
    parse_html_part,
    text_blocks,
)
from gongkai.domain.privacy import Kind, MaskPolicy, ScanOptions, mask_value, scan_blocks
from gongkai.domain.privacy.text import normalise

SEEDS = (
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/catalog/",
    "/catalog/feed.rss",
    "/catalog/feed.atom",
    "/credit/feed.xml",
    "/credit/export.csv",
    "/api/agencies/",
    "/api/catalog/columns",
    "/api/catalog/topics",
    "/api/catalog/genres",
    "/api/catalog/documents?per_page=50",
    "/api/catalog/export.csv",
    "/api/catalog/export.jsonl",
    "/api/credit/records",
    "/api/inspections/tasks",
    "/api/inspections/lotteries",
    "/api/mailbox/letters",
    "/api/reports/?per_page=200",
)
# the API's lists name their items; each item's own answers (detail, record, results) are
# not linked from anywhere, so they are derived: list path → (item field, detail paths)
API_ITEMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "/api/catalog/documents": ("id", ("/api/catalog/documents/{}",)),
    "/api/mailbox/letters": ("number", ("/api/mailbox/letters/{}",)),
    "/api/credit/records": ("uscc", ("/api/credit/entities/{}",)),
    "/api/inspections/tasks": (
        "id",
        (
            "/api/inspections/tasks/{}",
            "/api/inspections/tasks/{}/record",
            "/api/inspections/tasks/{}/results",
        ),
    ),
    "/api/inspections/lotteries": ("id", ("/api/inspections/lotteries/{}/applicants",)),
}
# query parameters that name another page of a list, or another answer (a report's scope);
# any other parameter is a filter over a list already walked
PAGE_PARAMS = frozenset({"page", "per_page", "page_size", "scope"})
LEAK_KINDS = frozenset({Kind.ID_NUMBER, Kind.MOBILE, Kind.BANK_CARD, Kind.PASSPORT})
SKIP_PREFIXES = (
    "/backoffice",
    "/accounts",
    "/admin",
    "/static",
    "/search",
    "/api/docs",
    "/api/openapi",
    "/metrics",
)
_LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)["']|<loc>([^<]+)</loc>""")
FILE_SUFFIXES = (".docx", ".xlsx", ".xlsm", ".pdf")
# every leak kind holds at least seven digits in a row (a passport's), at most one blank or
# dash between two of them (ID18, MOBILE, BANK and PASSPORT in domain/privacy/patterns.py)
_CANDIDATE = re.compile(r"[0-9](?:[ -]?[0-9]){6}")


@dataclass(frozen=True)
class Leak:
    url: str
    kind: str
    masked: str
    where: str


@dataclass
class SweepResult:
    visited: int = 0
    downloads: int = 0
    leaks: list[Leak] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    failed: list[tuple[str, int]] = field(default_factory=list)  # (path, status) ≥ 500


@dataclass(frozen=True)
class Visit:
    """What one URL gave: its leaks and the links to follow."""

    path: str
    status: int
    is_file: bool = False
    leaks: tuple[Leak, ...] = ()
    links: tuple[str, ...] = ()
    unreadable: bool = False


Fetch = Callable[[str], tuple[int, str, bytes]]


# ── fetching ────────────────────────────────────────────────────────────────────────────────


def client_fetch(user: Any = None) -> Fetch:
    """An anonymous visitor in this process (Django's test client, no session), or ``user``
    signed in."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)

    def fetch(path: str) -> tuple[int, str, bytes]:
        response = client.get(path, secure=False)
        body = response.getvalue()  # a streamed response's content joined, as any other
        return response.status_code, response.get("Content-Disposition", ""), body

    return fetch


def live_fetch(base: str) -> Fetch:
    """An anonymous visitor of a running site (thread-safe: nothing kept between requests)."""
    root = base.rstrip("/")

    def fetch(path: str) -> tuple[int, str, bytes]:
        request = urllib.request.Request(root + path, headers={"User-Agent": "gongkai-sweep"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return (
                    response.status,
                    response.headers.get("Content-Disposition", ""),
                    response.read(),
                )
        except urllib.error.HTTPError as exc:
            return exc.code, "", b""

    return fetch


# ── reading what came back ──────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Scope:
    """Where the walk may go: the site's host names and, for an applicant, their own pages."""

    hosts: frozenset[str]
    only: tuple[str, ...] = ()
    own: frozenset[str] = frozenset()  # the signed-in applicant's own numbers (theirs to see)


@functools.lru_cache(maxsize=1 << 16)  # the links of every page's navigation, read once
def _normalise(link: str, scope: Scope) -> str | None:
    """The site path of ``link``; None for other sites, other schemes and skipped areas."""
    hosts = scope.hosts
    link = link.strip().replace("&amp;", "&")
    parsed = urllib.parse.urlsplit(link)
    if parsed.scheme and parsed.scheme not in ("http", "https"):
        return None
    if parsed.netloc and parsed.netloc not in hosts:
        return None
    path = parsed.path or "/"
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
        return None
    if scope.only and not path.startswith(scope.only):
        return None
    query = urllib.parse.parse_qs(parsed.query)
    if set(query) - PAGE_PARAMS:
        return None  # filter combinations repeat what the lists show
    return path + (f"?{parsed.query}" if parsed.query else "")


def _filename(path: str, disposition: str) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    if match:
        return urllib.parse.unquote(match.group(1))
    match = re.search(r'filename="?([^";]+)"?', disposition)
    if match:
        return match.group(1)
    return urllib.parse.unquote(path.split("?", 1)[0].rsplit("/", 1)[-1]) or "page.html"


def _json_blocks(value: Any, where: str = "$") -> Iterator[TextBlock]:
    """Every string and number of a JSON answer, one block each, located by its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _json_blocks(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_blocks(item, f"{where}[{index}]")
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value)
        if text.strip():
            yield TextBlock(where, text)


def _json_values(text: str) -> list[Any] | None:
    """The documents of a JSON answer (JSON Lines: one per line); None when it is not JSON."""
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError:
        return None


def _api_links(path: str, value: Any) -> Iterator[str]:
    """The other pages of an API list (all of them from its first page) and the answers of
    each of its items."""
    route, _, query = path.partition("?")
    if not isinstance(value, dict | list):
        return
    items = value if isinstance(value, list) else (value.get("items") or value.get("results"))
    field_name, details = API_ITEMS.get(route, ("", ()))
    for item in items if isinstance(items, list) else ():
        key = item.get(field_name) if isinstance(item, dict) else None
        if key not in (None, ""):
            quoted = urllib.parse.quote(str(key), safe="")
            yield from (detail.format(quoted) for detail in details)
    if not isinstance(value, dict) or value.get("page") != 1 or not isinstance(items, list):
        return
    pages = value.get("pages")
    if not isinstance(pages, int):
        size = value.get("per_page") or value.get("page_size") or len(items) or 1
        total = value.get("total", value.get("count", 0))
        pages = -(-int(total) // int(size)) if isinstance(total, int) else 1
    params = [(k, v) for k, v in urllib.parse.parse_qsl(query) if k != "page"]
    for number in range(2, pages + 1):
        yield f"{route}?{urllib.parse.urlencode([*params, ('page', number)])}"


def _json_links(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_links(item)
    elif isinstance(value, str) and value.startswith(("/", "http://", "https://")):
        yield value


def read_answer(
    path: str, disposition: str, body: bytes
) -> tuple[list[TextBlock], bool, list[str]]:
    """(text blocks, whether it is a download, raw links) of one answer.

    A file (DOCX/XLSX/PDF, or anything sent as an attachment that the extractor reads) goes
    through the extractor within its limits; HTML is parsed once, in this process (it is the
    site's own markup); JSON is read value by value; anything else line by line.
    """
    name = _filename(path, disposition)
    lowered = name.lower()
    if lowered.endswith(FILE_SUFFIXES):
        return list(extract_document(name, body).blocks), True, []
    text = body.decode("utf-8", errors="replace")
    is_file = bool(disposition) and "attachment" in disposition.lower()
    head = text.lstrip()[:1]
    if head in ("{", "["):
        values = _json_values(text)
        if values is not None:
            blocks = [b for i, v in enumerate(values) for b in _json_blocks(v, f"第{i + 1}条")]
            links = [link for v in values for link in _json_links(v)]
            links.extend(link for v in values[:1] for link in _api_links(path, v))
            return blocks, is_file, links
    links = [next(g for g in m.groups() if g) for m in _LINK.finditer(text)]
    if head == "<" and not path.split("?", 1)[0].endswith((".xml", ".rss", ".atom")):
        if not could_hold_numbers(text):
            return [], is_file, links  # no run of seven digits anywhere in its text
        return page_blocks(text), is_file, links
    if is_file and lowered.endswith((".html", ".htm", ".csv", ".txt")):
        return list(extract_document(name, body).blocks), True, links
    return text_blocks(text), is_file, links


_TAG = re.compile(r"<[^>]*>")
# where a page of the site is cut into parts: its header, its content and what follows it
_CUTS = re.compile(r"<header[\s>]|<main[\s>]|</main\s*>")
# parts of the site's frame already read: part → (its paragraphs' texts, whether closed)
_FRAMES: dict[str, tuple[tuple[str, ...], bool]] = {}
_FRAMES_KEPT = 256


def page_blocks(markup: str) -> list[TextBlock]:
    """The blocks of a page, as :func:`parse_html` reads them, with the site's frame read
    once per process: a page is cut before its header, before its content (``<main>``) and
    after it; the part from the header to the content and the part after the content are
    the same on most pages (the site's header, navigation and footer) and their paragraphs
    are kept, numbered after those before them; the beginning (the page's title) and the
    content are read every time. A frame part is kept only when it holds no table and ends
    with nothing open; when a part before a cut does not end closed, the page is read whole."""
    found = [(m.start(), m.group()[:3]) for m in _CUTS.finditer(markup)]
    header = next((at for at, tag in found if tag == "<he"), -1)
    start = next((at for at, tag in found if tag == "<ma"), -1)
    end = next((at for at, tag in reversed(found) if tag == "</m"), -1)
    if start < 0 or end < start:
        return parse_html(markup).blocks
    cuts = [header, start, end] if 0 < header < start else [start, end]
    bounds = [0, *cuts, len(markup)]
    framed = {cuts[0]: len(cuts) == 3, end: True}  # the parts starting here are the frame's
    blocks: list[TextBlock] = []
    paragraphs = tables = 0
    for begin, stop in pairwise(bounds):
        part = markup[begin:stop]
        kept = _FRAMES.get(part) if framed.get(begin) else None
        if kept is not None:
            texts, closed = kept
            blocks += [TextBlock(f"第{paragraphs + n}段", t) for n, t in enumerate(texts, 1)]
            paragraphs += len(texts)
        else:
            read = parse_html_part(part, paragraphs=paragraphs, tables=tables)
            closed = read.closed
            if framed.get(begin) and read.tables == tables and len(_FRAMES) < _FRAMES_KEPT:
                _FRAMES[part] = (tuple(b.text for b in read.blocks), closed)
            blocks += read.blocks
            paragraphs, tables = read.paragraphs, read.tables
        if not closed and stop < len(markup):
            return parse_html(markup).blocks
    return blocks


def could_hold_numbers(markup: str) -> bool:
    """Whether a page's text may hold a number the sweep looks for. Its markup removed and
    its entities decoded, the page's text is every block's text joined (and more: scripts,
    joins across blocks), so a page without a seven-digit run here has none in any block,
    and parsing it into blocks would find nothing: most pages are passed over without it."""
    return _CANDIDATE.search(normalise(html.unescape(_TAG.sub("", markup)))) is not None


class _Unit:
    """Blocks scanned together: one table row (blocks with the same group), or one block."""

    __slots__ = ("blocks", "key", "positions")

    def __init__(self, blocks: list[TextBlock], positions: list[int]) -> None:
        self.blocks = blocks
        self.positions = positions
        digest = hashlib.blake2b(digest_size=16)
        for block in blocks:
            digest.update(block.text.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00" + (block.header or "").encode("utf-8", "surrogatepass") + b"\x01")
        self.key = digest.digest()


def _units(blocks: Sequence[TextBlock]) -> Iterator[_Unit]:
    start = 0
    while start < len(blocks):
        end = start + 1
        group = blocks[start].group
        if group is not None:
            while end < len(blocks) and blocks[end].group == group:
                end += 1
        yield _Unit(list(blocks[start:end]), list(range(start, end)))
        start = end


@dataclass(frozen=True)
class _Tagged:
    """A block under a group name of its own, so that no two units are joined as one row."""

    text: str
    header: str | None
    group: str | None


class Inspector:
    """The detectors with a memory: a unit of text already scanned is not scanned again."""

    def __init__(
        self, *, threshold: float, reference_date: date | None, own: frozenset[str] = frozenset()
    ) -> None:
        self.threshold = threshold
        self.own = own
        self.options = ScanOptions(reference_date=reference_date)
        self.policy = MaskPolicy()
        # unit key → (position in the unit, kind label, masked value) of each leak
        self.seen: dict[bytes, tuple[tuple[int, str, str], ...]] = {}
        self.scanned_units = 0

    def leaks(self, blocks: Sequence[TextBlock]) -> list[tuple[int, str, str]]:
        """(block index, kind label, masked value) of every leak in ``blocks``."""
        found: list[tuple[int, str, str]] = []
        fresh: list[_Unit] = []
        for unit in _units(blocks):
            known = self.seen.get(unit.key)
            if known is not None:
                found.extend((unit.positions[p], kind, masked) for p, kind, masked in known)
            elif any(_CANDIDATE.search(normalise(b.text)) for b in unit.blocks):
                fresh.append(unit)
            else:
                self.seen[unit.key] = ()
        if fresh:
            found.extend(self._scan(fresh))
        return found

    def _scan(self, units: list[_Unit]) -> Iterator[tuple[int, str, str]]:
        tagged: list[_Tagged] = []
        owner: list[tuple[int, int]] = []  # (unit number, position in the unit)
        for number, unit in enumerate(units):
            for position, block in enumerate(unit.blocks):
                group = None if block.group is None else f"{number}\x00{block.group}"
                tagged.append(_Tagged(block.text, block.header, group))
                owner.append((number, position))
        per_unit: list[list[tuple[int, str, str]]] = [[] for _ in units]
        for item in scan_blocks(tagged, self.options):
            finding = item.finding
            if finding.kind in LEAK_KINDS and finding.score >= self.threshold:
                if self.own and re.sub(r"[^0-9Xx]", "", finding.text).upper() in self.own:
                    continue  # the applicant's own number on their own page
                number, position = owner[item.block]
                masked = mask_value(finding.kind, finding.text, self.policy)
                per_unit[number].append((position, finding.kind.label, masked))
        self.scanned_units += len(units)
        for unit, leaks in zip(units, per_unit, strict=True):
            self.seen[unit.key] = tuple(leaks)
            yield from ((unit.positions[p], kind, masked) for p, kind, masked in leaks)


def visit(path: str, fetch: Fetch, inspector: Inspector, scope: Scope) -> Visit:
    """Fetch one URL as a visitor and inspect what came back."""
    status, disposition, body = fetch(path)
    if status != 200 or not body:
        return Visit(path, status)
    try:
        blocks, is_file, raw_links = read_answer(path, disposition, body)
    except ExtractionError:
        return Visit(path, status, is_file=True, unreadable=True)
    leaks = tuple(
        Leak(path, kind, masked, blocks[index].location)
        for index, kind, masked in inspector.leaks(blocks)
    )
    links = {link for raw in raw_links if (link := _normalise(raw, scope)) is not None}
    return Visit(path, status, is_file, leaks, tuple(sorted(links)))


# ── the walk ────────────────────────────────────────────────────────────────────────────────


@dataclass
class _Worker:
    fetch: Fetch
    inspector: Inspector
    scope: Scope
    sent: set[str] = field(default_factory=set)  # links already handed to the coordinator


_WORKER: _Worker | None = None  # the worker of this process (process pool)


def _start_worker(make_fetch: Callable[[], Fetch], threshold: float, on: date, scope) -> None:
    global _WORKER
    logging.getLogger("gongkai.access").setLevel(logging.WARNING)  # a line per URL costs
    inspector = Inspector(threshold=threshold, reference_date=on, own=scope.own)
    _WORKER = _Worker(make_fetch(), inspector, scope)


def _visit_batch(paths: list[str]) -> list[Visit]:
    worker = _WORKER
    assert worker is not None
    visits = []
    for path in paths:
        item = visit(path, worker.fetch, worker.inspector, worker.scope)
        fresh = tuple(link for link in item.links if link not in worker.sent)
        worker.sent.update(fresh)  # the navigation of every page is sent once
        visits.append(replace(item, links=fresh))
    return visits


class _Inline(Executor):
    """One worker in this process (tests: their database transaction is not shared)."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def _executor(make_fetch: Callable[[], Fetch], workers: int, live: bool, init: tuple) -> Executor:
    if workers <= 1:
        _start_worker(make_fetch, *init)
        return _Inline()
    if live:  # waiting on the network: threads share one worker (the fetch keeps no state)
        from concurrent.futures import ThreadPoolExecutor

        _start_worker(make_fetch, *init)
        return ThreadPoolExecutor(max_workers=workers)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    connections.close_all()  # each process opens its own
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(make_fetch, *init),
    )


APPLICANT_SEEDS = ("/my/applications/", "/mailbox/mine/")
APPLICANT_AREAS = ("/my/", "/track/", "/mailbox/mine/")


def applicant_fetch(username: str) -> tuple[Fetch, frozenset[str]] | None:
    """A signed-in applicant in this process: what the platform sends them (their cases,
    letters and released files), and their own numbers — the phone of their account and the
    ID and phone numbers they gave in their requests, which their own pages may show them.
    None when there is no such account."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return None
    from django.apps import apps

    values = {getattr(user, "phone", "") or ""}
    # found by name: the privacy context sits below the applications context
    application = apps.get_model("applications", "Application")
    for pair in application.objects.filter(applicant_user=user).values_list(
        "applicant_id_number", "applicant_phone"
    ):
        values.update(pair)
    own = frozenset(re.sub(r"[^0-9Xx]", "", v).upper() for v in values if v)
    return client_fetch(user), own


def default_workers(live: bool) -> int:
    """Processes in process (one per core; one inside a database transaction), threads live."""
    if live:
        return 8
    from django.db import connection

    if connection.in_atomic_block:
        return 1  # a test's transaction: other processes would not see its rows
    return max(1, min(8, os.cpu_count() or 1))


def sweep(
    fetch: Fetch | None = None,
    *,
    base_url: str | None = None,
    workers: int = 1,
    threshold: float = 0.5,
    progress: Callable[[int, int], None] | None = None,
    limit: int = 200_000,
    seeds: Iterable[str] = SEEDS,
    only: tuple[str, ...] = (),
    own: frozenset[str] = frozenset(),
) -> SweepResult:
    """Visit every public URL reachable from the seeds; collect leaks per URL.

    ``fetch`` is used as it is with one worker; otherwise each worker makes its own: a test
    client per process in process, or one live fetch shared by threads for ``base_url``.
    """
    live = base_url is not None
    if fetch is not None:
        given = fetch

        def make_fetch() -> Fetch:
            return given

        workers = 1
    elif live:

        def make_fetch() -> Fetch:
            return live_fetch(base_url or "")
    else:
        make_fetch = client_fetch
    init = (threshold, clock.today(), Scope(_own_hosts(base_url), only, own))
    executor = _executor(make_fetch, workers, live, init)
    try:
        return _walk(executor, max(1, workers), list(seeds), progress, limit)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _own_hosts(base_url: str | None) -> frozenset[str]:
    """The host names that are this site: the live URL's, the configured site's, the test
    client's."""
    hosts = {"testserver"}
    if base_url:
        hosts.add(urllib.parse.urlsplit(base_url).netloc)
    try:
        from django.conf import settings

        for name in ("GONGKAI_SITE_URL", "SITE_URL"):
            value = getattr(settings, name, "") or ""
            if value:
                hosts.add(urllib.parse.urlsplit(value).netloc)
        hosts.update(h for h in getattr(settings, "ALLOWED_HOSTS", []) if h and "*" not in h)
    except Exception:
        pass
    return frozenset(hosts)


def _walk(
    executor: Executor,
    workers: int,
    seeds: list[str],
    progress: Callable[[int, int], None] | None,
    limit: int,
) -> SweepResult:
    result = SweepResult()
    queue: deque[str] = deque(dict.fromkeys(seeds))
    seen = set(queue)
    pending: set[Future] = set()
    queued = 0
    while queue or pending:
        while queue and len(pending) < workers * 3 and queued < limit:
            size = max(1, min(16, len(queue) // (workers * 3)))
            batch = [queue.popleft() for _ in range(min(size, len(queue), limit - queued))]
            queued += len(batch)
            pending.add(executor.submit(_visit_batch, batch))
        if not pending:
            break
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            for item in future.result():
                _record(result, item)
                for link in item.links:
                    if link not in seen:
                        seen.add(link)
                        queue.append(link)
        if progress is not None:
            progress(result.visited, queued + len(queue))
    return result


def _record(result: SweepResult, item: Visit) -> None:
    result.visited += 1
    result.downloads += int(item.is_file)
    result.leaks.extend(item.leaks)
    if item.unreadable:
        result.unreadable.append(item.path)
    if item.status >= 500:
        result.failed.append((item.path, item.status))
