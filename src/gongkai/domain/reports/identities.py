"""Checking a report's arithmetic: the identities its format declares, rates, and the
carry-over from last year's report. Each failure names its cells and their values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.domain.reports.build import percent, ratio_cells
from gongkai.domain.reports.model import (
    CellKey,
    CellKind,
    CrossYearRule,
    Equation,
    Number,
    ReportFormat,
    Severity,
    Term,
)

RATE_TOLERANCE = Decimal("0.01")  # a published rate may round either way in the last digit


def format_number(value: Number | None, kind: CellKind = CellKind.COUNT) -> str:
    """A figure as reports print it: 935, 12.5, 98.74%; blank as 空白."""
    if value is None:
        return "空白"
    if kind is CellKind.PERCENT:
        return f"{Decimal(value):.2f}%"
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)


def _abs(value: Number) -> Number:
    return -value if value < 0 else value


@dataclass(frozen=True)
class Failure:
    key: str
    label: str
    severity: Severity
    lhs: Number
    rhs: Number
    cells: tuple[tuple[CellKey, Number | None], ...]
    message: str

    @property
    def difference(self) -> Number:
        return self.lhs - self.rhs


@dataclass(frozen=True)
class Unchecked:
    """An identity that could not be checked: one of its cells was not read (its table is
    missing or is an image, its row is missing, or the cell holds no readable figure)."""

    key: str
    label: str
    reasons: tuple[str, ...]
    cells: tuple[CellKey, ...]

    @property
    def message(self) -> str:
        return f"{self.label}：无法核对（{'；'.join(self.reasons)}）"


@dataclass
class Validation:
    checked: int = 0
    failures: list[Failure] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (identity, why)
    unchecked: list[Unchecked] = field(default_factory=list)
    held_labels: list[tuple[str, str]] = field(default_factory=list)  # (key, label)

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Failure]:
        return [f for f in self.failures if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def held(self) -> int:
        return self.checked - len(self.failures)

    @property
    def complete(self) -> bool:
        """Every identity was checked (none left unchecked for want of a readable cell)."""
        return not self.unchecked

    def suspects(self) -> list[CellKey]:
        """The cells most likely wrong: those in every failed identity, else the most common."""
        errors = self.errors
        if not errors:
            return []
        counts: Counter[CellKey] = Counter()
        for failure in errors:
            counts.update({cell for cell, _v in failure.cells})
        common = [cell for cell, n in counts.items() if n == len(errors)]
        if common and len(common) < 4:
            return sorted(common)
        top = max(counts.values())
        if top < 2:
            return []
        return sorted(cell for cell, n in counts.items() if n == top)

    def merge(self, other: Validation) -> Validation:
        return Validation(
            self.checked + other.checked,
            [*self.failures, *other.failures],
            [*self.skipped, *other.skipped],
            [*self.unchecked, *other.unchecked],
            [*self.held_labels, *other.held_labels],
        )


def _short_label(fmt: ReportFormat, cell: CellKey, cells: list[CellKey]) -> str:
    """Name a cell by what varies within an identity: its row, its column, or both."""
    same_col = all(c[2] == cell[2] for c in cells)
    same_row = all(c[1] == cell[1] for c in cells)
    table = fmt.table(cell[0])
    row = table.row(cell[1])
    col = table.column(cell[1], cell[2])
    if same_col and row.path:
        leaf = row.path[-1]
        if len(row.path) > 2 and leaf[:1].isdigit():
            leaf = f"{row.path[-2]}{leaf}"
        return f"“{leaf}”"
    if same_row:
        group = col.groups[-1] if col.groups else ""
        return f"“{col.label if group in ('', col.label) else group + '·' + col.label}”"
    return fmt.cell_label(cell)


def _side_text(
    fmt: ReportFormat, terms: tuple[Term, ...], table: str, all_cells: list[CellKey]
) -> str:
    names = []
    for i, term in enumerate(terms):
        name = _short_label(fmt, (table, term.row, term.col), all_cells)
        sign = "－" if term.coef < 0 else ("＋" if i else "")
        names.append(f"{sign}{name}")
    if len(names) <= 4:
        return "".join(names)
    return f"{names[0]}等{len(names)}项之和"


def _sum(terms: tuple[Term, ...], table: str, values: Mapping[CellKey, Number | None]) -> Number:
    total: Number = 0
    for term in terms:
        value = values.get((table, term.row, term.col))
        if value:
            total += term.coef * value
    return total


def _check_equation(
    fmt: ReportFormat, eq: Equation, values: Mapping[CellKey, Number | None]
) -> Failure | None:
    lhs = _sum(eq.lhs, eq.table, values)
    rhs = _sum(eq.rhs, eq.table, values)
    cells = eq.cells()
    kind = fmt.kind(cells[0])
    lhs_blank = all(values.get(c) is None for c in [(eq.table, t.row, t.col) for t in eq.lhs])
    rhs_blank = all(values.get(c) is None for c in [(eq.table, t.row, t.col) for t in eq.rhs])
    if lhs == rhs:
        return None
    left = _side_text(fmt, eq.lhs, eq.table, cells)
    right = _side_text(fmt, eq.rhs, eq.table, cells)
    if lhs_blank and rhs:
        message = f"{eq.label}：{left}空白，而{right}为 {format_number(rhs, kind)}（合计栏未填而分项有数）"
    elif rhs_blank and lhs:
        message = f"{eq.label}：{right}空白，而{left}为 {format_number(lhs, kind)}（合计栏未填而分项有数）"
    else:
        message = (
            f"{eq.label}：{left} = {format_number(lhs, kind)}，{right} = "
            f"{format_number(rhs, kind)}，相差 {format_number(_abs(lhs - rhs), kind)}"
        )
    return Failure(
        key=eq.key,
        label=eq.label,
        severity=eq.severity,
        lhs=lhs,
        rhs=rhs,
        cells=tuple((c, values.get(c)) for c in cells),
        message=message,
    )


def validate(
    fmt: ReportFormat,
    values: Mapping[CellKey, Number | None],
    *,
    unfilled_tables: Iterable[str] = (),
    unreadable: Mapping[CellKey, str] | None = None,
) -> Validation:
    """Check every identity of ``fmt`` against ``values`` (None = a blank cell, read as 0).

    Identities over tables listed in ``unfilled_tables`` (left wholly blank) are skipped and
    reported as such rather than failed. An identity with a cell in ``unreadable`` (cell → why
    it was not read) is neither held nor failed: it is listed as unchecked with the reasons.
    """
    unfilled = set(unfilled_tables)
    missing = unreadable or {}
    result = Validation()

    def blocked(key: str, label: str, cells: list[CellKey]) -> bool:
        reasons = list(dict.fromkeys(missing[c] for c in cells if c in missing))
        if not reasons:
            return False
        shown = tuple(c for c in cells if c in missing)
        result.unchecked.append(Unchecked(key, label, tuple(reasons), shown))
        return True

    for eq in fmt.equations():
        if eq.table in unfilled:
            result.skipped.append((eq.label, f"{fmt.table(eq.table).title}未填写"))
            continue
        if blocked(eq.key, eq.label, eq.cells()):
            continue
        result.checked += 1
        failure = _check_equation(fmt, eq, values)
        if failure is not None:
            result.failures.append(failure)
        else:
            result.held_labels.append((eq.key, eq.label))
    for cell, num, den in ratio_cells(fmt):
        if cell[0] in unfilled:
            continue
        key = f"rate[{':'.join(cell)}]"
        if blocked(key, f"{fmt.cell_label(cell)}的比率", [cell, num, den]):
            continue
        stated, numerator, denominator = values.get(cell), values.get(num), values.get(den)
        if stated is None or not denominator:
            result.skipped.append((fmt.cell_label(cell), "比率或其分母空白"))
            continue
        result.checked += 1
        expected = percent(numerator or 0, denominator)
        label = f"{fmt.cell_label(cell)}等于{fmt.cell_label(num)}除以{fmt.cell_label(den)}"
        if abs(Decimal(stated) - expected) <= RATE_TOLERANCE:
            result.held_labels.append((key, label))
        else:
            result.failures.append(
                Failure(
                    key=key,
                    label=label,
                    severity=Severity.ERROR,
                    lhs=Decimal(stated),
                    rhs=expected,
                    cells=((cell, stated), (num, numerator), (den, denominator)),
                    message=(
                        f"{label}：填报为 {format_number(stated, CellKind.PERCENT)}，"
                        f"按 {format_number(numerator)} ÷ {format_number(denominator)} "
                        f"计算应为 {format_number(expected, CellKind.PERCENT)}"
                    ),
                )
            )
    return result


def _expand_cross_year(
    rule: CrossYearRule, previous: ReportFormat, current: ReportFormat
) -> list[tuple[str, list[tuple[CellKey, int]], list[tuple[CellKey, int]]]]:
    table = current.table(rule.table)
    first = next((t for t in (*rule.current, *rule.previous) if t.col == "*"), None)
    columns = [c.key for c in table.block_of(first.row).columns] if first is not None else [""]
    out = []
    for col in columns:

        def cells(terms: tuple[Term, ...], col: str = col) -> list[tuple[CellKey, int]]:
            return [((rule.table, t.row, col if t.col == "*" else t.col), t.coef) for t in terms]

        label = rule.label
        if col:
            label = f"{rule.label}（{table.column(rule.current[0].row, col).label}列）"
        prev_cells, cur_cells = cells(rule.previous), cells(rule.current)
        try:
            for cell, _coef in prev_cells:
                previous.column(cell)
            for cell, _coef in cur_cells:
                current.column(cell)
        except KeyError:
            continue  # the two years' formats do not share these cells
        out.append((label, prev_cells, cur_cells))
    return out


def validate_cross_year(
    previous_fmt: ReportFormat,
    previous: Mapping[CellKey, Number | None],
    current_fmt: ReportFormat,
    current: Mapping[CellKey, Number | None],
) -> Validation:
    """Check this year's report against last year's (carry-over; stocks as warnings)."""
    result = Validation()
    shared = {rule.key for rule in previous_fmt.cross_year}
    for rule in current_fmt.cross_year:
        if rule.key not in shared:
            continue  # last year's format had no such figure (e.g. 2019's 对外公开总数量)
        try:
            expanded = _expand_cross_year(rule, previous_fmt, current_fmt)
        except KeyError:
            continue
        for label, prev_cells, cur_cells in expanded:
            result.checked += 1
            lhs: Number = sum((coef * (previous.get(c) or 0) for c, coef in prev_cells), 0)
            rhs: Number = sum((coef * (current.get(c) or 0) for c, coef in cur_cells), 0)
            if lhs == rhs:
                continue
            message = (
                f"{label}：上一年度报告为 {format_number(lhs)}，"
                f"本年度报告为 {format_number(rhs)}，相差 {format_number(_abs(lhs - rhs))}"
            )
            result.failures.append(
                Failure(
                    key=f"{rule.key}[{cur_cells[0][0][2]}]",
                    label=label,
                    severity=rule.severity,
                    lhs=lhs,
                    rhs=rhs,
                    cells=tuple((c, current.get(c)) for c, _coef in cur_cells),
                    message=message,
                )
            )
    return result
