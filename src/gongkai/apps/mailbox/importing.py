"""Reading 12345 work-order files: CSV (UTF-8 or GB18030, as Excel saves it), XLSX and JSON.

Each reader yields ``(line, record)`` where ``line`` is what a person finds in the file (the
spreadsheet row, the CSV line, the JSON item) and ``record`` maps our field names to cell
values. An unreadable file or missing required columns raise MailboxError before anything is
imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from gongkai.apps.mailbox.errors import MailboxError
from gongkai.documents import table
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
    try:
        return table.decode_text(content)
    except table.TableError as exc:
        raise MailboxError(str(exc)) from exc


def _read_table(content: bytes, kind: str, empty: str) -> Iterator[Record]:
    """Rows of a CSV or XLSX file (gongkai.documents.table), mapped by the header row."""
    mapping: dict[int, str] | None = None
    try:
        for row in table.read_rows("", content, kind=kind):
            if mapping is None:
                mapping = normalize_headers([str(c) if c is not None else "" for c in row.cells])
                _check_header(mapping)
                continue
            blank = "" if kind == "csv" else None
            yield (
                row.line,
                {f: row.cells[i] if i < len(row.cells) else blank for i, f in mapping.items()},
            )
    except table.TableError as exc:
        raise MailboxError(str(exc)) from exc
    if mapping is None:
        raise MailboxError(empty)


def read_csv(content: bytes) -> Iterator[Record]:
    return _read_table(content, "csv", "文件是空的")


def read_xlsx(content: bytes) -> Iterator[Record]:
    return _read_table(content, "xlsx", "Excel 文件的第一个工作表是空的")


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
