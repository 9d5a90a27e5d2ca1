"""Lay a table out as the official template draws it: merged header cells, merged row labels,
blocks with their own header rows. HTML, DOCX and XLSX output all draw from this one layout.

Header cells come from each column's ``groups`` + ``label``; a column with fewer levels repeats
its label upward (自然人 spans two header rows) and a repeated group extends downward (行政复议).
Equal neighbours with the same ancestry merge. Row labels merge the same way from rows' paths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from gongkai.domain.reports.identities import format_number
from gongkai.domain.reports.model import Block, CellKey, Number, ReportFormat, Row, Table


@dataclass
class LayoutCell:
    text: str
    header: bool = False
    rowspan: int = 1
    colspan: int = 1
    scope: str = ""  # col | row | "" (corner and titles)
    cell: CellKey | None = None
    value: Number | None = None
    classes: list[str] = field(default_factory=list)

    @property
    def class_attr(self) -> str:
        return " ".join(self.classes)

    @property
    def cell_id(self) -> str:
        return ":".join(self.cell) if self.cell else ""

    @property
    def is_title(self) -> bool:
        return "block" in self.classes


LayoutRow = list[LayoutCell]


def _merge(
    matrix: Sequence[Sequence[str]], widths: Sequence[int], *, header: bool
) -> list[list[LayoutCell]]:
    """Merge equal neighbours of a label matrix into spanning cells (row-major order).

    In a header, ancestry runs downward: cells merge sideways only under the same parents.
    In row labels it runs rightward: cells merge downward only beside the same parents.
    """
    n_rows = len(matrix)
    n_cols = len(matrix[0]) if n_rows else 0
    covered = [[False] * n_cols for _ in range(n_rows)]
    out: list[list[LayoutCell]] = [[] for _ in range(n_rows)]
    for r in range(n_rows):
        for c in range(n_cols):
            if covered[r][c]:
                continue
            label = matrix[r][c]

            width = 1
            while (
                c + width < n_cols
                and not covered[r][c + width]
                and matrix[r][c + width] == label
                and (not header or all(matrix[k][c + width] == matrix[k][c] for k in range(r)))
            ):
                width += 1
            height = 1
            while (
                r + height < n_rows
                and all(matrix[r + height][c + k] == label for k in range(width))
                and (header or all(matrix[r + height][k] == matrix[r][k] for k in range(c)))
                and (c + width == n_cols or matrix[r + height][c + width] != label)
            ):
                height += 1
            for dr in range(height):
                for dc in range(width):
                    covered[r + dr][c + dc] = True
            out[r].append(
                LayoutCell(
                    text=label,
                    header=True,
                    rowspan=height,
                    colspan=sum(widths[c : c + width]),
                )
            )
    return out


def _header_matrix(block: Block) -> list[list[str]]:
    depth = block.header_depth
    columns = []
    for col in block.columns:
        entries = [*col.groups, col.heading]
        # a column with fewer levels repeats its label upward: its leaf spans those rows
        while len(entries) < depth:
            entries.insert(len(col.groups), col.heading)
        columns.append(entries[:depth] if len(entries) > depth else entries)
    return [[columns[c][h] for c in range(len(columns))] for h in range(depth)]


def _row_matrix(rows: Sequence[Row], depth: int) -> list[list[str]]:
    matrix = []
    for row in rows:
        path = list(row.path)
        while len(path) < depth:
            path.append(path[-1] if path else "")
        matrix.append(path)
    return matrix


def block_layout(
    fmt: ReportFormat,
    table: Table,
    block: Block,
    values: Mapping[CellKey, Number | None],
    *,
    width: int,
    show_optional: Callable[[Row], bool],
    decorate: Callable[[LayoutCell], None] | None = None,
) -> list[LayoutRow]:
    rows_out: list[LayoutRow] = []
    depth = block.row_header_depth
    n = len(block.columns)
    widths = [1] * n
    if n:
        widths[-1] += width - depth - n
    if block.title:
        rows_out.append([LayoutCell(block.title, header=True, colspan=width, classes=["block"])])
    header = _merge(_header_matrix(block), widths, header=True)
    for cell in (c for line in header for c in line):
        cell.scope = "col" if cell.colspan == 1 else "colgroup"
    if depth:
        corner = LayoutCell(
            block.corner, header=True, rowspan=block.header_depth, colspan=depth, classes=["corner"]
        )
        header[0].insert(0, corner)
    rows_out.extend(header)
    visible = [r for r in block.rows if not r.optional or show_optional(r)]
    labels = (
        _merge(_row_matrix(visible, depth), [1] * depth, header=False)
        if depth
        else [[] for _ in visible]
    )
    for row, label_cells in zip(visible, labels, strict=True):
        for cell in label_cells:
            cell.scope = "row" if cell.rowspan == 1 else "rowgroup"
            cell.classes.append("label")
        line: LayoutRow = list(label_cells)
        for col, span in zip(block.columns, widths, strict=True):
            key = (table.key, row.key, col.key)
            value = values.get(key)
            data = LayoutCell(
                text=format_number(value, fmt.kind(key)) if value is not None else "",
                colspan=span,
                cell=key,
                value=value,
                classes=["num"],
            )
            if decorate is not None:
                decorate(data)
            line.append(data)
        rows_out.append(line)
    return rows_out


def table_width(table: Table) -> int:
    return max(b.row_header_depth + len(b.columns) for b in table.blocks)


def table_layout(
    fmt: ReportFormat,
    table: Table,
    values: Mapping[CellKey, Number | None],
    *,
    decorate: Callable[[LayoutCell], None] | None = None,
    show_all_rows: bool = False,
) -> list[LayoutRow]:
    """Rows of cells for one table; optional rows show only when one of their cells is set."""

    def show_optional(row: Row) -> bool:
        if show_all_rows:
            return True
        block = table.block_of(row.key)
        return any(values.get((table.key, row.key, c.key)) for c in block.columns)

    width = table_width(table)
    out: list[LayoutRow] = []
    for block in table.blocks:
        out.extend(
            block_layout(
                fmt,
                table,
                block,
                values,
                width=width,
                show_optional=show_optional,
                decorate=decorate,
            )
        )
    return out
