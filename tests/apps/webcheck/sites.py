"""Government-style fixture sites served on the loopback interface (tests and bench).

``FixtureSite`` holds path → response; ``serve(site)`` runs a threaded HTTP server on
127.0.0.1 with a free port and yields its base URL. ``big_site(n)`` answers a tree of n pages
generated on the fly (for the crawler benchmark) without storing them.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gongkai.domain.codes import id_check_char


@dataclass
class Response:
    body: bytes
    status: int = 200
    ctype: str = "text/html; charset=utf-8"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FixtureSite:
    pages: dict[str, Response] = field(default_factory=dict)
    generator: object = None  # callable(path) -> Response | None
    hits: dict[str, int] = field(default_factory=dict)
    active: int = 0
    peak: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    starts: list[float] = field(default_factory=list)

    def html(self, path: str, body: str, *, title: str = "", meta: str = "", **kw) -> None:
        doc = (
            f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{meta}"
            f"</head><body>{body}</body></html>"
        )
        self.pages[path] = Response(doc.encode("utf-8"), **kw)

    def lookup(self, path: str) -> Response | None:
        if path in self.pages:
            return self.pages[path]
        if self.generator is not None:
            return self.generator(path)  # type: ignore[operator]
        return None


def _handler(site: FixtureSite):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _answer(self, with_body: bool) -> None:
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.hits[path] = site.hits.get(path, 0) + 1
                site.active += 1
                site.peak = max(site.peak, site.active)
                site.starts.append(time.monotonic())
            try:
                response = site.lookup(path) or Response(b"not found", 404, "text/plain")
                if response.delay:
                    time.sleep(response.delay)
                self.send_response(response.status)
                self.send_header("Content-Type", response.ctype)
                self.send_header("Content-Length", str(len(response.body)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if with_body:
                    self.wfile.write(response.body)
            finally:
                with site.lock:
                    site.active -= 1

        def do_GET(self):
            self._answer(True)

        def do_HEAD(self):
            self._answer(False)

    return Handler


@contextmanager
def serve(site: FixtureSite) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def valid_id(first17: str = "13990119800101123") -> str:
    return first17 + id_check_char(first17)


def xlsx_with(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _list(items: list[tuple[str, str, dt.date | None]]) -> str:
    lis = "".join(
        f"<li><a href='{href}'>{text}</a><span>{day.isoformat() if day else ''}</span></li>"
        for href, text, day in items
    )
    return f"<ul class='list'>{lis}</ul>"


def government_site(today: dt.date, code: str = "1399000001") -> FixtureSite:
    """A department site with the problems the indicators look for:
    stale 通知公告 and 政策文件, an empty 政策解读, a broken link, a slow page, a 403 external link,
    a typo, and an attachment with an unmasked ID number."""
    s = FixtureSite()
    recent = today - dt.timedelta(days=3)
    stale = today - dt.timedelta(days=400)
    s.pages["/robots.txt"] = Response(b"User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    s.html(
        "/",
        "<h1>测试市交通运输局</h1>"
        "<nav><a href='/ywdt/'>要闻动态</a><a href='/tzgg/'>通知公告</a>"
        "<a href='/zcwj/'>政策文件</a><a href='/zcjd/'>政策解读</a>"
        "<a href='/private/admin.html'>内部</a></nav>"
        + _list([("/ywdt/a1.html", "局长调研", recent), ("/tzgg/n1.html", "旧通知", stale)])
        + "<footer>政府网站标识码："
        + code
        + "</footer>",
        title="测试市交通运输局",
        meta=f"<meta name='SiteIDCode' content='{code}'><meta name='SiteName' content='测试市交通运输局'>",
    )
    s.html(
        "/ywdt/",
        _list([("/ywdt/a1.html", "局长调研", recent), ("/ywdt/a2.html", "会议", recent)])
        + "<p>希望全体干部再接再励。</p>",
    )
    s.html(
        "/ywdt/a1.html",
        "<p>局长调研道路建设。</p><a href='/missing.html'>旧文件</a>",
        meta=f"<meta name='PubDate' content='{recent} 09:00'>",
    )
    s.html("/ywdt/a2.html", "<p>会议。</p><a href='http://127.0.0.1:9/'>失效外链</a>")
    s.html("/tzgg/", _list([("/tzgg/n1.html", "旧通知", stale)]))
    s.html(
        "/tzgg/n1.html",
        "<p>公示名单见附件。</p><a href='/files/list.xlsx'>附件：名单</a>",
        meta=f"<meta name='PubDate' content='{stale}'>",
    )
    s.html("/zcwj/", _list([("/zcwj/p1.html", "暂行办法", None)]) + "<p>（无日期）</p>")
    s.html("/zcwj/p1.html", "<p>暂行办法全文。</p>", delay=0.3)
    s.html("/zcjd/", "<p>本栏目暂无信息</p>")
    s.html("/private/admin.html", "<p>不应被抓取</p>")
    s.pages["/files/list.xlsx"] = Response(
        xlsx_with([["姓名", "身份证号码", "金额"], ["张三", valid_id(), "100"]]),
        ctype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    s.pages["/blocked.html"] = Response(b"forbidden", 403, "text/plain")
    return s


def columns_of(base: str) -> list[dict[str, str]]:
    return [
        {"name": "要闻动态", "url": f"{base}/ywdt/", "kind": "dynamic"},
        {"name": "通知公告", "url": f"{base}/tzgg/", "kind": "notice"},
        {"name": "政策文件", "url": f"{base}/zcwj/", "kind": "policy"},
        {"name": "政策解读", "url": f"{base}/zcjd/", "kind": "other"},
    ]


def big_site(pages: int, fanout: int = 10) -> FixtureSite:
    """n pages in a tree (page k links to pages fanout·k+1 … fanout·k+fanout), generated on
    request; every page ~6 KB with a date and a list."""
    s = FixtureSite()
    pad = "<p>" + "政务公开示例文字。" * 200 + "</p>"

    def gen(path: str) -> Response | None:
        if path == "/robots.txt":
            return Response(b"User-agent: *\nAllow: /\n", ctype="text/plain")
        if path == "/":
            k = 0
        elif path.startswith("/p/") and path.endswith(".html"):
            try:
                k = int(path[3:-5])
            except ValueError:
                return None
        else:
            return None
        if k >= pages:
            return None
        kids = [c for c in range(fanout * k + 1, fanout * k + fanout + 1) if c < pages]
        links = "".join(
            f"<li><a href='/p/{c}.html'>第{c}页</a> 2026-11-0{1 + c % 9}</li>" for c in kids
        )
        body = f"<html><head><meta name='PubDate' content='2026-11-20'></head><body><ul>{links}</ul>{pad}</body></html>"
        return Response(body.encode("utf-8"))

    s.generator = gen
    return s
