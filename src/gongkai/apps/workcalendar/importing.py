"""Read a holiday-notice file (JSON or CSV) into checked rows, or say which lines are wrong.

CSV: ``date,kind,name[,source]`` with an optional header row (English or 日期,类型,名称,依据),
UTF-8 (with or without BOM) or GB18030 as spreadsheets in China save it. JSON: a list of
``{"date", "kind", "name", "source"?}`` objects, or an object with such a list under
``"entries"`` (and optionally ``"notice"``) — the format of the shipped data file.
Kinds: ``holiday`` / 法定节假日 / 放假, ``workday`` / 调休上班 / 上班.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from gongkai.apps.workcalendar.errors import CalendarImportError, RowError
from gongkai.documents.table import TableError, csv_rows, decode_text
from gongkai.domain.workdays import WEEKDAY_NAMES, cn_day

KIND_ALIASES = {
    "holiday": "holiday",
    "法定节假日": "holiday",
    "节假日": "holiday",
    "放假": "holiday",
    "休息": "holiday",
    "workday": "workday",
    "调休上班": "workday",
    "上班": "workday",
    "补班": "workday",
}
HEADER_WORDS = {"date", "日期", "kind", "类型", "name", "名称", "节日", "source", "依据"}
MAX_ROWS = 5000
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class ImportRow:
    line: int
    day: dt.date
    kind: str  # "holiday" | "workday"
    name: str
    source: str = ""


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ImportRow]
    notice: str = ""


_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_day(text: str) -> dt.date:
    value = text.strip()
    for form in _DATE_FORMS:
        match = form.match(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"日期“{value}”不存在") from None
    raise ValueError(f"日期“{value}”格式不对（应为 YYYY-MM-DD，如 2027-01-01）")


def check_row(line: int, day_text: Any, kind_text: Any, name: Any, source: Any = "") -> ImportRow:
    """One row, checked on its own (ValueError with a Chinese message)."""
    if not isinstance(day_text, str) or not day_text.strip():
        raise ValueError("缺少日期")
    day = parse_day(day_text)
    if not 1990 <= day.year <= 2200:
        raise ValueError(f"年份{day.year}超出范围")
    kind = KIND_ALIASES.get(str(kind_text or "").strip().lower())
    if kind is None:
        raise ValueError(
            f"类型“{kind_text or ''}”不对（应为 holiday 法定节假日 或 workday 调休上班）"
        )
    name = str(name or "").strip()
    if not name:
        raise ValueError("缺少节日名称")
    if len(name) > 30:
        raise ValueError("节日名称超过30个字")
    source = str(source or "").strip()
    if len(source) > 200:
        raise ValueError("依据通知超过200个字")
    if kind == "workday" and day.weekday() < 5:
        raise ValueError(
            f"{cn_day(day)}是{WEEKDAY_NAMES[day.weekday()]}，调休上班日只能是周六或周日"
        )
    return ImportRow(line, day, kind, name, source)


def _finish(rows: list[ImportRow], errors: list[RowError], notice: str = "") -> ParsedFile:
    seen: dict[dt.date, int] = {}
    for row in rows:
        if row.day in seen:
            errors.append(RowError(row.line, f"日期{row.day.isoformat()}与第{seen[row.day]}行重复"))
        else:
            seen[row.day] = row.line
    if not rows and not errors:
        errors.append(RowError(1, "文件中没有任何日期"))
    if errors:
        raise CalendarImportError(sorted(errors, key=lambda e: e.line))
    return ParsedFile(sorted(rows, key=lambda r: r.day), notice)


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CalendarImportError([RowError(1, "文件过大（不超过2MB）")])
    try:
        return decode_text(data)
    except TableError as exc:
        raise CalendarImportError([RowError(1, str(exc))]) from None


def parse_csv(text: str) -> ParsedFile:
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    for record in csv_rows(text):
        line = record.line
        cells = [str(c).strip() for c in record.cells]
        if cells[0].startswith("#"):
            continue
        if line == 1 and cells[0].lower() in HEADER_WORDS:
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, f"行数超过{MAX_ROWS}"))
            break
        if len(cells) < 3:
            errors.append(RowError(line, "应有日期、类型、名称三列"))
            continue
        try:
            rows.append(check_row(line, *cells[:4]))
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
    return _finish(rows, errors)


def _json_item_lines(text: str, key: str | None) -> list[int]:
    """The line on which each item of the entries array starts."""
    decoder = json.JSONDecoder()
    if key is None:
        pos = text.index("[")
    else:
        match = re.search(r'"' + re.escape(key) + r'"\s*:\s*\[', text)
        if match is None:
            return []
        pos = match.end() - 1
    lines: list[int] = []
    pos += 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return lines
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)


def parse_json(text: str) -> ParsedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarImportError([RowError(exc.lineno, f"JSON 格式错误：{exc.msg}")]) from None
    notice = ""
    if isinstance(data, dict):
        items = data.get("entries")
        notice = str(data.get("notice") or "")
        key: str | None = "entries"
    else:
        items, key = data, None
    if not isinstance(items, list):
        raise CalendarImportError(
            [RowError(1, "JSON 应为日期对象的数组，或含有 entries 数组的对象")]
        )
    lines = _json_item_lines(text, key)
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else index + 1
        if index >= MAX_ROWS:
            errors.append(RowError(line, f"条目数超过{MAX_ROWS}"))
            break
        if not isinstance(item, dict):
            errors.append(RowError(line, "每一条应为含 date、kind、name 的对象"))
            continue
        try:
            rows.append(
                check_row(
                    line,
                    item.get("date"),
                    item.get("kind"),
                    item.get("name"),
                    item.get("source", ""),
                )
            )
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
    return _finish(rows, errors, notice)


def parse_file(data: bytes, filename: str = "") -> ParsedFile:
    text = _decode(data)
    lower = filename.lower()
    if lower.endswith(".json") or (not lower.endswith(".csv") and text.lstrip()[:1] in "[{"):
        return parse_json(text)
    return parse_csv(text)
