"""Reading one table cell as a figure, the way published reports write them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from gongkai.domain.reports.model import Number


class CellReading(StrEnum):
    NUMBER = "number"
    BLANK = "blank"  # nothing written: zero, or not filled in
    DASH = "dash"  # —, -, /, 无: written as "none", read as zero
    TEXT = "text"  # words: not a figure


@dataclass(frozen=True)
class ParsedCell:
    reading: CellReading
    value: Number | None = None
    unit: str = ""  # the unit written after the figure (元, 万元, 件 …), if any


_DASHES = {"—", "–", "-", "－", "─", "/", "／", "\\", "无", "——", "--", "×"}
_NUMBER = re.compile(r"^([+-]?)(\d+(?:,\d{3})*|\d+)(\.\d+)?(%|件|条|个|项|万元|元)?$")


@lru_cache(maxsize=65536)
def parse_cell(text: str) -> ParsedCell:
    raw = unicodedata.normalize("NFKC", text)
    # footnote marks after a figure (our own ※ entered / △ adjusted, sites' * and ▲)
    compact = re.sub(r"\s+", "", raw).replace("，", ",").rstrip("※△*▲")
    if not compact:
        return ParsedCell(CellReading.BLANK)
    if compact in _DASHES or set(compact) <= {"-", "—", "–", "─"}:
        return ParsedCell(CellReading.DASH, 0)
    match = _NUMBER.match(compact)
    if match is None:
        return ParsedCell(CellReading.TEXT)
    sign, whole, fraction, unit = match.groups()
    digits = whole.replace(",", "")
    try:
        if fraction:
            value: Number = Decimal(f"{sign}{digits}{fraction}")
        else:
            value = int(f"{sign}{digits}")
    except (InvalidOperation, ValueError):
        return ParsedCell(CellReading.TEXT)
    return ParsedCell(CellReading.NUMBER, value, unit or "")


def is_figure_like(text: str) -> bool:
    """A cell that holds (or could hold) a figure: a number, a dash or nothing."""
    return parse_cell(text).reading is not CellReading.TEXT
