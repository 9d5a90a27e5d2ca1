"""Tables and text of a saved web page, whatever its markup.

Government sites publish reports as Word pasted into a CMS: tables wrapped in layout tables,
cells full of <p class=MsoNormal><span> … </span></p>, unclosed <td>/<tr>, &nbsp; for empty
cells. The standard library's tolerant parser reads all of it; every <table> becomes its own
RawTable (a layout table holding the report table does not swallow its text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from gongkai.domain.reports.checker.grid import RawCell, RawTable

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "table"}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}


def _span(value: str | None) -> int:
    if not value:
        return 1
    match = re.match(r"\s*(\d+)", value)
    return max(1, int(match.group(1))) if match else 1


@dataclass
class _Context:
    table: RawTable
    row: list[RawCell] | None = None
    cell: RawCell | None = None
    buffer: list[str] = field(default_factory=list)


@dataclass
class Page:
    tables: list[RawTable]
    text: str


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Context] = []
        self.tables: list[tuple[int, RawTable]] = []
        self.text: list[str] = []
        self.skip = 0
        self.opened = 0

    # cells and rows close implicitly, as browsers close them
    def _close_cell(self, ctx: _Context) -> None:
        if ctx.cell is not None:
            ctx.cell.text = "".join(ctx.buffer).strip()
            if ctx.row is None:
                ctx.row = []
                ctx.table.rows.append(ctx.row)
            ctx.row.append(ctx.cell)
            ctx.cell = None
            ctx.buffer = []

    def _close_row(self, ctx: _Context) -> None:
        self._close_cell(ctx)
        ctx.row = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if tag in _BLOCK:
            self.text.append("\n")
            if self.stack and self.stack[-1].cell is not None and tag != "table":
                self.stack[-1].buffer.append(" ")
        if tag == "table":
            self.opened += 1
            table = RawTable(source=f"第{self.opened}个表格")
            self.tables.append((self.opened, table))
            self.stack.append(_Context(table))
            return
        if not self.stack:
            return
        ctx = self.stack[-1]
        if tag == "tr":
            self._close_row(ctx)
            ctx.row = []
            ctx.table.rows.append(ctx.row)
        elif tag in ("td", "th"):
            self._close_cell(ctx)
            values = dict(attrs)
            ctx.cell = RawCell("", _span(values.get("rowspan")), _span(values.get("colspan")))
            ctx.buffer = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag in _BLOCK:
            self.text.append("\n")
        if not self.stack:
            return
        ctx = self.stack[-1]
        if tag == "table":
            self._close_row(ctx)
            self.stack.pop()
        elif tag == "tr":
            self._close_row(ctx)
        elif tag in ("td", "th"):
            self._close_cell(ctx)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.text.append(data)
        if self.stack and self.stack[-1].cell is not None:
            self.stack[-1].buffer.append(data)

    def finish(self) -> Page:
        self.close()
        while self.stack:
            self._close_row(self.stack.pop())
        tables = [t for _n, t in sorted(self.tables, key=lambda item: item[0]) if t.rows]
        text = re.sub(r"[ \t\u00a0\u3000]+", " ", "".join(self.text))
        text = re.sub(r"\n\s*\n+", "\n", text)
        return Page(tables=tables, text=text.strip())


def read_html(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    return parser.finish()


def read_text(text: str) -> Page:
    """A plain-text report (a page saved as text): no tables, the text itself."""
    if re.search(r"<\s*(table|p|div|td|body|html)\b", text, re.IGNORECASE):
        return read_html(text)
    return Page(tables=[], text=text)
