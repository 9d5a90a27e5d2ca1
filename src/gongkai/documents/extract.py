"""Text with locations from the files people publish: DOCX, XLSX, PDF with a text layer, HTML,
TXT and CSV.

``extract_text(filename, content)`` returns :class:`TextBlock` objects in reading order — a
paragraph, a table cell, a PDF or text line — each with a Chinese location (“第3段”,
“表1 第2行 第3列”, “工作表“名单” C5”, “第2页 第7行”), the column header for table cells (or the
header line for a table written as text) and the row it belongs to. The privacy review scans
blocks; the catalogue indexes ``extract_plain_text``. ``extract_document`` also reports pages
without a text layer (scans) so that callers can ask a person to look at them.

Old binary formats (.doc, .xls, .wps) and images are refused with a Chinese message rather
than read wrongly.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any

from gongkai.documents.table import decode_first
from gongkai.documents.untrusted import DOCUMENT, FileRefused, Limits, read_limited
from gongkai.domain.privacy.context import looks_like_header, split_header_line

SUPPORTED_EXTENSIONS = (
    ".docx",
    ".xlsx",
    ".xlsm",
    ".pdf",
    ".html",
    ".htm",
    ".shtml",
    ".txt",
    ".csv",
)
_OLD_FORMATS = {
    ".doc": "请用 WPS 或 Word 另存为 .docx 后再上传",
    ".xls": "请用 WPS 或 Excel 另存为 .xlsx 后再上传",
    ".wps": "请另存为 .docx 后再上传",
    ".et": "请另存为 .xlsx 后再上传",
    ".rtf": "请另存为 .docx 后再上传",
}
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp")


class ExtractionError(ValueError):
    """The file cannot be read; the message is a Chinese sentence for the user."""


@dataclass(frozen=True)
class TextBlock:
    """One unit of text and where it sits in the file."""

    location: str
    text: str
    header: str | None = None  # column header of a cell, or the header line of a text table
    group: str | None = None  # the table row the block belongs to (“表1 第3行”)


@dataclass
class Extraction:
    blocks: list[TextBlock]
    pages: int | None = None
    pages_without_text: list[int] = field(default_factory=list)


def file_extension(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def is_supported(filename: str) -> bool:
    return file_extension(filename) in SUPPORTED_EXTENSIONS


def check_supported(filename: str) -> str:
    """The extension of ``filename`` or ExtractionError saying why it cannot be read."""
    ext = file_extension(filename)
    if ext in SUPPORTED_EXTENSIONS:
        return ext
    name = PurePath(filename).name
    if ext in _OLD_FORMATS:
        raise ExtractionError(f"不支持旧版 {ext} 格式的文件“{name}”：{_OLD_FORMATS[ext]}")
    if ext in IMAGE_EXTENSIONS:
        raise ExtractionError(f"“{name}”是图片，无法自动识别其中的文字，请人工核对后再公开")
    raise ExtractionError(f"不支持的文件格式“{name}”（可读取 DOCX、XLSX、PDF、HTML、TXT、CSV）")


def extract_document(filename: str, content: bytes, limits: Limits = DOCUMENT) -> Extraction:
    """What :func:`read_document` finds, read in a child process within ``limits`` (ADR 0080):
    a file beyond a limit is refused with a Chinese message, as an unreadable file is."""
    check_supported(filename)
    try:
        return read_limited(read_document, filename, content, limits=limits)
    except FileRefused as exc:
        raise ExtractionError(str(exc)) from exc


def read_document(filename: str, content: bytes) -> Extraction:
    """Parse in this process: only for content already inside the limits (see above)."""
    ext = check_supported(filename)
    name = PurePath(filename).name
    try:
        if ext == ".docx":
            return Extraction(list(_docx_blocks(content)))
        if ext in (".xlsx", ".xlsm"):
            return Extraction(list(_xlsx_blocks(content)))
        if ext == ".pdf":
            return _pdf_extraction(content)
        if ext in (".html", ".htm", ".shtml"):
            return Extraction(parse_html(decode_text(content)[0]).blocks)
        if ext == ".csv":
            return Extraction(list(_csv_blocks(decode_text(content)[0])))
        return Extraction(list(_line_blocks(decode_text(content)[0].splitlines(), "")))
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ExtractionError(
            f"无法读取文件“{name}”：文件已损坏或不是有效的 {ext[1:].upper()} 文件"
        ) from exc


def extract_text(filename: str, content: bytes) -> list[TextBlock]:
    """The text blocks of a file, in reading order (see the module docstring)."""
    return extract_document(filename, content).blocks


def extract_plain_text(filename: str, content: bytes) -> str:
    """All text of a file as one string, one block per line (for search indexing)."""
    return "\n".join(block.text for block in extract_text(filename, content))


def decode_text(content: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), else GB18030."""
    return decode_first(content) or (content.decode("utf-8", errors="replace"), "utf-8")


