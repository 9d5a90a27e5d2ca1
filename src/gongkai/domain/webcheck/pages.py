"""Reading a government web page: links, meta tags, dated list items, visible text.

Only the standard library's tolerant HTML parser is used, so a broken page is read as far as it
goes. Dates come from ``<meta name="PubDate">`` (the 政府网站 meta convention) and from dates
written next to list items (``2026-11-20``, ``2026/11/20``, ``2026年11月20日``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

DATE_RE = re.compile(
    r"(?<!\d)(20\d{2}|19\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?!\d)"
)
_SKIP_TEXT = {"script", "style", "noscript", "template"}
ATTACHMENT_EXTS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".txt", ".wps", ".et")


@dataclass
class Link:
    url: str
    text: str
    tag: str  # a, img, script, link, iframe


@dataclass
class Page:
    url: str
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    text: str = ""
    dates: list[dt.date] = field(default_factory=list)
    list_items: int = 0  # <li> elements with a link: the entries of a column page

    @property
    def pub_date(self) -> dt.date | None:
        value = self.meta.get("pubdate") or self.meta.get("publishdate") or ""
        found = parse_dates(value)
        return found[0] if found else None

    @property
    def latest(self) -> dt.date | None:
        candidates = [*self.dates, *([self.pub_date] if self.pub_date else [])]
        return max(candidates) if candidates else None


def parse_dates(text: str, *, not_after: dt.date | None = None) -> list[dt.date]:
    out = []
    for m in DATE_RE.finditer(text):
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        if not_after is None or day <= not_after:
            out.append(day)
    return out


class _Parser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.page = Page(url=base)
        self._skip = 0
        self._in_title = False
        self._anchor: Link | None = None
        self._anchor_text: list[str] = []
        self._text: list[str] = []
        self._li_depth = 0
        self._li_has_link = False

    def _add(self, raw: str | None, tag: str) -> Link | None:
        if not raw:
            return None
        raw = raw.strip()
        if raw.lower().startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
            return None
        url = urldefrag(urljoin(self.base, raw))[0]
        if urlsplit(url).scheme not in ("http", "https"):
            return None
        link = Link(url=url, text="", tag=tag)
        self.page.links.append(link)
        return link

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in _SKIP_TEXT:
            self._skip += 1
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"])
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and a.get("name"):
            self.page.meta[a["name"].strip().lower()] = a.get("content", "").strip()
        elif tag == "a":
            self._anchor = self._add(a.get("href"), "a")
            self._anchor_text = []
            if self._anchor is not None and self._li_depth:
                self._li_has_link = True
        elif tag in ("img", "script", "iframe"):
            self._add(a.get("src"), tag)
        elif tag == "link" and a.get("rel", "").lower() == "stylesheet":
            self._add(a.get("href"), "link")
        elif tag == "li":
            if not self._li_depth:
                self._li_has_link = False
            self._li_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TEXT and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "a" and self._anchor is not None:
            self._anchor.text = " ".join("".join(self._anchor_text).split())[:200]
            self._anchor = None
        elif tag == "li" and self._li_depth:
            self._li_depth -= 1
            if not self._li_depth and self._li_has_link:
                self.page.list_items += 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.page.title += data.strip()
            return
        if self._anchor is not None:
            self._anchor_text.append(data)
        self._text.append(data)

    def finish(self, today: dt.date | None) -> Page:
        self.close()
        self.page.text = " ".join(" ".join(self._text).split())
        self.page.dates = parse_dates(self.page.text, not_after=today)
        return self.page


def read_page(url: str, html: str, *, today: dt.date | None = None) -> Page:
    """The page at ``url``; dates after ``today`` (typos, event dates) are not update dates."""
    parser = _Parser(url)
    with contextlib.suppress(Exception):  # a tolerant reader: keep what was parsed
        parser.feed(html)
    return parser.finish(today)


def same_site(url: str, host: str) -> bool:
    return (urlsplit(url).hostname or "").lower() == host.lower()


def is_attachment(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(ATTACHMENT_EXTS)


# -- the home page's footer: the identifications 《政府网站发展指引》 requires -----------------

ICP_RE = re.compile(
    r"[\u4e00-\u9fa5]{1,2}\s*ICP\s*[备证]\s*[:：]?\s*(\d{6,10})\s*号?(?:\s*-\s*\d+)?", re.I
)
POLICE_RE = re.compile(r"[\u4e00-\u9fa5]{1,2}\s*公网安备\s*[:：]?\s*(\d{12,16})\s*号?")
SPONSOR_RE = re.compile(r"主办(?:单位|机关)?\s*[:：]?\s*")
CONAC_HOSTS = ("conac.cn",)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def footer_problems(
    page: Page, *, site_code: str, icp: str, sponsor_names: list[str]
) -> list[dict[str, str]]:
    """What is missing or wrong among the identifications at the foot of a home page:
    党政机关标识 (the badge linked to conac.cn), ICP备案号, 公安机关备案号, 网站标识码 and
    主办单位. Compared with the registry where it holds the value. Each problem is
    ``{"item": …, "what": …}`` in Chinese; an empty list means all are shown."""
    problems: list[dict[str, str]] = []
    text = page.text
    hosts = [(urlsplit(link.url).hostname or "").lower() for link in page.links]
    if not any(h == c or h.endswith("." + c) for h in hosts for c in CONAC_HOSTS):
        problems.append({"item": "党政机关标识", "what": "未见党政机关网站标识（链接至 conac.cn）"})
    found = ICP_RE.search(text)
    if found is None:
        problems.append({"item": "ICP备案号", "what": "未见ICP备案号"})
    elif _digits(icp) and _digits(found.group(1)) not in _digits(icp):
        problems.append(
            {"item": "ICP备案号", "what": f"页面ICP备案号“{found.group(0)}”与登记的“{icp}”不一致"}
        )
    if POLICE_RE.search(text) is None:
        problems.append({"item": "公安机关备案号", "what": "未见公安机关备案号（公网安备）"})
    shown = page.meta.get("siteidcode", "")
    if shown and shown != site_code:
        problems.append(
            {"item": "网站标识码", "what": f"页面标识码“{shown}”与登记的“{site_code}”不一致"}
        )
    names = [n for n in sponsor_names if n]
    spots = [m.end() for m in SPONSOR_RE.finditer(text)]
    if not spots:
        problems.append({"item": "主办单位", "what": "未标注主办单位"})
    elif names and not any(n in text[at : at + 60] for at in spots for n in names):
        after = text[spots[0] : spots[0] + 30]
        problems.append({"item": "主办单位", "what": f"主办单位“{after}…”与登记的“{names[0]}”不符"})
    return problems
