"""Reading a table someone uploads: CSV or XLSX, in one place for every importer.

Every import (catalogue documents, 12345 work orders, market entities, holiday notices) reads
its file here, so that each gets the same decoding, the same limits and the same line numbers:

* :func:`decode_text` — UTF-8 (with or without the BOM Excel writes) else GB18030, the two
  encodings spreadsheets in China save CSV in (GB18030 is a superset of GBK and GB2312).
* :func:`read_rows` — ``Row(line, cells)`` for every non-blank row of the first sheet, the
  header row included. ``line`` is the row as a spreadsheet shows it (a CSV record whose cell
  holds line breaks is still one row). An XLSX file passes :func:`untrusted.inspect` first
  (ADR 0080: size, members, unpacked size, ratio, cell count) and is then streamed by openpyxl
  in read-only mode, so a million rows never sit in memory at once.
* :class:`RowError` — the one shape of "this row is wrong": line, Chinese message, column.
* :class:`TableError` — the whole file cannot be read; the message is Chinese, for the user.
  Importers re-raise it as their own error type (``raise MailboxError(str(exc)) from exc``).

JSON imports differ by format and stay with their importer; they decode with
:func:`decode_text` too. Nothing here imports Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from gongkai.documents.untrusted import IMPORT, FileRefused, Limits, inspect

ENCODINGS = ("utf-8-sig", "gb18030")
UNREADABLE_ENCODING = "文件编码无法识别：请保存为 UTF-8 或 GB18030（GBK）编码的 CSV"
UNREADABLE_XLSX = "无法读取 Excel 文件（应为 .xlsx 格式）：文件无法打开，可能已损坏"
CSV_SUFFIXES = ("csv", "txt")
XLSX_SUFFIXES = ("xlsx", "xlsm")

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | None


class TableError(ValueError):
    """The file as a whole cannot be read; the message is a Chinese sentence for the user."""


@dataclass(frozen=True)
class RowError:
    """One row that cannot be taken, and why; nothing of that row is stored."""

    line: int  # the row as a spreadsheet shows it (header = 1), or a JSON item's number
    message: str
    column: str = ""  # the column's name as the file has it, when one column is at fault

    def __str__(self) -> str:
        where = f"“{self.column}”列" if self.column else ""
        return f"第{self.line}行{where}：{self.message}"


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[Cell, ...]

    def text(self, index: int) -> str:
        """The cell as trimmed text ("" when the row is shorter or the cell empty)."""
        if index >= len(self.cells) or self.cells[index] is None:
            return ""
        return str(self.cells[index]).strip()


def decode_first(data: bytes, encodings: Sequence[str] = ENCODINGS) -> tuple[str, str] | None:
    """(text, encoding) for the first encoding that decodes the bytes, or None."""
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def decode_text(data: bytes) -> str:
    """The bytes as text: UTF-8 (BOM or not), else GB18030; TableError otherwise."""
    decoded = decode_first(data)
    if decoded is None:
        raise TableError(UNREADABLE_ENCODING)
    return decoded[0]


def table_kind(name: str, data: bytes) -> str:
    """ "xlsx" or "csv": by the file's suffix, else by its first bytes (a ZIP is a workbook)."""
    suffix = PurePath(name or "").suffix.lower().lstrip(".")
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    if suffix in CSV_SUFFIXES:
        return "csv"
    return "xlsx" if data.startswith(b"PK\x03\x04") else "csv"


def _blank(cells: Sequence[Any]) -> bool:
    return not any(c is not None and str(c).strip() != "" for c in cells)


def csv_rows(text: str) -> Iterator[Row]:
    """Non-blank records of CSV text; ``line`` counts records as a spreadsheet counts rows."""
    reader = csv.reader(io.StringIO(text, newline=""))
    for line, record in enumerate(reader, start=1):
        if not _blank(record):
            yield Row(line, tuple(record))


def xlsx_rows(name: str, data: bytes, *, limits: Limits = IMPORT) -> Iterator[Row]:
    """Non-blank rows of the first sheet, after the container passed the limits."""
    from openpyxl import load_workbook

    try:
        inspect(name or "导入文件.xlsx", data, limits)
    except FileRefused as exc:
        raise TableError(str(exc)) from exc
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TableError(UNREADABLE_XLSX) from exc
    try:
        if not book.worksheets:
            return
        for line, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if not _blank(values):
                yield Row(line, tuple(values))
    finally:
        book.close()


def read_rows(
    name: str, data: bytes, *, kind: str | None = None, limits: Limits = IMPORT
) -> Iterator[Row]:
    """Every non-blank row of a CSV or XLSX file, header row first; TableError when the file
    cannot be read (encoding, damaged or oversized workbook). ``kind`` overrides the guess."""
    if (kind or table_kind(name, data)) == "xlsx":
        return xlsx_rows(name, data, limits=limits)
    if len(data) > limits.max_bytes:
        raise TableError(f"文件过大（不超过{limits.max_bytes // (1024 * 1024)}MB）")
    return csv_rows(decode_text(data))


def cell_text(value: Cell) -> str:
    """A cell as text: empty for nothing, a date or date-time as its ISO day."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def text_rows(
    name: str, data: bytes, *, kind: str | None = None, limits: Limits = IMPORT
) -> Iterator[list[str]]:
    """Every row as text cells, header first, blank rows included as ``[]`` so that a caller
    counting rows counts them as the spreadsheet numbers them; TableError as read_rows."""
    expected = 1
    for row in read_rows(name, data, kind=kind, limits=limits):
        while expected < row.line:
            yield []
            expected += 1
        yield [cell_text(value) for value in row.cells]
        expected += 1
