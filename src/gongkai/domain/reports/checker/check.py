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

from gongkai.domain.reports.checker.grid import Matrix, RawTable, expand, normalize_label
from gongkai.domain.reports.checker.mapping import TableMatch, best_match
from gongkai.domain.reports.checker.numbers import CellReading
from gongkai.domain.reports.formats import FORMATS
from gongkai.domain.reports.identities import Validation, format_number, validate
from gongkai.domain.reports.jsonout import tables_json, validation_json
from gongkai.domain.reports.levels import level_failures, level_from_name
from gongkai.domain.reports.model import CellKey, Number, ReportFormat

# exit codes of `gongkai report check` (the CLI adds 4: a file that could not be read at all)
EXIT_OK = 0  # every identity of the detected format was checked and holds
EXIT_FAILED = 1  # an identity fails, or the report is in the wrong format for its year
EXIT_NO_TABLE = 2  # no report table found
EXIT_UNCHECKED = 3  # no failure, but some identities could not be checked (cells not read)


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
    # cells not read, with the reason (table missing, row missing, cell unreadable)
    unreadable: dict[CellKey, str] = field(default_factory=dict)
    format_reasons: list[str] = field(default_factory=list)  # why this format
    format_errors: list[str] = field(default_factory=list)  # e.g. a 2019 表二 in a 2023 report

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
    unreadable: dict[CellKey, str] = {}
    for table in fmt.tables:
        if table.key not in matches:
            name = table.short or table.title
            for cell in table.cells():
                values[cell] = None
                unreadable[cell] = f"未找到{name}（缺失、为图片或不完整）"
    for key, match in matches.items():
        notes.extend(match.notes)
        table = fmt.table(key)
        name = table.short or table.title
        if match.missing_rows:
            names = "、".join(f"“{r.label}”" for r in match.missing_rows[:5])
            more = f"等{len(match.missing_rows)}行" if len(match.missing_rows) > 5 else ""
            notes.append(f"{name}未找到{names}{more}，涉及这些行的勾稽关系无法核对")
        for cell in table.cells():
            located = match.cells.get(cell)
            if located is None:
                row = table.row(cell[1])
                values[cell] = 0 if row.optional else None
                readings[cell] = CellReading.DASH if row.optional else CellReading.BLANK
                if cell in match.unplaced:
                    unreadable[cell] = match.unplaced[cell]
                elif not row.optional:
                    unreadable[cell] = f"{name}未找到“{row.label or '数字'}”行"
                continue
            parsed = located.parsed
            readings[cell] = parsed.reading
            where[cell] = located.where
            values[cell] = parsed.value if parsed.reading is not CellReading.TEXT else None
            column = table.column(cell[1], cell[2])
            if column.unit and parsed.value is not None and parsed.reading is CellReading.NUMBER:
                stated = stated_unit(parsed.unit, located.header)
                if stated and stated != column.unit:
                    converted = to_unit(parsed.value, stated, column.unit)
                    if converted is None:
                        unreadable[cell] = f"{located.where}的单位“{stated}”无法换算为{column.unit}"
                    else:
                        values[cell] = converted
                        notes.append(
                            f"{fmt.cell_label(cell)}写为“{located.text}”"
                            f"（单位：{stated}），按{column.unit}读作 {converted}"
                        )
            if parsed.reading is CellReading.TEXT:
                unreadable[cell] = f"{located.where}“{located.text[:20]}”不是可读的数字"
        for reason in dict.fromkeys(match.unplaced.values()):
            notes.append(f"{name}{reason}")
    return Extraction(
        fmt, "tables", values, readings, where, matches, notes=notes, unreadable=unreadable
    )


_UNIT_IN_HEADING = re.compile(r"[（(]\s*(?:单位[:：]\s*)?(万元|元|亿元)\s*[)）]")
_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


def stated_unit(cell_unit: str, heading: str) -> str:
    """The unit a published figure is in: written after it, else in its column's heading."""
    if cell_unit in _YUAN:
        return cell_unit
    hit = _UNIT_IN_HEADING.search(unicodedata.normalize("NFKC", heading).replace("(", "（"))
    return hit.group(1) if hit else ""


def to_unit(value: Number, unit: str, target: str) -> Number | None:
    """A money figure from one unit into another (251000 元 → 25.1 万元)."""
    if unit not in _YUAN or target not in _YUAN:
        return None
    converted = Decimal(value) * _YUAN[unit] / _YUAN[target]
    return (
        converted.normalize()
        if converted != converted.to_integral_value()
        else Decimal(int(converted))
    )


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
    unreadable: dict[CellKey, str] = {}
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
                        unreadable[cell] = f"正文中未找到“{row.label}”的数字"
    if found < 5:
        return None
    notes = ["报告未以表格列示统计数据，已从正文语句中读取"]
    if missing:
        notes.append("正文中未找到：" + "、".join(f"“{m}”" for m in missing))
    return Extraction(fmt, "text", values, readings, where, notes=notes, unreadable=unreadable)