# text lines (TXT, PDF) ------------------------------------------------------------------------


def align_row(line: str, header_cells: list[str]) -> str | None:
    """The header line to use for ``line``: only when the line looks like a row of that table."""
    parts = split_header_line(line)
    if len(parts) >= max(2, len(header_cells) - 1):
        return " ".join(header_cells)
    return None


def line_items(
    lines: list[str], prefix: str, header: list[str] | None = None
) -> Iterator[tuple[int, TextBlock]]:
    """(line index, block) for the non-empty lines; a header-like line sets the header for the
    lines below it that look like rows of the same table."""
    current = header
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        cells = split_header_line(line)
        location = f"{prefix}第{index + 1}行"
        if looks_like_header(cells):
            current = cells
            yield index, TextBlock(location, line)
            continue
        row_header = align_row(line, current) if current else None
        yield index, TextBlock(location, line, row_header, location if row_header else None)


def _line_blocks(
    lines: list[str], prefix: str, header: list[str] | None = None
) -> Iterator[TextBlock]:
    for _, block in line_items(lines, prefix, header):
        yield block


# DOCX ----------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_pieces(paragraph: Any) -> list[tuple[Any, str]]:
    """(element, text) for the text, tab and break nodes of a w:p, in order.

    The element is the w:t node to edit when masking, or None for tabs and breaks.
    """
    pieces: list[tuple[Any, str]] = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        parent = node.getparent()
        if node.tag == f"{W}t":
            pieces.append((node, node.text or ""))
        elif parent is not None and parent.tag == f"{W}r":
            pieces.append((None, "\t" if node.tag == f"{W}tab" else "\n"))
    return pieces


@dataclass
class DocxParagraph:
    location: str
    element: Any
    header: str | None = None
    group: str | None = None


def docx_paragraphs(document: Any) -> Iterator[DocxParagraph]:
    """Every paragraph of the body (tables included) and of headers and footers."""
    counter = {"p": 0, "t": 0}
    yield from _docx_container(document.element.body, counter, "")
    seen: set[int] = set()
    for index, section in enumerate(document.sections, start=1):
        for label, part in (("页眉", section.header), ("页脚", section.footer)):
            if part.is_linked_to_previous:
                continue
            element = part._element
            if id(element) in seen:
                continue
            seen.add(id(element))
            yield from _docx_container(element, counter, f"第{index}节{label} ")


def _docx_container(
    container: Any, counter: dict[str, int], prefix: str
) -> Iterator[DocxParagraph]:
    for child in container.iterchildren():
        if child.tag == f"{W}p":
            counter["p"] += 1
            yield DocxParagraph(f"{prefix}第{counter['p']}段", child)
        elif child.tag == f"{W}tbl":
            counter["t"] += 1
            yield from _docx_table(child, counter, f"{prefix}表{counter['t']}")
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _docx_container(content, counter, prefix)


def _cell_text(cell: Any) -> str:
    return "".join(text for _, text in docx_pieces(cell)).strip()


def _docx_table(table: Any, counter: dict[str, int], label: str) -> Iterator[DocxParagraph]:
    rows = table.findall(f"{W}tr")
    headers: list[str] | None = None
    header_row = -1
    for index, row in enumerate(rows[:3]):
        texts = [_cell_text(cell) for cell in row.findall(f"{W}tc")]
        if looks_like_header(texts):
            headers, header_row = texts, index
            break
    for r, row in enumerate(rows):
        group = f"{label} 第{r + 1}行"
        for c, cell in enumerate(row.findall(f"{W}tc")):
            header = headers[c] if headers and r > header_row and c < len(headers) else None
            paragraphs = cell.findall(f"{W}p")
            for k, paragraph in enumerate(paragraphs):
                suffix = f" 第{k + 1}段" if len(paragraphs) > 1 else ""
                yield DocxParagraph(
                    f"{group} 第{c + 1}列{suffix}", paragraph, header or None, group
                )
            for nested in cell.findall(f"{W}tbl"):
                counter["t"] += 1
                yield from _docx_table(nested, counter, f"{label}内表{counter['t']}")


