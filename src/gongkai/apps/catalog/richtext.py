"""Rich-text bodies: sanitised HTML for display, plain text for search and snippets."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "sup",
    "sub",
    "blockquote",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "a",
    "span",
    "div",
    "hr",
    "pre",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# only the body's own styles (gongkai.css, .doc-body): a free class could borrow the page's
# alerts, buttons or layout and pass a document off as a notice of the site itself
ALLOWED_CLASSES = {
    "p": {"signature", "center", "right", "no-indent"},
    "div": {"signature", "center", "right"},
    "span": {"underline"},
}
BLOCK_TAGS = {
    "p",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "div",
    "blockquote",
    "table",
    "hr",
    "pre",
    "caption",
}
_CELL_TAGS = {"td", "th"}
_BLANK_LINES = re.compile(r"\n[ \t\u3000]*\n[\s\u3000]*")
_SPACES = re.compile(r"[ \t]+")


def sanitise_html(value: str) -> str:
    """Keep formatting, tables and links; drop scripts, styles, event handlers and images."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


PASTE_ATTRIBUTES = {tag: attrs - {"class"} for tag, attrs in ALLOWED_ATTRIBUTES.items()}
_EMPTY_SPANS = re.compile(r"<span>(.*?)</span>", re.S)
_EMPTY_PARAGRAPHS = re.compile(r"<p>(\s|&nbsp;|\xa0)*</p>")


def _paste_attribute(tag: str, attribute: str, value: str) -> str | None:
    return value if attribute in PASTE_ATTRIBUTES.get(tag, ()) or attribute == "rel" else None


def sanitise_pasted_html(value: str) -> str:
    """HTML pasted from Word, WPS or a web page: the same sanitiser without any class (Word's
    MsoNormal and the like), and without the empty spans and paragraphs Word leaves."""
    cleaned = nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=PASTE_ATTRIBUTES,
        # also drops the lang and title ammonia allows on every tag (Word's lang="EN-US")
        attribute_filter=_paste_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    cleaned = _EMPTY_SPANS.sub(r"\1", cleaned)
    return _EMPTY_PARAGRAPHS.sub("", cleaned).strip()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append("\t")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value: str) -> str:
    """Readable plain text of an HTML body: one line per block, cells separated by spaces."""
    parser = _TextParser()
    parser.feed(value or "")
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def text_to_html(value: str) -> str:
    """Plain text (one paragraph per line) as HTML paragraphs."""
    return "".join(
        f"<p>{html.escape(line.strip())}</p>" for line in value.splitlines() if line.strip()
    )
