"""Check a published report: find its format and tables, read the figures, test the identities.

How blank cells are read (ADR 0073): sites leave a cell blank both for zero and for "not filled
in". A blank cell is read as 0 and counted in the readings; a table left wholly blank is "not
filled in" and its identities are skipped, not failed; a total left blank while the cells it
sums are not is a defect in its own right. Cells written as —, / or 无 are read as 0.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.domain.reports.checker.grid import Matrix, RawTable, expand
from gongkai.domain.reports.checker.mapping import TableMatch, best_match
from gongkai.domain.reports.checker.numbers import CellReading
from gongkai.domain.reports.formats import FORMATS
from gongkai.domain.reports.identities import Validation, format_number, validate
from gongkai.domain.reports.jsonout import tables_json, validation_json
from gongkai.domain.reports.model import CellKey, Number, ReportFormat

EXIT_OK, EXIT_FAILED, EXIT_NO_TABLE = 0, 1, 2


@dataclass
class Extraction:
    fmt: ReportFormat
    method: str  # "tables" | "text"
    values: dict[CellKey, Number | None]
    readings: dict[CellKey, CellReading] = field(default_factory=dict)
    where: dict[CellKey, str] = field(default_factory=dict)
    tables: dict[str, TableMatch] = field(default_factory=dict)
    unfilled_tables: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table_keys(self) -> list[str]:
        if self.method == "text":
            return sorted({cell[0] for cell, v in self.values.items() if v is not None})
        return list(self.tables)


def _from_tables(fmt: ReportFormat, matrices: list[Matrix]) -> Extraction | None:
    matches: dict[str, TableMatch] = {}
    for table in fmt.tables:
        match = best_match(fmt, table, matrices)
        if match is not None:
            matches[table.key] = match
    if not matches:
        return None
    values: dict[CellKey, Number | None] = {}
    readings: dict[CellKey, CellReading] = {}
    where: dict[CellKey, str] = {}
    notes: list[str] = []
    for key, match in matches.items():
        notes.extend(match.notes)
        table = fmt.table(key)
        if match.missing_rows:
            names = "、".join(f"“{r.label}”" for r in match.missing_rows[:5])
            more = f"等{len(match.missing_rows)}行" if len(match.missing_rows) > 5 else ""
            notes.append(f"{table.short or table.title}未找到{names}{more}，按空白处理")
        for cell in table.cells():
            located = match.cells.get(cell)
            if located is None:
                row = table.row(cell[1])
                values[cell] = 0 if row.optional else None
                readings[cell] = CellReading.DASH if row.optional else CellReading.BLANK
                continue
            parsed = located.parsed
            readings[cell] = parsed.reading
            where[cell] = located.where
            values[cell] = parsed.value if parsed.reading is not CellReading.TEXT else None
    return Extraction(fmt, "tables", values, readings, where, matches, notes=notes)


_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def _normalise_text(text: str) -> str:
    text = text.translate(_FULLWIDTH)
    return re.sub(r"[\s\u00a0\u3000]+", "", unicodedata.normalize("NFC", text))


def _number(text: str) -> Number:
    digits = text.replace(",", "")
    return Decimal(digits) if "." in digits else int(digits)


def extract_text(fmt: ReportFormat, text: str) -> Extraction | None:
    """Figures stated in sentences (the seed-era reports), found by the rows' patterns."""
    flat = _normalise_text(text)
    values: dict[CellKey, Number | None] = {}
    readings: dict[CellKey, CellReading] = {}
    where: dict[CellKey, str] = {}
    found = 0
    missing: list[str] = []
    for table in fmt.tables:
        for block in table.blocks:
            for row in block.rows:
                for col in block.columns:
                    cell = (table.key, row.key, col.key)
                    hit = None
                    for pattern in row.text_patterns:
                        hit = re.search(pattern, flat)
                        if hit:
                            break
                    if hit is not None:
                        values[cell] = _number(hit.group(1)) if hit.groups() else 0
                        readings[cell] = CellReading.NUMBER
                        where[cell] = f"正文“{hit.group(0)[:30]}”"
                        found += 1
                    elif row.optional or not row.text_patterns:
                        values[cell] = 0
                        readings[cell] = CellReading.DASH
                    else:
                        values[cell] = None
                        readings[cell] = CellReading.BLANK
                        missing.append(row.label)
    if found < 5:
        return None
    notes = ["报告未以表格列示统计数据，已从正文语句中读取"]
    if missing:
        notes.append("正文中未找到：" + "、".join(f"“{m}”" for m in missing))
    return Extraction(fmt, "text", values, readings, where, notes=notes)


def extract(tables: list[RawTable], text: str) -> Extraction | None:
    """The report's figures in the format that fits best; None when no report table is found."""
    matrices = [expand(t) for t in tables]
    best: Extraction | None = None
    best_key: tuple[int, float, int] = (0, 0.0, 0)
    for fmt in FORMATS.values():
        extraction = _from_tables(fmt, matrices)
        if extraction is None:
            continue
        headers = sum(m.headers_read for m in extraction.tables.values())
        key = (len(extraction.tables), _coverage(fmt, extraction), headers)
        if best is None or key > best_key:
            best, best_key = extraction, key
    if best is not None:
        return best
    for fmt in FORMATS.values():
        if any(r.text_patterns for t in fmt.tables for b in t.blocks for r in b.rows):
            extraction = extract_text(fmt, text)
            if extraction is not None:
                return extraction
    return None


