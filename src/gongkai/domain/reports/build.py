"""From measures to the cells of a format: per agency, rolled up, with adjustments.

A government's report (本级 or 全市) is the sum of the reports of the agencies in its scope, each
computed from its own records and carrying its own adjustments, as the seed report sums its
departments and counties. Percentages are recomputed from the summed parts, never summed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gongkai.domain.reports.measures import MeasureSet
from gongkai.domain.reports.model import CellKey, CellKind, Number, ReportFormat

Values = dict[CellKey, Number]

_CELL_MEASURES: dict[str, list[tuple[CellKey, CellKind, tuple[str, ...]]]] = {}
_RATIO_CELLS: dict[str, list[tuple[CellKey, CellKey, CellKey]]] = {}


def _plan(fmt: ReportFormat) -> list[tuple[CellKey, CellKind, tuple[str, ...]]]:
    """Every additive cell with its kind and measure names (computed once per format)."""
    plan = _CELL_MEASURES.get(fmt.code)
    if plan is None:
        plan = []
        ratios: list[tuple[CellKey, CellKey, CellKey]] = []
        for table in fmt.tables:
            for block in table.blocks:
                for row in block.rows:
                    for col in block.columns:
                        cell = (table.key, row.key, col.key)
                        if row.ratio is not None:
                            num = (table.key, row.ratio[0], col.key)
                            den = (table.key, row.ratio[1], col.key)
                            ratios.append((cell, num, den))
                            continue
                        plan.append((cell, fmt.kind(cell), tuple(fmt.measures_for(cell))))
        _CELL_MEASURES[fmt.code] = plan
        _RATIO_CELLS[fmt.code] = ratios
    return plan


def ratio_cells(fmt: ReportFormat) -> list[tuple[CellKey, CellKey, CellKey]]:
    """(percentage cell, numerator cell, denominator cell) for every computed rate."""
    _plan(fmt)
    return _RATIO_CELLS[fmt.code]


def percent(numerator: Number, denominator: Number) -> Decimal:
    """A rate in percent with two decimals, rounded half up (98.74 for 23311/23608)."""
    if not denominator:
        return Decimal("0.00")
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def coerce(kind: CellKind, value: Number) -> Number:
    if kind in (CellKind.AMOUNT, CellKind.PERCENT):
        return Decimal(value)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValueError(f"件数必须是整数：{value}")
        return int(value)
    return value


def _fill_ratios(fmt: ReportFormat, values: Values) -> None:
    for cell, num, den in ratio_cells(fmt):
        values[cell] = percent(values.get(num, 0), values.get(den, 0))


def evaluate(fmt: ReportFormat, measures: Mapping[str, Number]) -> Values:
    """The cells of ``fmt`` for one set of measures."""
    values: Values = {}
    for cell, kind, names in _plan(fmt):
        total: Number = 0
        for name in names:
            value = measures.get(name)
            if value:
                total += value
        values[cell] = coerce(kind, total)
    _fill_ratios(fmt, values)
    return values


def apply_adjustments(
    fmt: ReportFormat, values: Mapping[CellKey, Number], adjustments: Mapping[CellKey, Number]
) -> Values:
    """Replace cells by the figures an agency set by hand; rates follow their parts."""
    out = dict(values)
    computed = {cell for cell, _n, _d in ratio_cells(fmt)}
    for cell, value in adjustments.items():
        if cell in computed:
            raise ValueError(f"{fmt.cell_label(cell)}由其他单元格计算得出，不能直接调整")
        if cell not in out:
            raise ValueError(f"格式 {fmt.code} 没有单元格 {':'.join(cell)}")
        out[cell] = coerce(fmt.kind(cell), value)
    _fill_ratios(fmt, out)
    return out


def rollup(fmt: ReportFormat, parts: Iterable[Mapping[CellKey, Number]]) -> Values:
    """Sum agencies' cells into one report."""
    totals: Values = {cell: coerce(kind, 0) for cell, kind, _names in _plan(fmt)}
    for part in parts:
        for cell, value in part.items():
            if cell in totals and value:
                totals[cell] += value
    _fill_ratios(fmt, totals)
    return totals


@dataclass
class BuiltReport:
    """One report's figures, with what each agency contributed to every cell."""

    fmt: ReportFormat
    year: int
    values: Values
    per_agency: dict[int, Values] = field(default_factory=dict)
    measures: dict[str, Number] = field(default_factory=dict)
    adjusted: dict[CellKey, Number] = field(default_factory=dict)  # the report's own
    agency_adjusted: dict[int, dict[CellKey, Number]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def entered_cells(self) -> set[CellKey]:
        return {cell for cell in self.values if self.fmt.is_entered(cell)}

    def adjusted_cells(self) -> set[CellKey]:
        cells = set(self.adjusted)
        for adjustments in self.agency_adjusted.values():
            cells.update(adjustments)
        return cells

    def breakdown(self, cell: CellKey) -> list[tuple[int, Number]]:
        """Agencies whose own figures make up this cell, largest first (zeros left out)."""
        rows = [(agency, values.get(cell, 0)) for agency, values in self.per_agency.items()]
        return sorted((r for r in rows if r[1]), key=lambda r: (-r[1], r[0]))


def build_report(
    fmt: ReportFormat,
    measures: MeasureSet,
    *,
    agency_ids: Iterable[int] | None = None,
    agency_adjustments: Mapping[int, Mapping[CellKey, Number]] | None = None,
    adjustments: Mapping[CellKey, Number] | None = None,
) -> BuiltReport:
    """Compute each agency's cells, apply its adjustments, sum them, then the report's own."""
    ids = list(agency_ids) if agency_ids is not None else sorted(measures.by_agency)
    agency_adjustments = agency_adjustments or {}
    per_agency: dict[int, Values] = {}
    for agency_id in ids:
        values = evaluate(fmt, measures.by_agency.get(agency_id, {}))
        own = agency_adjustments.get(agency_id)
        if own:
            values = apply_adjustments(fmt, values, own)
        per_agency[agency_id] = values
    total = rollup(fmt, per_agency.values())
    if adjustments:
        total = apply_adjustments(fmt, total, adjustments)
    wanted = set(ids)
    summed: dict[str, Number] = {}
    for agency_id, agency_measures in measures.by_agency.items():
        if agency_id in wanted:
            for key, value in agency_measures.items():
                summed[key] = summed.get(key, 0) + value
    return BuiltReport(
        fmt=fmt,
        year=measures.year,
        values=total,
        per_agency=per_agency,
        measures=summed,
        adjusted=dict(adjustments or {}),
        agency_adjusted={a: dict(v) for a, v in agency_adjustments.items() if a in wanted and v},
        warnings=list(measures.warnings),
    )
