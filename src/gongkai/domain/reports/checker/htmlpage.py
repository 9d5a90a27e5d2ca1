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

from gongkai.domain.reports.checker.grid import RawCell, RawTable, normalize_label
from gongkai.domain.reports.checker.numbers import is_figure_like
from gongkai.domain.reports.formats import FORMATS

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
        self.in_title = False
        self.title: list[str] = []

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
        if tag == "title":
            self.in_title = True
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
        if tag == "title":
            self.in_title = False
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
        if self.in_title:
            self.title.append(data)
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
        # the page title often is the report's own (it names the year): it leads the text
        title = " ".join("".join(self.title).split())
        if title and title not in text:
            text = f"{title}\n{text.strip()}"
        return Page(tables=tables, text=text.strip())


def read_html(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    return parser.finish()


def read_text(text: str) -> Page:
    """A plain-text report (a page saved as text by a browser): its tables rebuilt from the
    lines (cells separated by tabs, spaces or line breaks), and the text itself."""
    if re.search(r"<\s*(table|p|div|td|body|html)\b", text, re.IGNORECASE):
        return read_html(text)
    table = text_table(text)
    return Page(tables=[table] if table.rows else [], text=text)


_SEPARATORS = re.compile(r"[ \u00a0\u3000]+")


def _header_words() -> frozenset[str]:
    """Every column heading of every format: in text they stand alone, never label a row."""
    words: set[str] = set()
    for fmt in FORMATS.values():
        for table in fmt.tables:
            for block in table.blocks:
                for col in block.columns:
                    words.add(normalize_label(col.label))
                    words.update(normalize_label(g) for g in col.groups)
                    words.update(normalize_label(a) for a in col.aliases)
    return frozenset(words)


def _tokens(line: str) -> list[str]:
    if "\t" in line:
        cells = [c.strip(" \u00a0\u3000") for c in line.rstrip().split("\t")]
        while cells and not cells[0]:
            cells.pop(0)
        return cells
    return [t for t in _SEPARATORS.split(line.strip()) if t]


def text_table(text: str) -> RawTable:
    """Rows of a report saved as plain text, as one table whose cells are in order.

    A line with several cells (tab- or space-separated) is a row. Where every cell has its own
    line, a row is the run of labels followed by the run of figures; column headings stand as
    rows of their own. Cells are not aligned with their headings (``aligned=False``): figures
    are taken in the order of the columns, and a row with too few figures is not guessed at.
    """
    headers = _header_words()
    table = RawTable(source="纯文本", aligned=False)
    pending: list[str] = []

    def flush() -> None:
        if pending:
            table.rows.append([RawCell(t) for t in pending])
            pending.clear()

    def is_figure(token: str) -> bool:
        return bool(token) and is_figure_like(token)

    for line in text.splitlines():
        tokens = _tokens(line)
        if not tokens:
            continue
        if len(tokens) > 1:
            flush()
            table.rows.append([RawCell(t) for t in tokens])
            continue
        token = tokens[0]
        if is_figure(token):
            pending.append(token)
            continue
        if normalize_label(token) in headers:
            if pending and not all(normalize_label(t) in headers for t in pending):
                flush()
            pending.append(token)
            continue
        if pending and (
            is_figure(pending[-1]) or normalize_label(pending[-1]) in headers or len(pending) >= 3
        ):
            flush()
        pending.append(token)
    flush()
    return table