def _coverage(fmt: ReportFormat, extraction: Extraction) -> float:
    found = sum(m.rows_found for m in extraction.tables.values())
    expected = sum(m.rows_expected for m in extraction.tables.values())
    return found / expected if expected else 0.0


def read_blanks(extraction: Extraction) -> list[str]:
    """Decide how blank cells read and say so: the lines of the 读取说明."""
    fmt = extraction.fmt
    lines: list[str] = []
    for key in extraction.table_keys():
        table = fmt.table(key)
        cells = table.cells()
        readings = Counter(extraction.readings.get(c, CellReading.BLANK) for c in cells)
        name = table.short or table.title
        if readings[CellReading.NUMBER] == 0 and readings[CellReading.DASH] == 0:
            extraction.unfilled_tables.append(key)
            lines.append(f"{name}全部空白：视为未填写，其勾稽关系不作核对")
            continue
        if readings[CellReading.BLANK]:
            lines.append(
                f"{name}有 {readings[CellReading.BLANK]} 个空白单元格，按 0 读取（空白=0）"
            )
        if readings[CellReading.DASH] and extraction.method == "tables":
            lines.append(
                f"{name}有 {readings[CellReading.DASH]} 个单元格填写“—”“/”“无”等，按 0 读取"
            )
        if readings[CellReading.TEXT]:
            sample = next(
                (
                    extraction.tables[key].cells[c].text
                    for c in cells
                    if extraction.readings.get(c) is CellReading.TEXT
                    and c in extraction.tables[key].cells
                ),
                "",
            )
            lines.append(
                f"{name}有 {readings[CellReading.TEXT]} 个单元格不是数字（如“{sample[:12]}”），按空白处理"
            )
    return lines


@dataclass
class CheckReport:
    source: str
    extraction: Extraction | None
    validation: Validation | None
    readings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.extraction is None or self.validation is None:
            return EXIT_NO_TABLE
        return EXIT_OK if self.validation.ok else EXIT_FAILED

    def lines(self) -> list[str]:
        """The report in Chinese, one line each, as the CLI and the web page print it."""
        out = [f"文件：{self.source}"]
        if self.extraction is None or self.validation is None:
            out.append(
                "未找到政府信息公开工作年度报告的统计表格（表二、表三、表四或2008年版统计数据）。"
            )
            return out
        fmt = self.extraction.fmt
        names = "、".join(
            fmt.table(k).short or fmt.table(k).title for k in self.extraction.table_keys()
        )
        out.append(f"识别为：{fmt.name}；找到：{names}")
        for note in [*self.extraction.notes, *self.readings]:
            out.append(f"读取说明：{note}")
        v = self.validation
        out.append(f"核对勾稽关系 {v.checked} 项：成立 {v.held} 项，不成立 {len(v.failures)} 项")
        for failure in v.failures:
            mark = "✗" if failure.severity == "error" else "！"
            out.append(f"{mark} {failure.message}")
            for cell, value in failure.cells:
                where = self.extraction.where.get(cell, "")
                shown = format_number(value, fmt.kind(cell))
                out.append(
                    f"    {fmt.cell_label(cell)} = {shown}" + (f"（{where}）" if where else "")
                )
        suspects = v.suspects()
        if suspects:
            out.append("最可能出错的单元格：" + "；".join(fmt.cell_label(c) for c in suspects))
        for label, why in v.skipped:
            out.append(f"未核对：{label}（{why}）")
        if v.ok:
            out.append("结论：各项勾稽关系均成立。")
        else:
            out.append("结论：存在不成立的勾稽关系。")
        return out

    def to_json(self) -> dict[str, Any]:
        if self.extraction is None or self.validation is None:
            return {"file": self.source, "found": False, "exit_code": self.exit_code}
        fmt = self.extraction.fmt
        found_in = {k: m.source for k, m in self.extraction.tables.items()}
        keys = self.extraction.table_keys()
        return {
            "file": self.source,
            "found": True,
            "format": fmt.code,
            "format_name": fmt.name,
            "method": self.extraction.method,
            "tables": tables_json(
                fmt,
                self.extraction.values,
                table_keys=keys,
                found_in={k: found_in.get(k, "正文") for k in keys},
            ),
            "readings": [*self.extraction.notes, *self.readings],
            "identities": validation_json(fmt, self.validation, self.extraction.where),
            "exit_code": self.exit_code,
        }


def check_page(tables: list[RawTable], text: str, *, source: str) -> CheckReport:
    extraction = extract(tables, text)
    if extraction is None:
        return CheckReport(source, None, None)
    readings = read_blanks(extraction)
    validation = validate(
        extraction.fmt, extraction.values, unfilled_tables=extraction.unfilled_tables
    )
    return CheckReport(source, extraction, validation, readings)