_YEAR_PATTERNS = (
    re.compile(r"(20\d{2})年(?:度)?(?:政府信息公开|政务公开)(?:工作)?年度报告"),
    re.compile(r"(20\d{2})年1月1日至(?:20\d{2}年)?12月31日"),
    re.compile(r"(20\d{2})年度(?:政府信息公开|政务公开)"),
)


def report_year(text: str) -> tuple[int, str] | None:
    """The report year the page states (its title, or the period it covers), and the words."""
    flat = _normalise_text(text)
    for pattern in _YEAR_PATTERNS:
        hit = pattern.search(flat)
        if hit:
            return int(hit.group(1)), hit.group(0)
    return None


def _distinctive_columns(table_key: str) -> dict[str, list[str]]:
    """Per format: the column labels of one table that no other format's table has."""
    labels: dict[str, set[str]] = {}
    for fmt in FORMATS.values():
        try:
            table = fmt.table(table_key)
        except KeyError:
            continue
        labels[fmt.code] = {c.label for b in table.blocks for c in b.columns}
    out: dict[str, list[str]] = {}
    for code, own in labels.items():
        others = set().union(*(v for k, v in labels.items() if k != code))
        out[code] = sorted(own - others)
    return out


def table_shape(table_key: str, matrices: list[Matrix]) -> tuple[str, list[str]] | None:
    """Which format's version of a table the page holds, by its column headings."""
    best: tuple[int, str, list[str]] | None = None
    for code, labels in _distinctive_columns(table_key).items():
        seen = [
            label
            for label in labels
            if any(normalize_label(label) in m.normalized_text() for m in matrices)
        ]
        if seen and (best is None or len(seen) > best[0]):
            best = (len(seen), code, seen)
    return (best[1], best[2]) if best else None


def _headings(fmt: ReportFormat, text: str) -> list[str]:
    flat = _normalise_text(text)
    return [s.heading for s in fmt.sections if s.heading and _normalise_text(s.heading) in flat]


