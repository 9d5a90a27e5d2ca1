"""Finding a format's tables in a page's matrices and reading each canonical cell.

Rows are recognised by their own label (the right-most label cell), with the group labels to
their left deciding between equal sub-items; columns by the header rows above the block's
first row, with the header groups deciding between equal labels (表四's three 结果维持); when a
header cannot be read the value cells are taken in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.domain.reports.checker.grid import Matrix, bare_label, normalize_label
from gongkai.domain.reports.checker.numbers import CellReading, ParsedCell, parse_cell
from gongkai.domain.reports.model import Block, CellKey, ReportFormat, Row, Table


@dataclass(frozen=True)
class LocatedCell:
    cell: CellKey
    parsed: ParsedCell
    text: str
    where: str  # 第2个表格第5行第3列
    header: str = ""  # the column's heading as the page prints it (its unit, if stated)


@dataclass
class TableMatch:
    table: Table
    source: str
    rows_found: int
    rows_expected: int
    cells: dict[CellKey, LocatedCell] = field(default_factory=dict)
    missing_rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # cells of found rows that could not be placed, with the reason (a short row)
    unplaced: dict[CellKey, str] = field(default_factory=dict)
    headers_read: int = 0  # blocks whose columns were recognised by their header

    @property
    def score(self) -> float:
        return self.rows_found / self.rows_expected if self.rows_expected else 0.0


@dataclass
class _Line:
    index: int
    labels: list[str]  # distinct label texts, left to right
    label_end: int  # first column after the labels
    values: list[int]  # columns of distinct value regions


def _lines(matrix: Matrix) -> list[_Line]:
    out = []
    for r, slots in enumerate(matrix.slots):
        c = 0
        while c < len(slots) and not slots[c].text.strip():
            c += 1
        if c == len(slots) or parse_cell(slots[c].text).reading is not CellReading.TEXT:
            c = 0  # no label: blank cells at the start are figures, not padding
        labels: list[str] = []
        seen: set[int] = set()
        while c < len(slots) and parse_cell(slots[c].text).reading is CellReading.TEXT:
            if slots[c].region not in seen:
                seen.add(slots[c].region)
                if not labels or labels[-1] != slots[c].text:
                    labels.append(slots[c].text)
            c += 1
        label_end = c
        values: list[int] = []
        for j in range(label_end, len(slots)):
            if slots[j].region in seen:
                continue
            seen.add(slots[j].region)
            values.append(j)
        out.append(_Line(r, labels, label_end, values))
    return out


@lru_cache(maxsize=4096)
def _row_keys(row: Row) -> frozenset[str]:
    keys = set()
    for text in (row.label, *row.aliases):
        if text:
            keys.add(normalize_label(text))
            keys.add(bare_label(text))
    keys.discard("")
    return frozenset(keys)


def _match_row(block: Block, line: _Line, taken: set[str], inherited: list[str]) -> Row | None:
    """The canonical row a line holds. ``inherited`` are the group labels of the line above,
    for sites that write a group label once and leave the cells below it empty."""
    if not line.labels or not line.values:
        return None
    headers = {bare_label(c.label) for c in block.columns} | {
        bare_label(g) for c in block.columns for g in c.groups
    }
    if len({bare_label(t) for t in line.labels} & headers) >= 2:
        return None  # a header line (自然人 … 总计), not a row of figures
    leaf_norm = normalize_label(line.labels[-1])
    leaf_bare = bare_label(line.labels[-1])
    groups = line.labels[:-1] or inherited
    context = {bare_label(t) for t in groups} | {normalize_label(t) for t in groups}
    joined = normalize_label("".join(line.labels))
    candidates = [r for r in block.rows if r.path and ({leaf_norm, leaf_bare} & _row_keys(r))]
    if not candidates:
        # one cell holding group and item: "（三）不予公开 1.属于国家秘密"
        candidates = [
            r
            for r in block.rows
            if r.path and any(joined.endswith(k) for k in _row_keys(r) if len(k) > 1)
        ]
        context.add(joined)
    candidates = [r for r in candidates if r.key not in taken]
    if len(candidates) > 1:

        def fits(row: Row) -> int:
            parents = [bare_label(p) for p in row.path[:-1]]
            return sum(1 for p in parents if p and any(p in c for c in context))

        best = max(fits(r) for r in candidates)
        candidates = [r for r in candidates if fits(r) == best]
    return candidates[0] if len(candidates) == 1 else None


_UNIT = re.compile(r"\((?:单位[:：])?(?:万元|元|亿元|件|条|个)\)$")


def _without_unit(label: str) -> str:
    """A heading without its unit: “采购总金额(元)” → “采购总金额” (the unit is read apart)."""
    return _UNIT.sub("", label) or label


def _column_map(
    matrix: Matrix, block: Block, header_rows: list[int], value_cols: list[int]
) -> dict[str, int] | None:
    """Column key → matrix column, from the header rows; None when they cannot be read."""
    if not header_rows:
        return None
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for col in block.columns:
        names = {
            normalize_label(col.label),
            bare_label(col.label),
            _without_unit(normalize_label(col.label)),
        }
        names |= {normalize_label(a) for a in col.aliases}
        groups = [bare_label(g) for g in col.groups if g != col.label]
        chosen = None
        for j in value_cols:
            if j in used:
                continue
            path = [_without_unit(normalize_label(matrix.text(r, j))) for r in header_rows]
            path = [p for p in path if p]
            if not path or (path[-1] not in names and bare_label(path[-1]) not in names):
                continue
            if all(any(g in p for p in path) for g in groups if g):
                chosen = j
                break
        if chosen is None:
            return None
        mapping[col.key] = chosen
        used.add(chosen)
    return mapping


def _header_rows_above(matrix: Matrix, lines: list[_Line], first: int, block: Block) -> list[int]:
    labels = {normalize_label(c.label) for c in block.columns}
    labels |= {bare_label(g) for c in block.columns for g in c.groups}
    rows: list[int] = []
    r = first - 1
    while r >= 0:
        texts = {normalize_label(s.text) for s in matrix.slots[r]}
        bare = {bare_label(t) for t in texts}
        if (texts | bare) & labels:
            rows.insert(0, r)
        elif rows:
            break
        if lines[r].values and any(
            parse_cell(matrix.text(r, j)).reading is CellReading.NUMBER for j in lines[r].values
        ):
            break
        r -= 1
    return rows


def _where(matrix: Matrix, r: int, c: int) -> str:
    return f"{matrix.source}第{r + 1}行第{c + 1}列"


def match_table(table: Table, matrix: Matrix) -> TableMatch:
    """Read ``table`` from ``matrix`` as well as it can be read."""
    lines = _lines(matrix)
    result = TableMatch(table, matrix.source, 0, 0)
    used_lines: set[int] = set()
    for block in table.blocks:
        labelled = [r for r in block.rows if r.path]
        result.rows_expected += len([r for r in block.rows if not r.optional]) or len(block.rows)
        found: list[tuple[Row, _Line]] = []
        taken: set[str] = set()
        if labelled:
            inherited: list[str] = []
            for line in lines:
                if line.index in used_lines:
                    continue
                row = _match_row(block, line, taken, inherited)
                if len(line.labels) > 1:
                    inherited = line.labels[:-1]
                if row is not None:
                    taken.add(row.key)
                    found.append((row, line))
                    used_lines.add(line.index)
        else:
            found = _unlabelled_rows(block, matrix, lines, used_lines)
            used_lines.update(line.index for _row, line in found)
        if not found:
            result.missing_rows.extend(r for r in block.rows if not r.optional)
            continue
        result.rows_found += len([r for r, _l in found if not r.optional]) or len(found)
        first = min(line.index for _r, line in found)
        mapping = None
        headers: list[int] = []
        if matrix.aligned:
            headers = _header_rows_above(matrix, lines, first, block)
            value_cols = sorted(
                {j for _r, line in found for j in range(line.label_end, matrix.width)}
            )
            mapping = _column_map(matrix, block, headers, value_cols)
        headings: dict[str, str] = {}
        if mapping is not None:
            result.headers_read += 1
            headings = {
                key: "".join(matrix.text(r, j) for r in headers) for key, j in mapping.items()
            }
        elif block.columns and len(block.columns) > 1:
            name = table.short or table.title
            note = (
                f"{name}的表头无法逐列识别，按列的顺序读取"
                if matrix.aligned
                else f"{name}从纯文本中读取：各行的数字按列的顺序对应"
            )
            if note not in result.notes:
                result.notes.append(note)
        for row, line in found:
            if not matrix.aligned and mapping is None and len(line.values) < len(block.columns):
                # text without alignment: a short row cannot be placed column by column
                reason = _short_row_reason(matrix, row, line, len(block.columns))
                for col in block.columns:
                    result.unplaced[(table.key, row.key, col.key)] = reason
                continue
            for position, col in enumerate(block.columns):
                if mapping is not None:
                    j = mapping[col.key]
                elif position < len(line.values):
                    j = line.values[position]
                else:
                    result.unplaced[(table.key, row.key, col.key)] = _short_row_reason(
                        matrix, row, line, len(block.columns)
                    )
                    continue
                text = matrix.text(line.index, j)
                cell = (table.key, row.key, col.key)
                result.cells[cell] = LocatedCell(
                    cell,
                    parse_cell(text),
                    text,
                    _where(matrix, line.index, j),
                    headings.get(col.key, ""),
                )
        found_keys = {r.key for r, _l in found}
        result.missing_rows.extend(
            r for r in block.rows if r.key not in found_keys and not r.optional
        )
    return result


def _short_row_reason(matrix: Matrix, row: Row, line: _Line, expected: int) -> str:
    """Why a row has fewer figures than columns: figures run together, or cells missing."""
    texts = [matrix.text(line.index, j) for j in line.values]
    label = row.label or "数字"
    have = len(texts)
    joined = next((t for t in texts if len(re.sub(r"\D", "", t)) > expected - have), None)
    if joined is not None and have < expected:
        return (
            f"“{label}”行只读到 {have} 个数字（应有 {expected} 个），“{joined[:20]}”疑为"
            "多个数字连在一起、没有分隔，无法确定各列数值，未作猜测"
        )
    return f"“{label}”行只读到 {have} 个数字（应有 {expected} 个），缺少的单元格无法对应到列"


def _unlabelled_rows(
    block: Block, matrix: Matrix, lines: list[_Line], used: set[int]
) -> list[tuple[Row, _Line]]:
    """Blocks whose single row has no label (表四): the first all-figures row under a header."""
    header_seen = False
    labels = {normalize_label(c.label) for c in block.columns}
    for line in lines:
        if line.index in used:
            continue
        texts = {normalize_label(s.text) for s in matrix.slots[line.index]}
        if texts & labels:
            header_seen = True
            continue
        # the figures, perhaps after a label such as “数量”
        if header_seen and len(line.values) >= max(1, len(block.columns) - 2):
            return [(block.rows[0], line)]
    return []


def signature_hits(table: Table, matrix: Matrix) -> int:
    text = matrix.normalized_text()
    return sum(1 for label in table.signature if normalize_label(label) in text)


def best_match(fmt: ReportFormat, table: Table, matrices: list[Matrix]) -> TableMatch | None:
    best: TableMatch | None = None
    for matrix in matrices:
        if table.signature and signature_hits(table, matrix) < max(1, len(table.signature) - 1):
            continue
        match = match_table(table, matrix)
        if match.score < 0.5:
            continue
        if best is None or (match.score, match.headers_read) > (best.score, best.headers_read):
            best = match
    return best
