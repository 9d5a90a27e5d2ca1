"""The vocabulary every report format is declared in.

A format is data: its sections, its tables (blocks of rows and columns with the exact labels of
the official template), where each cell's figure comes from (measures), and the arithmetic
identities that must hold. Building, rendering, validating and checking a report are generic
code over these declarations, so a new format is a new declaration, not new code.

A cell is addressed by ``(table, row, column)`` keys. A cell's value is the sum, over the row's
measures and the column's measures, of the measure ``"<row measure>.<column measure>"`` (or the
row measure alone when the column has none). Measures are named counts computed from the
records (see ``measures.py``) or figures an agency enters (``entered.*``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias

Number: TypeAlias = int | Decimal
CellKey: TypeAlias = tuple[str, str, str]  # (table, row, column)

ENTERED_PREFIX = "entered."


class CellKind(StrEnum):
    COUNT = "count"  # 件、条: integers
    AMOUNT = "amount"  # 金额 (万元): decimals
    PERCENT = "percent"  # 比率: computed from two other cells
    SIGNED = "signed"  # 增/减: integers that may be negative


class Severity(StrEnum):
    ERROR = "error"  # the report contradicts itself: publication is refused
    WARNING = "warning"  # worth a look (e.g. a stock that does not follow from last year)


def cell_id(cell: CellKey) -> str:
    """``t3:new:natural_person`` — the form used in URLs, JSON and stored snapshots."""
    return ":".join(cell)


def parse_cell_id(text: str) -> CellKey:
    parts = text.split(":")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"单元格编号格式不对：{text}（应为 表:行:列）")
    return (parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    groups: tuple[str, ...] = ()  # header labels above this one, outermost first
    measures: tuple[str, ...] = ()  # column measure suffixes summed into this column
    kind: CellKind = CellKind.COUNT
    aliases: tuple[str, ...] = ()  # other wordings seen in published reports
    # the unit the format states its figures in (AMOUNT columns: 万元); shown in the header
    # and used to read a published cell that states another unit (251000元 = 25.1万元)
    unit: str = ""

    @property
    def heading(self) -> str:
        """The label as printed: with its unit when the label does not already state it."""
        if self.unit and self.unit not in self.label:
            return f"{self.label}（单位：{self.unit}）"
        return self.label


@dataclass(frozen=True)
class Row:
    key: str
    path: tuple[str, ...]  # row-header labels, outermost first; the last one is the row's own
    measures: tuple[str, ...] = ()
    kind: CellKind | None = None  # overrides the column's kind (e.g. a rate row)
    optional: bool = False  # shown only when not zero (e.g. 尚未办结 in the seed-era format)
    ratio: tuple[str, str] | None = None  # PERCENT rows: (numerator row, denominator row)
    aliases: tuple[str, ...] = ()
    # regular expressions finding this row's figure in a narrative report (seed-era format);
    # the first group is the number, a pattern without a group means zero (e.g. 全部予以免费)
    text_patterns: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass(frozen=True)
class Block:
    """A rectangle of the official table: its own columns, rows and header corner."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    title: str = ""  # e.g. 第二十条第（一）项
    corner: str = ""  # text of the top-left header cell (信息内容, or the 勾稽关系 note)
    corner_extra: tuple[str, ...] = ()  # further corner labels, e.g. the seed tables' 项目

    @property
    def row_header_depth(self) -> int:
        return max((len(r.path) for r in self.rows), default=0)

    @property
    def header_depth(self) -> int:
        return 1 + max((len(c.groups) for c in self.columns), default=0)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    blocks: tuple[Block, ...]
    short: str = ""  # how messages name it: 表三
    unit: str = ""  # shown under the title, e.g. 单位：件
    signature: tuple[str, ...] = ()  # labels that identify this table in a published page

    def block_of(self, row_key: str) -> Block:
        for block in self.blocks:
            if any(r.key == row_key for r in block.rows):
                return block
        raise KeyError(f"{self.key} 没有行 {row_key}")

    def row(self, row_key: str) -> Row:
        for block in self.blocks:
            for row in block.rows:
                if row.key == row_key:
                    return row
        raise KeyError(f"{self.key} 没有行 {row_key}")

    def column(self, row_key: str, col_key: str) -> Column:
        for col in self.block_of(row_key).columns:
            if col.key == col_key:
                return col
        raise KeyError(f"{self.key}.{row_key} 没有列 {col_key}")

    def cells(self) -> list[CellKey]:
        return [(self.key, r.key, c.key) for b in self.blocks for r in b.rows for c in b.columns]


@dataclass(frozen=True)
class Term:
    """One cell in an identity, with its sign."""

    row: str
    col: str
    coef: int = 1


@dataclass(frozen=True)
class Equation:
    """A concrete identity over concrete cells: Σ lhs = Σ rhs."""

    key: str
    label: str
    table: str
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]
    severity: Severity = Severity.ERROR

    def cells(self) -> list[CellKey]:
        return [(self.table, t.row, t.col) for t in (*self.lhs, *self.rhs)]