def open_docx(content: bytes) -> Any:
    from docx import Document

    return Document(io.BytesIO(content))


def _docx_blocks(content: bytes) -> Iterator[TextBlock]:
    for paragraph in docx_paragraphs(open_docx(content)):
        text = "".join(text for _, text in docx_pieces(paragraph.element))
        if text.strip():
            yield TextBlock(paragraph.location, text, paragraph.header, paragraph.group)


# XLSX ----------------------------------------------------------------------------------------


def cell_text(value: Any) -> str | None:
    """The text a cell shows for scanning (numbers as digits; dates and formulas skipped)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else None
    if isinstance(value, str):
        return None if value.startswith("=") else value
    return None


def sheet_header(rows: list[list[Any]]) -> tuple[int, list[str]] | None:
    """(row index, header texts) of the first header-like row among the first ten."""
    for index, row in enumerate(rows[:10]):
        texts = [cell_text(v) or "" for v in row]
        if looks_like_header(texts):
            return index, texts
    return None


def open_xlsx(content: bytes, *, read_only: bool) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content), read_only=read_only, data_only=read_only)


def xlsx_cells(workbook: Any) -> Iterator[tuple[Any, str, str | None, str, str]]:
    """(cell, text, header, location, row group) for every cell with text, sheet by sheet."""
    from openpyxl.utils import get_column_letter

    for sheet in workbook.worksheets:
        rows = [list(row) for row in sheet.iter_rows()]
        values = [[getattr(cell, "value", None) for cell in row] for row in rows]
        found = sheet_header(values)
        header_row, headers = found if found else (-1, [])
        for r, row in enumerate(rows):
            group = f"工作表“{sheet.title}” 第{r + 1}行"
            for c, cell in enumerate(row):
                text = cell_text(values[r][c])
                if not text or not text.strip():
                    continue
                header = headers[c] if r > header_row and c < len(headers) and headers[c] else None
                location = f"工作表“{sheet.title}” {get_column_letter(c + 1)}{r + 1}"
                yield cell, text, header, location, group


def _xlsx_blocks(content: bytes) -> Iterator[TextBlock]:
    workbook = open_xlsx(content, read_only=True)
    try:
        for _, text, header, location, group in xlsx_cells(workbook):
            yield TextBlock(location, text, header, group)
    finally:
        workbook.close()


# CSV -----------------------------------------------------------------------------------------


def _csv_blocks(text: str) -> Iterator[TextBlock]:
    rows = list(csv.reader(io.StringIO(text)))
    header_row = -1
    headers: list[str] = []
    for index, row in enumerate(rows[:5]):
        if looks_like_header(row):
            header_row, headers = index, row
            break
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value.strip():
                header = headers[c] if r > header_row and c < len(headers) else None
                yield TextBlock(f"第{r + 1}行 第{c + 1}列", value, header or None, f"第{r + 1}行")


# PDF -----------------------------------------------------------------------------------------


def _pdf_extraction(content: bytes) -> Extraction:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        raise ExtractionError("无法读取 PDF 文件：文件已损坏或已加密") from exc
    blocks: list[TextBlock] = []
    empty: list[int] = []
    header: list[str] | None = None
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
            if not text.strip():
                empty.append(index + 1)
                continue
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            page_blocks = list(_line_blocks(lines, f"第{index + 1}页 ", header))
            for block in page_blocks:
                if block.header is None and looks_like_header(split_header_line(block.text)):
                    header = split_header_line(block.text)
            blocks.extend(page_blocks)
        return Extraction(blocks, pages=len(document), pages_without_text=empty)
    finally:
        document.close()


# HTML ----------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "blockquote",
        "pre",
        "dt",
        "dd",
        "dl",
        "br",
        "hr",
        "form",
        "title",
        "figcaption",
        "address",
    ]
)
_RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "template"})


@dataclass
class HtmlBlock:
    location: str
    header: str | None
    group: str | None
    tokens: list[int]


@dataclass
class _Table:
    number: int
    row: int = 0
    col: int = 0
    headers: list[str] | None = None
    header_row: int = 0
    row_cells: list[str] = field(default_factory=list)


class HtmlDocument(HTMLParser):
    """An HTML page as tokens (markup kept verbatim, text decoded) and blocks of text tokens."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []
        self.is_text: list[bool] = []
        self.blocks: list[HtmlBlock] = []
        self._current: list[int] = []
        self._raw_depth = 0
        self._paragraphs = 0
        self._tables: list[_Table] = []
        self._table_count = 0
        self._cell: tuple[str, str | None, str] | None = None

    # tokens
    def _markup(self, raw: str) -> None:
        self.tokens.append(raw)
        self.is_text.append(False)

    def _flush(self) -> None:
        tokens, self._current = self._current, []
        text = "".join(self.tokens[i] for i in tokens)
        if not text.strip():
            return
        if self._cell is not None:
            location, header, group = self._cell
            self.blocks.append(HtmlBlock(location, header, group, tokens))
            if self._tables:
                self._tables[-1].row_cells[-1] += text.strip()
        else:
            self._paragraphs += 1
            self.blocks.append(HtmlBlock(f"第{self._paragraphs}段", None, None, tokens))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        self._markup(self.get_starttag_text() or f"<{tag}>")
        if tag in _RAW_TEXT_TAGS:
            self._raw_depth += 1
        elif tag == "table":
            self._table_count += 1
            self._tables.append(_Table(self._table_count))
        elif tag == "tr" and self._tables:
            table = self._tables[-1]
            table.row += 1
            table.col = 0
            table.row_cells = []
        elif tag in ("td", "th") and self._tables:
            table = self._tables[-1]
            span = dict(attrs).get("colspan") or "1"
            table.col += 1
            column = table.col
            table.col += (int(span) - 1) if span.isdigit() else 0
            table.row_cells.append("")
            header = None
            if table.headers and table.row > table.header_row and column <= len(table.headers):
                header = table.headers[column - 1] or None
            group = f"表{table.number} 第{table.row}行"
            self._cell = (f"{group} 第{column}列", header, group)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        self._markup(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        self._markup(f"</{tag}>")
        if tag in _RAW_TEXT_TAGS:
            self._raw_depth = max(0, self._raw_depth - 1)
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "tr" and self._tables:
            table = self._tables[-1]
            if table.headers is None and looks_like_header(table.row_cells):
                table.headers = list(table.row_cells)
                table.header_row = table.row
        elif tag == "table" and self._tables:
            self._tables.pop()
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._raw_depth:
            self._markup(data)
            return
        self.tokens.append(data)
        self.is_text.append(True)
        self._current.append(len(self.tokens) - 1)

    def handle_comment(self, data: str) -> None:
        self._markup(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._markup(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._markup(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._markup(f"<![{data}]>")

    def finish(self) -> HtmlDocument:
        self.close()
        self._flush()
        return self

    @property
    def text_blocks(self) -> list[TextBlock]:
        return [
            TextBlock(b.location, "".join(self.tokens[i] for i in b.tokens), b.header, b.group)
            for b in self.blocks
        ]


@dataclass
class ParsedHtml:
    document: HtmlDocument

    @property
    def blocks(self) -> list[TextBlock]:
        return self.document.text_blocks


def parse_html(text: str) -> ParsedHtml:
    parser = HtmlDocument()
    parser.feed(text)
    return ParsedHtml(parser.finish())


@dataclass(frozen=True)
class HtmlPart:
    """The blocks of one part of a page (see :func:`parse_html_part`)."""

    blocks: list[TextBlock]
    paragraphs: int  # paragraphs counted once the part is read (those before it included)
    tables: int  # tables likewise
    closed: bool  # nothing left open at its end: no table, cell, script, comment or tag


def parse_html_part(text: str, *, paragraphs: int = 0, tables: int = 0) -> HtmlPart:
    """A part of a page cut just before a block tag, read as :func:`parse_html` reads it
    within the whole page after ``paragraphs`` paragraphs and ``tables`` tables — provided
    the parts before it were ``closed``: the parser then starts the part with nothing open,
    and the block tag after it ends the part's last block as :meth:`HtmlDocument.finish` does.
    Its blocks, joined with those of the parts before and after it, are the page's blocks."""
    parser = HtmlDocument()
    parser._paragraphs = paragraphs
    parser._table_count = tables
    parser.feed(text)
    # markup cut off at the end (a tag, a comment) is held back as raw data; text is not
    pending = "<" in parser.rawdata
    parser.finish()
    closed = not (
        pending or parser.cdata_elem or parser._raw_depth or parser._tables or parser._cell
    )
    return HtmlPart(parser.text_blocks, parser._paragraphs, parser._table_count, closed)


def text_blocks(text: str) -> list[TextBlock]:
    """Blocks of a plain text (a reply, a letter body): one per non-empty line, “第n行”."""
    return list(_line_blocks(text.splitlines(), ""))
