"""Reading 12345 work-order files: CSV (UTF-8 or GB18030, as Excel saves it), XLSX and JSON.

Each reader yields ``(line, record)`` where ``line`` is what a person finds in the file (the
spreadsheet row, the CSV line, the JSON item) and ``record`` maps our field names to cell
values. An unreadable file or missing required columns raise MailboxError before anything is
imported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from gongkai.apps.mailbox.errors import MailboxError
from gongkai.domain.mailbox import missing_columns, normalize_headers

Record = tuple[int, dict[str, Any]]
FORMATS = ("csv", "xlsx", "json")


def detect_format(file_name: str, content: bytes) -> str:
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix in FORMATS:
        return suffix
    if content[:2] == b"PK":
        return "xlsx"
    if content.lstrip()[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def line_word(fmt: str) -> str:
    """How a bad row is named to the user: 第 3 行 in a table, 第 3 条 in JSON."""
    return "条" if fmt == "json" else "行"


def _check_header(mapping: dict[int, str]) -> None:
    missing = missing_columns(set(mapping.values()))
    if missing:
        raise MailboxError(
            f"文件缺少必需的列：{'、'.join(missing)}（表头应含 工单编号、来电时间、来电人/联系方式、内容、承办单位）"
        )


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise MailboxError("文件编码无法识别，请保存为 UTF-8 或 GB18030 编码的 CSV")


def read_csv(content: bytes) -> Iterator[Record]:
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    mapping: dict[int, str] | None = None
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if mapping is None:
            mapping = normalize_headers(row)
            _check_header(mapping)
            continue
        yield (
            reader.line_num,
            {field: row[i] if i < len(row) else "" for i, field in mapping.items()},
        )
    if mapping is None:
        raise MailboxError("文件是空的")


def read_xlsx(content: bytes) -> Iterator[Record]:
    from openpyxl import load_workbook

    from gongkai.documents.untrusted import IMPORT, FileRefused, inspect

    try:
        inspect("导入文件.xlsx", content, IMPORT)
    except FileRefused as exc:
        raise MailboxError(str(exc)) from exc
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise MailboxError("无法读取 Excel 文件（应为 .xlsx 格式）") from exc
    try:
        sheet = workbook.worksheets[0]
        mapping: dict[int, str] | None = None
        for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(cell not in (None, "") for cell in row):
                continue
            if mapping is None:
                mapping = normalize_headers([str(c) if c is not None else "" for c in row])
                _check_header(mapping)
                continue
            yield index, {field: row[i] if i < len(row) else None for i, field in mapping.items()}
        if mapping is None:
            raise MailboxError("Excel 文件的第一个工作表是空的")
    finally:
        workbook.close()


def read_json(content: bytes) -> Iterator[Record]:
    try:
        data = json.loads(_decode(content))
    except json.JSONDecodeError as exc:
        raise MailboxError(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列") from exc
    if isinstance(data, dict):
        for key in ("orders", "工单", "data", "items"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        raise MailboxError("JSON 应为工单数组，或含 orders 数组的对象")
    seen_fields: set[str] = set()
    records: list[Record] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            records.append((index, {}))
            continue
        keys = list(item)
        mapping = normalize_headers(keys)
        seen_fields.update(mapping.values())
        records.append((index, {field: item[keys[i]] for i, field in mapping.items()}))
    if records:
        _check_header({i: f for i, f in enumerate(seen_fields)})
    yield from records


def read_records(file_name: str, content: bytes) -> tuple[str, Iterator[Record]]:
    fmt = detect_format(file_name, content)
    if not content.strip():
        raise MailboxError("文件是空的")
    reader = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json}[fmt]
    return fmt, reader(content)