@dataclass(frozen=True)
class ColumnwiseRule:
    """For every column of the rows' block: Σ lhs rows = Σ rhs rows."""

    key: str
    label: str
    table: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    columns: tuple[str, ...] = ()  # empty: every column of the block
    severity: Severity = Severity.ERROR

    def expand(self, table: Table) -> list[Equation]:
        block = table.block_of(self.lhs[0])
        columns = [c for c in block.columns if not self.columns or c.key in self.columns]
        return [
            Equation(
                key=f"{self.key}[{col.key}]",
                label=f"{self.label}（{col.label}列）",
                table=self.table,
                lhs=tuple(Term(r, col.key) for r in self.lhs),
                rhs=tuple(Term(r, col.key) for r in self.rhs),
                severity=self.severity,
            )
            for col in columns
        ]


@dataclass(frozen=True)
class RowwiseRule:
    """For every row of a block (or the rows named): Σ lhs columns = Σ rhs columns."""

    key: str
    label: str
    table: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    rows: tuple[str, ...] = ()  # empty: every row of the block holding the lhs column
    block: int = 0
    severity: Severity = Severity.ERROR

    def expand(self, table: Table) -> list[Equation]:
        block = table.blocks[self.block]
        rows = [r for r in block.rows if not self.rows or r.key in self.rows]
        return [
            Equation(
                key=f"{self.key}[{row.key}]",
                label=f"{self.label}（{row.label}）" if len(rows) > 1 else self.label,
                table=self.table,
                lhs=tuple(Term(row.key, c) for c in self.lhs),
                rhs=tuple(Term(row.key, c) for c in self.rhs),
                severity=self.severity,
            )
            for row in rows
        ]


@dataclass(frozen=True)
class CellRule:
    """One identity over named cells."""

    key: str
    label: str
    table: str
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]
    severity: Severity = Severity.ERROR

    def expand(self, table: Table) -> list[Equation]:
        return [Equation(self.key, self.label, self.table, self.lhs, self.rhs, self.severity)]


Rule: TypeAlias = ColumnwiseRule | RowwiseRule | CellRule


@dataclass(frozen=True)
class CrossYearRule:
    """An identity between a year's report and the next year's, per column:
    Σ (coef × last year's cells) = Σ (coef × this year's cells)."""

    key: str
    label: str
    table: str
    previous: tuple[Term, ...]  # row/col from last year's report (col "*" = every column)
    current: tuple[Term, ...]
    severity: Severity = Severity.ERROR


class SectionKind(StrEnum):
    NARRATIVE = "narrative"  # text the agency writes (with a generated first draft)
    TABLES = "tables"  # figures computed from the records


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    kind: SectionKind
    tables: tuple[str, ...] = ()
    # sentences stating the figures; {t1:total:n} style placeholders name cells
    sentences: tuple[str, ...] = ()
    narrative_key: str = ""  # overview | problems | other (the narrative the agency edits)
    guidance: str = ""  # what the official template asks this section to cover


@dataclass(frozen=True)
class EnteredFigure:
    """A figure the agency enters because no record in the platform yields it."""

    key: str  # measure name without the "entered." prefix
    label: str
    kind: CellKind = CellKind.COUNT
    help: str = ""


@dataclass(frozen=True)
class ReportFormat:
    code: str  # "2008", "2019", "2021"
    name: str
    basis: str  # the document that fixes it
    years: tuple[int, int]  # first and last report year it is used for (inclusive)
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    rules: tuple[Rule, ...] = ()
    cross_year: tuple[CrossYearRule, ...] = ()
    entered: tuple[EnteredFigure, ...] = ()
    title_template: str = "{agency}{year}年政府信息公开工作年度报告"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(f"格式 {self.code} 没有表 {key}")

    def cells(self) -> list[CellKey]:
        return [cell for table in self.tables for cell in table.cells()]

    def row(self, cell: CellKey) -> Row:
        return self.table(cell[0]).row(cell[1])

    def column(self, cell: CellKey) -> Column:
        return self.table(cell[0]).column(cell[1], cell[2])

    def kind(self, cell: CellKey) -> CellKind:
        return self.row(cell).kind or self.column(cell).kind

    def cell_label(self, cell: CellKey) -> str:
        """A human name for a cell: 表三“（七）总计”行“自然人”列."""
        table = self.table(cell[0])
        row = table.row(cell[1])
        col = table.column(cell[1], cell[2])
        name = table.short or table.title
        parts = [name]
        if row.path:
            leaf = row.path[-1]
            # numbered sub-items need their group: “（三）不予公开 1.属于国家秘密”
            if len(row.path) > 2 and leaf[:1].isdigit():
                leaf = f"{row.path[-2]} {leaf}"
            parts.append(f"“{leaf}”行")
        if len(table.block_of(cell[1]).columns) > 1 or col.groups:
            group = col.groups[-1] if col.groups else ""
            col_label = col.label if group in ("", col.label) else f"{group}·{col.label}"
            parts.append(f"“{col_label}”列")
        return "".join(parts)

    def equations(self) -> list[Equation]:
        out: list[Equation] = []
        for rule in self.rules:
            out.extend(rule.expand(self.table(rule.table)))
        return out

    def measures_for(self, cell: CellKey) -> list[str]:
        row = self.row(cell)
        col = self.column(cell)
        if not col.measures:
            return list(row.measures)
        return [f"{rm}.{cm}" for rm in row.measures for cm in col.measures]

    def is_entered(self, cell: CellKey) -> bool:
        measures = self.measures_for(cell)
        return bool(measures) and all(m.startswith(ENTERED_PREFIX) for m in measures)

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def narrative_sections(self) -> list[Section]:
        return [s for s in self.sections if s.narrative_key]
