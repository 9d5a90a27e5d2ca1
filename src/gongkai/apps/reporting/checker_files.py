"""Reading saved reports for the checker: HTML/text pages, Word (DOCX) and Excel (XLSX) files.

Each reader returns the tables (with their merged cells) and the running text; the checking
itself is pure (gongkai.domain.reports.checker).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from gongkai.documents.untrusted import REPORT_CHECK, FileRefused, read_limited
from gongkai.domain.reports.checker.check import CheckReport, check_page
from gongkai.domain.reports.checker.grid import RawCell, RawTable
from gongkai.domain.reports.checker.htmlpage import Page, read_html, read_text
from gongkai.ratelimit import Rule

MAX_BYTES = REPORT_CHECK.max_bytes
# `gongkai report check`: the file could not be read (damaged, unsupported, or beyond a limit);
# distinct from the checker's own results (ADR 0080)
EXIT_UNREADABLE = 4
# public checks per client address: each one parses in a child process (page and API alike)
CHECK_RULE = Rule("report-check", 30, 600)


class UnreadableFile(ValueError):
    """The file cannot be read as a report; the message says why, in Chinese."""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _docx_page(data: bytes) -> Page:
    from docx import Document
    from docx.oxml.ns import qn

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile("不是有效的 Word（DOCX）文件") from exc
    tables: list[RawTable] = []
    for index, table in enumerate(document.element.body.iter(qn("w:tbl")), start=1):
        raw = RawTable(source=f"Word第{index}个表格")
        for tr in table.findall(qn("w:tr")):
            row: list[RawCell] = []
            for tc in tr.findall(qn("w:tc")):
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                span = 1
                merge = None
                tc_pr = tc.find(qn("w:tcPr"))
                if tc_pr is not None:
                    grid_span = tc_pr.find(qn("w:gridSpan"))
                    if grid_span is not None:
                        span = int(grid_span.get(qn("w:val"), "1") or 1)
                    v_merge = tc_pr.find(qn("w:vMerge"))
                    if v_merge is not None:
                        merge = v_merge.get(qn("w:val"), "continue")
                row.append(RawCell(text.strip(), 1, span, continue_up=merge == "continue"))
            raw.rows.append(row)
        tables.append(raw)
    text = "\n".join(p.text for p in document.paragraphs)
    return Page(tables=tables, text=text)


def _xlsx_page(data: bytes) -> Page:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile("不是有效的 Excel（XLSX）文件") from exc
    tables: list[RawTable] = []
    texts: list[str] = []
    for sheet in workbook.worksheets:
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        covered: set[tuple[int, int]] = set()
        for merged in sheet.merged_cells.ranges:
            spans[(merged.min_row, merged.min_col)] = (
                merged.max_row - merged.min_row + 1,
                merged.max_col - merged.min_col + 1,
            )
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        covered.add((r, c))
        grid: list[list[RawCell | None]] = []
        for r in range(1, (sheet.max_row or 0) + 1):
            row: list[RawCell | None] = []
            for c in range(1, (sheet.max_column or 0) + 1):
                if (r, c) in covered:
                    row.append(None)  # inside a merged range: not a cell of its own
                    continue
                text = _xlsx_text(sheet.cell(r, c))
                rowspan, colspan = spans.get((r, c), (1, 1))
                row.append(RawCell(text, rowspan, colspan))
                if text:
                    texts.append(text)
            grid.append(row)
        tables.extend(_sheet_tables(grid, sheet.title))
    return Page(tables=tables, text="\n".join(texts))


def _xlsx_text(cell: Any) -> str:
    value = cell.value
    fmt = cell.number_format or ""
    if isinstance(value, float) and "%" in fmt:
        return f"{value * 100:.2f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _sheet_tables(grid: list[list[RawCell | None]], title: str) -> list[RawTable]:
    """A sheet often holds several tables one under another: split at empty rows (a merged
    range never crosses one) and drop the empty columns right of each table."""

    def empty(row: list[RawCell | None]) -> bool:
        return all(cell is None or not cell.text for cell in row)

    def spans_down(row_index: int) -> bool:
        return any(cell is not None and cell.rowspan > 1 for cell in grid[row_index])

    out: list[RawTable] = []
    block: list[list[RawCell | None]] = []
    for index, row in enumerate([*grid, []]):
        last = index == len(grid)
        if not last and (not empty(row) or (block and spans_down(index - 1))):
            block.append(row)
            continue
        if block:
            width = max(
                (
                    c + 1
                    for line in block
                    for c, cell in enumerate(line)
                    if cell is not None and cell.text
                ),
                default=0,
            )
            table = RawTable(source=f"工作表“{title}”第{index - len(block) + 1}行起的表格")
            for line in block:
                table.rows.append([cell for cell in line[:width] if cell is not None])
            out.append(table)
            block = []
    return out


def read_report(name: str, data: bytes) -> Page:
    """Tables and text of a saved report, chosen by its file name (or its content)."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"文件过大（超过{MAX_BYTES // 1024 // 1024}MB）")
    suffix = Path(name).suffix.lower()
    if suffix == ".docx" or (data[:2] == b"PK" and b"word/" in data[:2000]):
        return _docx_page(data)
    if suffix in (".xlsx", ".xlsm") or (data[:2] == b"PK" and b"xl/" in data[:2000]):
        return _xlsx_page(data)
    if suffix in (".doc", ".xls", ".pdf"):
        raise UnreadableFile(f"暂不支持 {suffix} 文件：请另存为网页（HTML）、DOCX 或 XLSX 后再核对")
    text = _decode(data)
    if suffix in (".txt", ".text"):
        return read_text(text)
    return read_html(text)


def _check_bytes(name: str, data: bytes, source: str) -> CheckReport:
    try:
        page = read_report(name, data)
    except UnreadableFile:
        raise
    except Exception as exc:  # a parser's own error on a malformed file is the file's fault
        raise UnreadableFile(f"文件已损坏或格式不符，无法读取（{type(exc).__name__}）") from exc
    return check_page(page.tables, page.text, source=source)


def _check_limited(name: str, data: bytes, source: str) -> CheckReport:
    """Read and check in a child process within the checker's limits (ADR 0080)."""
    try:
        return read_limited(_check_bytes, name, data, source, limits=REPORT_CHECK)
    except FileRefused as exc:
        raise UnreadableFile(str(exc)) from exc


def check_file(path: str | Path) -> CheckReport:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableFile(
                f"文件过大（{size / 1048576:.1f}MB，超过{MAX_BYTES // 1048576}MB）"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"无法读取文件“{path}”：{exc.strerror or exc}") from exc
    return _check_limited(path.name, data, str(path))


def check_upload(name: str, data: bytes) -> CheckReport:
    return _check_limited(name, data, name)
