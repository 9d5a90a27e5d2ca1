"""A polite asynchronous crawler for one government site (no Django: runs inside a job).

- robots.txt is read first and obeyed (an operator may turn it off for the city's own sites);
- per host: at most ``per_host`` requests in flight and at most ``rate`` requests a second
  (a gate spacing request starts 1/rate apart);
- bounded: depth, pages, bytes per response and bytes in total; every body is read as a stream
  and dropped as soon as it is parsed, so memory holds only the frontier and 16-byte digests of
  the URLs seen, never the pages;
- resumable: :meth:`Crawler.state` is a JSON document (frontier, digests, counters) that a new
  crawler continues from (:class:`CrawlState`);
- broken links are re-tried after a delay; 401/403/429 and timeouts stay "suspected", other
  failures that persist are "confirmed".

Results are streamed to the caller's callbacks (``on_page``, ``on_link``, ``on_attachment``).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from gongkai.domain.webcheck.pages import Page, is_attachment, read_page

USER_AGENT = "gongkai-webcheck/1.0"
SUSPECT_STATUSES = {401, 403, 429}
HTML_TYPES = ("text/html", "application/xhtml")


@dataclass(frozen=True)
class CrawlConfig:
    start_url: str
    max_depth: int = 4
    max_pages: int = 2000
    max_links: int = 20000  # distinct non-page URLs checked
    max_bytes: int = 2 * 1024 * 1024  # per response body
    max_total_bytes: int = 500 * 1024 * 1024
    rate: float = 10.0  # requests per second per host
    per_host: int = 4  # requests in flight per host
    timeout: float = 15.0  # the indicators' "≥ 15 s = cannot be opened"
    retries: int = 2
    retry_delay: float = 2.0
    check_external: bool = True
    respect_robots: bool = True
    fetch_attachments: bool = True
    user_agent: str = USER_AGENT


@dataclass
class PageResult:
    url: str
    parent: str
    depth: int
    status: int
    elapsed: float
    page: Page | None  # parsed HTML (None for non-HTML or a failure)
    error: str = ""
    confirmed: bool = True  # for a failure: persisted over the retries, not a block


@dataclass
class LinkResult:
    url: str
    parent: str
    text: str
    ok: bool
    status: str  # "200", "404", "超时", "连接失败" …
    confirmed: bool  # a failure that persisted and is not a block/rate limit
    final_url: str = ""


@dataclass
class CrawlState:
    """What a crawl needs to continue after an interruption."""

    frontier: deque[tuple[str, int, str]] = field(default_factory=deque)  # (url, depth, parent)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (url, parent, text)
    seen: set[bytes] = field(default_factory=set)
    pages: int = 0
    queued: int = 0  # pages ever put in the frontier (the page bound counts these)
    requests: int = 0
    bytes: int = 0
    done: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "frontier": [list(x) for x in self.frontier],
            "links": [list(x) for x in self.links],
            "seen": base64.b64encode(b"".join(sorted(self.seen))).decode(),
            "pages": self.pages,
            "queued": self.queued,
            "requests": self.requests,
            "bytes": self.bytes,
            "done": self.done,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> CrawlState:
        if not data:
            return cls()
        raw = base64.b64decode(data.get("seen", ""))
        return cls(
            frontier=deque((u, int(d), p) for u, d, p in data.get("frontier", [])),
            links=[(u, p, t) for u, p, t in data.get("links", [])],
            seen={raw[i : i + 16] for i in range(0, len(raw), 16)},
            pages=int(data.get("pages", 0)),
            queued=int(data.get("queued", 0)),
            requests=int(data.get("requests", 0)),
            bytes=int(data.get("bytes", 0)),
            done=bool(data.get("done")),
        )


def digest(url: str) -> bytes:
    return hashlib.blake2b(url.encode("utf-8", "replace"), digest_size=16).digest()


class HostGate:
    """Per-host politeness: a concurrency cap and request starts spaced 1/rate apart."""

    def __init__(self, rate: float, per_host: int) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.per_host = per_host
        self._next: dict[str, float] = {}
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def slot(self, host: str) -> asyncio.Semaphore:
        if host not in self._sems:
            self._sems[host] = asyncio.Semaphore(self.per_host)
            self._locks[host] = asyncio.Lock()
        return self._sems[host]

    async def wait_turn(self, host: str) -> None:
        async with self._locks[host]:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


PageSink = Callable[[PageResult], Awaitable[None] | None]
LinkSink = Callable[[LinkResult], Awaitable[None] | None]
AttachmentSink = Callable[[str, str, bytes], Awaitable[None] | None]


async def _call(fn: Callable[..., Any] | None, *args: Any) -> None:
    if fn is None:
        return
    out = fn(*args)
    if asyncio.iscoroutine(out):
        await out


class Crawler:
    def __init__(
        self,
        config: CrawlConfig,
        *,
        state: CrawlState | None = None,
        on_page: PageSink | None = None,
        on_link: LinkSink | None = None,
        on_attachment: AttachmentSink | None = None,
        on_checkpoint: Callable[[CrawlState], Any] | None = None,
        checkpoint_every: int = 200,
        today: dt.date | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config
        self.host = (urlsplit(config.start_url).hostname or "").lower()
        self.state = state or CrawlState()
        self.on_page = on_page
        self.on_link = on_link
        self.on_attachment = on_attachment
        self.on_checkpoint = on_checkpoint
        self.checkpoint_every = checkpoint_every
        self.today = today
        self.transport = transport
        self.gate = HostGate(config.rate, config.per_host)
        self.robots: RobotFileParser | None = None
        self.robots_note = ""
        self._since_checkpoint = 0
        if not self.state.frontier and not self.state.pages and not self.state.done:
            self.state.frontier.append((config.start_url, 0, ""))
            self.state.seen.add(digest(config.start_url))
            self.state.queued = 1

    # -- HTTP ---------------------------------------------------------------------------

    async def _request(
        self, client: httpx.AsyncClient, method: str, url: str, *, keep_body: bool
    ) -> tuple[int, str, bytes, str, float]:
        """(status, content type, body (≤ max_bytes), final url, seconds); raises on error."""
        host = (urlsplit(url).hostname or "").lower()
        async with self.gate.slot(host):
            await self.gate.wait_turn(host)
            self.state.requests += 1
            started = time.monotonic()
            async with client.stream(method, url) as response:
                body = b""
                if keep_body:
                    chunks = []
                    size = 0
                    async for chunk in response.aiter_bytes():
                        chunks.append(chunk)
                        size += len(chunk)
                        if size >= self.config.max_bytes:
                            break
                    body = b"".join(chunks)[: self.config.max_bytes]
                    self.state.bytes += len(body)
                ctype = response.headers.get("content-type", "").lower()
                return (
                    response.status_code,
                    ctype,
                    body,
                    str(response.url),
                    time.monotonic() - started,
                )

    async def _robots(self, client: httpx.AsyncClient) -> None:
        if not self.config.respect_robots:
            return
        parts = urlsplit(self.config.start_url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = RobotFileParser()
        try:
            status, _ctype, body, _u, _t = await self._request(
                client, "GET", robots_url, keep_body=True
            )
        except httpx.HTTPError:
            return  # no robots.txt reachable: everything allowed
        if status in (401, 403):
            parser.disallow_all = True  # type: ignore[attr-defined]  # the parser's own flag
            self.robots_note = "robots.txt 拒绝访问"
        elif 200 <= status < 300:
            parser.parse(body.decode("utf-8", "replace").splitlines())
        else:  # no robots.txt (404) or a server error: nothing is disallowed
            parser.allow_all = True  # type: ignore[attr-defined]  # the parser's own flag
        self.robots = parser

    def allowed(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(self.config.user_agent, url)

    # -- work ---------------------------------------------------------------------------

    async def _fetch_page(self, client: httpx.AsyncClient, url: str, depth: int, parent: str):
        page = None
        attempt = 0
        while True:
            error = ""
            status = 0
            elapsed = 0.0
            try:
                status, ctype, body, final, elapsed = await self._request(
                    client, "GET", url, keep_body=True
                )
                if status < 400 and any(t in ctype for t in HTML_TYPES):
                    page = read_page(final, _decode(body, ctype), today=self.today)
                elif status < 400 and self.config.fetch_attachments and is_attachment(url):
                    await _call(self.on_attachment, url, parent, body)
            except httpx.TimeoutException:
                error = "超时"
            except httpx.HTTPError as exc:
                error = f"连接失败：{type(exc).__name__}"
            if (status and status < 400) or attempt >= self.config.retries:
                break
            attempt += 1
            await asyncio.sleep(self.config.retry_delay * attempt)
        suspected = status in SUSPECT_STATUSES or error == "超时"
        self.state.pages += 1
        await _call(
            self.on_page,
            PageResult(url, parent, depth, status, elapsed, page, error, not suspected),
        )
        if page is None:
            return
        for link in page.links:
            key = digest(link.url)
            if key in self.state.seen:
                continue
            internal = (urlsplit(link.url).hostname or "").lower() == self.host
            if internal and link.tag == "a" and not is_attachment(link.url):
                if depth + 1 > self.config.max_depth:
                    continue
                if self.state.queued >= self.config.max_pages:
                    continue
                if not self.allowed(link.url):
                    continue
                self.state.seen.add(key)
                self.state.frontier.append((link.url, depth + 1, url))
                self.state.queued += 1
            else:
                if not internal and not self.config.check_external:
                    continue
                if internal and not self.allowed(link.url):
                    continue
                if len(self.state.seen) >= self.config.max_pages + self.config.max_links:
                    continue
                self.state.seen.add(key)
                self.state.links.append((link.url, url, link.text))

    async def _check_link(self, client: httpx.AsyncClient, url: str, parent: str, text: str):
        attachment = is_attachment(url) and self.config.fetch_attachments
        attempt = 0
        while True:
            status_text = ""
            status = 0
            final = ""
            try:
                method = "GET" if attachment else "HEAD"
                status, _ctype, body, final, _t = await self._request(
                    client, method, url, keep_body=attachment
                )
                if status in (405, 501) and method == "HEAD":
                    status, _ctype, body, final, _t = await self._request(
                        client, "GET", url, keep_body=False
                    )
                status_text = str(status)
                if status < 400:
                    if attachment:
                        await _call(self.on_attachment, url, parent, body)
                    await _call(
                        self.on_link, LinkResult(url, parent, text, True, status_text, False, final)
                    )
                    return
            except httpx.TimeoutException:
                status_text = "超时"
            except httpx.HTTPError as exc:
                status_text = f"连接失败：{type(exc).__name__}"
            if attempt >= self.config.retries:
                suspected = status in SUSPECT_STATUSES or status_text == "超时"
                await _call(
                    self.on_link,
                    LinkResult(url, parent, text, False, status_text, not suspected, final),
                )
                return
            attempt += 1
            await asyncio.sleep(self.config.retry_delay * attempt)

    def _resumable(self, inflight: Any) -> CrawlState:
        """The state to continue from: work in flight now goes back to the queues."""
        pages = [item for kind, item in inflight if kind == "page"]
        links = [item for kind, item in inflight if kind == "link"]
        return CrawlState(
            frontier=deque([*pages, *self.state.frontier]),
            links=[*self.state.links, *links],
            seen=self.state.seen,
            pages=self.state.pages,
            queued=self.state.queued,
            requests=self.state.requests,
            bytes=self.state.bytes,
        )

    async def run(self) -> CrawlState:
        limits = httpx.Limits(max_connections=max(8, self.config.per_host * 4))
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(self.config.timeout),
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": self.config.user_agent},
            limits=limits,
            transport=self.transport,
            trust_env=False,
        ) as client:
            if self.state.pages == 0:
                await self._robots(client)
                if not self.allowed(self.config.start_url):
                    self.robots_note = self.robots_note or "robots.txt 不允许抓取首页"
                    self.state.frontier.clear()
            else:
                await self._robots(client)
            workers = max(1, self.config.per_host * (2 if self.config.check_external else 1))
            running: set[asyncio.Future[Any]] = set()
            inflight: dict[asyncio.Future[Any], tuple[str, tuple[Any, ...]]] = {}
            while self.state.frontier or self.state.links or running:
                while len(running) < workers and (self.state.frontier or self.state.links):
                    if self.state.bytes >= self.config.max_total_bytes:
                        self.state.frontier.clear()
                        self.state.links.clear()
                        break
                    if self.state.frontier:
                        u, d, p = self.state.frontier.popleft()
                        task = asyncio.ensure_future(self._fetch_page(client, u, d, p))
                        inflight[task] = ("page", (u, d, p))
                    else:
                        u, p, t = self.state.links.pop()
                        task = asyncio.ensure_future(self._check_link(client, u, p, t))
                        inflight[task] = ("link", (u, p, t))
                    running.add(task)
                if not running:
                    break
                done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for finished in done:
                    inflight.pop(finished, None)
                    finished.result()
                self._since_checkpoint += len(done)
                if self.on_checkpoint and self._since_checkpoint >= self.checkpoint_every:
                    self._since_checkpoint = 0
                    await _call(self.on_checkpoint, self._resumable(inflight.values()))
        self.state.done = True
        return self.state


def _decode(body: bytes, ctype: str) -> str:
    charset = ""
    if "charset=" in ctype:
        charset = ctype.split("charset=", 1)[1].split(";")[0].strip()
    head = body[:2048].lower()
    if not charset and b"charset=" in head:
        tail = head.split(b"charset=", 1)[1]
        charset = (
            tail.strip(b"\"' ")
            .split(b'"')[0]
            .split(b"'")[0]
            .split(b";")[0]
            .split(b" ")[0]
            .split(b">")[0]
            .decode("ascii", "ignore")
        )
    for enc in (charset, "utf-8", "gb18030"):
        if not enc:
            continue
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")


def crawl(config: CrawlConfig, **kwargs: Any) -> CrawlState:
    """Run a crawl to the end in a fresh event loop (a job's thread has none)."""
    return asyncio.run(Crawler(config, **kwargs).run())
