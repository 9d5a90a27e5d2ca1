"""Tables as read from a page or a file, and their expansion into a rectangular matrix.

Readers (HTML here; DOCX and XLSX in the reporting app) produce ``RawTable``s: rows of cells
with their spans. ``expand`` lays them out as the HTML table model does (a cell skips slots
taken by row spans from above), copying a merged cell's text into every slot it covers while
remembering which slots belong to the same merged cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass
class RawCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    continue_up: bool = False  # DOCX vMerge="continue": part of the cell above


@dataclass
class RawTable:
    rows: list[list[RawCell]] = field(default_factory=list)
    source: str = ""  # where it was found, e.g. "第2个表格"
    # False for rows rebuilt from plain text: cells are in order but not under their headers
    aligned: bool = True


@dataclass(frozen=True)
class Slot:
    text: str
    region: int  # slots of one merged cell share a region number
    origin: bool  # the top-left slot of its region


@dataclass
class Matrix:
    slots: list[list[Slot]]
    source: str = ""
    aligned: bool = True
    _normalized: str | None = field(default=None, repr=False, compare=False)

    @property
    def height(self) -> int:
        return len(self.slots)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.slots), default=0)

    def text(self, r: int, c: int) -> str:
        row = self.slots[r]
        return row[c].text if c < len(row) else ""

    def all_text(self) -> str:
        return "".join(s.text for row in self.slots for s in row if s.origin)

    def normalized_text(self) -> str:
        """All of the table's text, normalised once (tables are matched many times)."""
        if self._normalized is None:
            self._normalized = normalize_label(self.all_text())
        return self._normalized


MAX_SPAN = 100  # spans beyond this are markup errors; cap them


def expand(table: RawTable) -> Matrix:
    grid: dict[tuple[int, int], Slot] = {}
    region = 0
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            if cell.continue_up and (r - 1, c) in grid:
                above = grid[(r - 1, c)]
                for dc in range(max(1, min(cell.colspan, MAX_SPAN))):
                    up = grid.get((r - 1, c + dc), above)
                    grid[(r, c + dc)] = Slot(up.text, up.region, False)
                c += max(1, min(cell.colspan, MAX_SPAN))
                continue
            region += 1
            rows = max(1, min(cell.rowspan, MAX_SPAN))
            cols = max(1, min(cell.colspan, MAX_SPAN))
            for dr in range(rows):
                for dc in range(cols):
                    if (r + dr, c + dc) not in grid:
                        grid[(r + dr, c + dc)] = Slot(cell.text, region, dr == 0 and dc == 0)
            c += cols
    height = len(table.rows)
    width = max((c + 1 for (_r, c) in grid), default=0)

    def row_width(r: int) -> int:
        if table.aligned:
            return width
        # rows rebuilt from text keep their own length: padding would read as blank figures
        return max((c + 1 for (rr, c) in grid if rr == r), default=0)

    slots = [
        [grid.get((r, c), Slot("", -1 - r * 1000 - c, True)) for c in range(row_width(r))]
        for r in range(height)
    ]
    return Matrix(slots=slots, source=table.source, aligned=table.aligned)


_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")


@lru_cache(maxsize=65536)
def normalize_label(text: str) -> str:
    """Labels compared across sites: NFKC (full-width → half-width), no spaces or quotes."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub("", text).translate(_QUOTES)
    return text.replace("、", ".") if text[:1].isdigit() else text


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d+[.、]?)")


@lru_cache(maxsize=65536)
def bare_label(text: str) -> str:
    """A label without its numbering: “（三）不予公开” → “不予公开”."""
    return _NUMBERING.sub("", normalize_label(text))
