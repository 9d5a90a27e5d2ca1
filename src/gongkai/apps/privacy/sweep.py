"""The leak sweep: walk the public site as an anonymous visitor and run the detectors over
every byte it receives (pages, attachments, feeds, sitemaps, API answers, exports).

It reads nothing from the database: it starts from the home page, the sitemaps, the feeds
and the public API lists, follows every link on the same site, and reads what each answer
carries (DOCX/XLSX/PDF through the extractor, everything else as text). A finding of a
kind that identifies a person by itself (身份证号, 手机号码, 银行卡号, 护照号) at the
blocking threshold is a leak. Through Django's test client (in process) or a live server.
"""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai import clock
from gongkai.documents.extract import ExtractionError, extract_document, text_blocks
from gongkai.domain.privacy import Kind, ScanOptions, scan_blocks

SEEDS = (
    "/",
    "/sitemap.xml",
    "/catalog/",
    "/catalog/feed.rss",
    "/catalog/feed.atom",
    "/api/catalog/documents?per_page=100",
    "/api/catalog/export.csv",
    "/api/catalog/export.jsonl",
    "/api/mailbox/letters",
)
LEAK_KINDS = frozenset({Kind.ID_NUMBER, Kind.MOBILE, Kind.BANK_CARD, Kind.PASSPORT})
SKIP_PREFIXES = (
    "/backoffice",
    "/accounts",
    "/admin",
    "/static",
    "/media",
    "/search",
    "/api/docs",
    "/api/openapi",
    "/metrics",
)
_LINK = re.compile(r"""(?:href|src)=["']([^"'#]+)["']|<loc>([^<]+)</loc>|"url":\s*"([^"]+)\"""")
FILE_EXTENSIONS = (".docx", ".xlsx", ".pdf", ".csv", ".txt", ".html", ".htm")


@dataclass
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


Fetch = Callable[[str], tuple[int, str, bytes]]


def client_fetch() -> Fetch:
    from django.test import Client

    client = Client()

    def fetch(path: str) -> tuple[int, str, bytes]:
        response = client.get(path, secure=False)
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        return response.status_code, response.get("Content-Disposition", ""), body

    return fetch


def live_fetch(base: str) -> Fetch:
    def fetch(path: str) -> tuple[int, str, bytes]:
        request = urllib.request.Request(base.rstrip("/") + path, headers={"User-Agent": "sweep"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return (
                    response.status,
                    response.headers.get("Content-Disposition", ""),
                    response.read(),
                )
        except urllib.error.HTTPError as exc:
            return exc.code, "", b""

    return fetch


def _normalise(link: str) -> str | None:
    link = link.strip().replace("&amp;", "&")
    parsed = urllib.parse.urlsplit(link)
    if parsed.scheme and parsed.scheme not in ("http", "https"):
        return None
    path = parsed.path or "/"
    if not path.startswith("/") or path.startswith(SKIP_PREFIXES):
        return None
    query = urllib.parse.parse_qs(parsed.query)
    if set(query) - {"page", "per_page"}:
        return None  # filter combinations repeat what the lists show
    return path + (f"?{parsed.query}" if parsed.query else "")


def _filename(path: str, disposition: str) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    if match:
        return urllib.parse.unquote(match.group(1))
    return urllib.parse.unquote(path.rsplit("/", 1)[-1]) or "page.html"


def _texts(path: str, disposition: str, body: bytes) -> tuple[list, bool]:
    name = _filename(path, disposition)
    if disposition or name.lower().endswith((".docx", ".xlsx", ".pdf")):
        try:
            return list(extract_document(name, body).blocks), True
        except ExtractionError:
            if name.lower().endswith((".docx", ".xlsx", ".pdf")):
                raise
    text = body.decode("utf-8", errors="replace")
    if text.lstrip().startswith("<"):
        try:
            return list(extract_document("page.html", body).blocks), False
        except ExtractionError:
            pass
    return text_blocks(text), False


def sweep(
    fetch: Fetch,
    *,
    threshold: float = 0.5,
    progress: Callable[[int, int], None] | None = None,
    limit: int = 200_000,
) -> SweepResult:
    """Visit every public URL reachable from the seeds; collect leaks per URL."""
    options = ScanOptions(reference_date=clock.today())
    result = SweepResult()
    queue: deque[str] = deque(SEEDS)
    seen = set(SEEDS)
    while queue and result.visited < limit:
        path = queue.popleft()
        status, disposition, body = fetch(path)
        result.visited += 1
        if progress is not None:
            progress(result.visited, result.visited + len(queue))
        if status != 200 or not body:
            continue
        try:
            blocks, is_file = _texts(path, disposition, body)
        except ExtractionError:
            result.unreadable.append(path)
            continue
        result.downloads += int(is_file)
        for item in scan_blocks(blocks, options):
            finding = item.finding
            if finding.kind in LEAK_KINDS and finding.score >= threshold:
                from gongkai.domain.privacy import MaskPolicy, mask_value

                result.leaks.append(
                    Leak(
                        path,
                        finding.kind.label,
                        mask_value(finding.kind, finding.text, MaskPolicy()),
                        blocks[item.block].location,
                    )
                )
        if is_file:
            continue
        text = body.decode("utf-8", errors="replace")
        for match in _LINK.finditer(text):
            link = _normalise(next(g for g in match.groups() if g))
            if link is None:
                continue
            if link.startswith(("http", "//")):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return result