def extract(tables: list[RawTable], text: str) -> Extraction | None:
    """The report's figures in the format that fits; None when no report table is found.

    The format is chosen by the tables' shape (table 二's columns, the rows found) and checked
    against the year the report states: a report of a year whose format differs from the shape
    of its tables is read in its year's format and the mismatch is a format error.
    """
    matrices = [expand(t) for t in tables]
    candidates: dict[str, Extraction] = {}
    best: Extraction | None = None
    best_key: tuple[int, float, int] = (0, 0.0, 0)
    for fmt in FORMATS.values():
        extraction = _from_tables(fmt, matrices)
        if extraction is None:
            continue
        candidates[fmt.code] = extraction
        headers = sum(m.headers_read for m in extraction.tables.values())
        key = (len(extraction.tables), _coverage(fmt, extraction), headers)
        if best is None or key > best_key:
            best, best_key = extraction, key
    year = report_year(text)
    year_fmt: ReportFormat | None = None
    if year is not None:
        year_fmt = next((f for f in FORMATS.values() if f.years[0] <= year[0] <= f.years[1]), None)
    if best is None:
        for fmt in FORMATS.values():
            if any(r.text_patterns for t in fmt.tables for b in t.blocks for r in b.rows):
                extraction = extract_text(fmt, text)
                if extraction is not None:
                    extraction.format_reasons.append(
                        "未找到统计表格，正文语句与" + fmt.name + "的统计项目相符"
                    )
                    if year is not None:
                        extraction.format_reasons.append(f"报告年度：{year[0]}年（“{year[1]}”）")
                    return extraction
        return None
    shape = table_shape("t2", matrices)
    chosen = best
    reasons: list[str] = []
    errors: list[str] = []
    if shape is not None:
        reasons.append(f"表二的列为“{'、'.join(shape[1])}”，是{FORMATS[shape[0]].name}的样式")
    found = "、".join(best.fmt.table(k).short or k for k in best.tables)
    reasons.append(
        f"按表格样式最相符的是{best.fmt.name}（找到{found}，"
        f"行的符合率 {_coverage(best.fmt, best) * 100:.0f}%）"
    )
    if year is None:
        reasons.append("页面中未写明报告年度，按表格样式判断")
    else:
        reasons.append(f"报告年度：{year[0]}年（“{year[1]}”）")
    if year_fmt is not None and year_fmt.code != best.fmt.code:
        own = candidates.get(year_fmt.code)
        errors.append(
            f"格式错误：{year[0]}年度报告应使用{year_fmt.name}，"  # type: ignore[index]
            f"但其表格为{best.fmt.name}的样式"
        )
        if own is not None:
            chosen = own
    elif year_fmt is not None:
        reasons.append(f"{year[0]}年度报告适用{year_fmt.name}，与表格样式一致")  # type: ignore[index]
    if shape is not None and shape[0] != chosen.fmt.code and "t2" in chosen.tables:
        # table 二 is another format's: do not read it by this format's columns
        other = FORMATS[shape[0]].name
        message = (
            f"格式错误：表二仍为{other}的样式（{'、'.join(shape[1])}），不符合{chosen.fmt.name}"
        )
        if message not in errors and not any("表二" in e for e in errors):
            errors.append(message)
        del chosen.tables["t2"]
        for cell in chosen.fmt.table("t2").cells():
            chosen.values[cell] = None
            chosen.unreadable[cell] = f"表二为{other}的样式，不能按{chosen.fmt.name}读取"
    headings = _headings(chosen.fmt, text)
    if headings:
        reasons.append(f"正文标题与{chosen.fmt.name}相符（如“{headings[-1]}”）")
    chosen.format_reasons = reasons
    chosen.format_errors = errors
    return chosen


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
            lines.append(f"{name}全部空白：视为未填写，其勾稽关系无法核对")
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
        if not self.validation.ok or self.extraction.format_errors:
            return EXIT_FAILED
        if not self.validation.complete:
            return EXIT_UNCHECKED
        return EXIT_OK

    def _cell_line(self, cell: CellKey, value: Number | None) -> str:
        assert self.extraction is not None
        fmt = self.extraction.fmt
        where = self.extraction.where.get(cell, "")
        shown = format_number(value, fmt.kind(cell))
        return f"    {fmt.cell_label(cell)} = {shown}" + (f"（{where}）" if where else "")

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
        for reason in self.extraction.format_reasons:
            out.append(f"识别依据：{reason}")
        for error in self.extraction.format_errors:
            out.append(f"✗ {error}")
        for note in [*self.extraction.notes, *self.readings]:
            out.append(f"读取说明：{note}")
        v = self.validation
        out.append(
            f"核对勾稽关系 {v.checked + len(v.unchecked)} 项：成立 {v.held} 项，"
            f"不成立 {len(v.failures)} 项，无法核对 {len(v.unchecked)} 项"
        )
        for failure in v.failures:
            mark = "✗" if failure.severity == "error" else "！"
            out.append(f"{mark} {failure.message}")
            for cell, value in failure.cells:
                out.append(self._cell_line(cell, value))
        for item in v.unchecked:
            out.append(f"？ {item.message}")
            for cell in item.cells[:6]:
                out.append(
                    f"    {fmt.cell_label(cell)}：{self.extraction.unreadable.get(cell, '')}"
                )
            if len(item.cells) > 6:
                out.append(f"    等 {len(item.cells)} 个单元格")
        for _key, label in v.held_labels:
            out.append(f"✓ {label}")
        suspects = v.suspects()
        if suspects:
            out.append("最可能出错的单元格：" + "；".join(fmt.cell_label(c) for c in suspects))
        for label, why in v.skipped:
            out.append(f"未核对：{label}（{why}）")
        code = self.exit_code
        if code == EXIT_FAILED and v.ok:
            out.append("结论：报告格式不符合其年度适用的格式。")
        elif code == EXIT_FAILED:
            out.append("结论：存在不成立的勾稽关系。")
        elif code == EXIT_UNCHECKED:
            out.append(
                f"结论：已核对的勾稽关系均成立，但有 {len(v.unchecked)} 项无法核对，"
                "不能认定全部成立。"
            )
        else:
            out.append("结论：各项勾稽关系均已核对，全部成立。")
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
            "format_reasons": self.extraction.format_reasons,
            "format_errors": self.extraction.format_errors,
            "method": self.extraction.method,
            "tables": tables_json(
                fmt,
                self.extraction.values,
                table_keys=keys,
                found_in={k: found_in.get(k, "正文") for k in keys},
            ),
            "readings": [*self.extraction.notes, *self.readings],
            "identities": validation_json(
                fmt, self.validation, self.extraction.where, self.extraction.unreadable
            ),
            "exit_code": self.exit_code,
        }


def check_page(tables: list[RawTable], text: str, *, source: str) -> CheckReport:
    extraction = extract(tables, text)
    if extraction is None:
        return CheckReport(source, None, None)
    readings = read_blanks(extraction)
    unreadable = dict(extraction.unreadable)
    for key in extraction.unfilled_tables:
        table = extraction.fmt.table(key)
        for cell in table.cells():
            unreadable.setdefault(cell, f"{table.short or table.title}全部空白，视为未填写")
    extraction.unreadable = unreadable
    validation = validate(extraction.fmt, extraction.values, unreadable=unreadable)
    title = next((line for line in text.splitlines() if "年度报告" in line), "")
    level = level_failures(extraction.fmt, extraction.values, level_from_name(title))
    validation.checked += len(level)
    validation.failures.extend(level)
    return CheckReport(source, extraction, validation, readings)
