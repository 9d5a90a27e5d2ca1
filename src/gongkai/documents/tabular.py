"""CSV and XLSX written by the platform store text as text (OWASP CSV injection; ADR 0086).

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or carriage return, or their full-width forms) as a formula: an applicant's description
``=HYPERLINK(…)`` would become a live link beside applicants' names in the staff's register.
Every CSV the platform writes goes through :func:`csv_writer`, whose text cells that start so
get a leading apostrophe; every XLSX cell through :func:`xlsx_value` / :func:`xlsx_append`,
which store such text as a string cell marked "quote prefix" — never as a formula.
Numbers, dates and booleans are written as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """The value to write in a CSV field: text that a spreadsheet would run gets a ``'``."""
    return "'" + value if is_formula_like(value) else value


class SafeCsvWriter:
    """``csv.writer`` whose every field passes :func:`csv_cell`."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: Any, **kwargs: Any) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **kwargs)


def xlsx_value(sheet: Any, value: Any) -> Any:
    """A cell for ``sheet`` (write-only or not) holding ``value``; formula-like text becomes a
    string cell with Excel's quote prefix, so it is shown and kept as text."""
    from openpyxl.cell import WriteOnlyCell

    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def xlsx_append(sheet: Any, row: Iterable[Any]) -> None:
    sheet.append([xlsx_value(sheet, v) for v in row])


def xlsx_set(cell: Any, value: Any) -> Any:
    """Put ``value`` in an existing cell of a normal worksheet, as :func:`xlsx_value` would."""
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
