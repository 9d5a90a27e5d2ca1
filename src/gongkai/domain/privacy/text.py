"""Text helpers that keep offsets: normalising full-width forms and finding sentence bounds."""

from __future__ import annotations

import re
from bisect import bisect_left

# full-width ASCII (！ … ～) to ASCII, the ideographic space and dashes: one character for one,
# so every span found in the normalised text is the same span in the original
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0x2010: 0x2D, 0x2011: 0x2D, 0x2012: 0x2D, 0x2013: 0x2D})
_FULLWIDTH.update({0x2014: 0x2D, 0x2212: 0x2D, 0x00A0: 0x20})
_NEEDS_NORMALISING = re.compile("[\uff01-\uff5e\u3000\u2010-\u2014\u2212\u00a0]")

SENTENCE_END = re.compile(r"[。！？；;!?\n\r]")


def normalise(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII; same length as ``text``."""
    if _NEEDS_NORMALISING.search(text) is None:
        return text
    return text.translate(_FULLWIDTH)


SENTENCE_REACH = 300  # a sentence longer than this is cut for context purposes


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (up to 。！？； or a line break) that contains text[start:end]."""
    floor = max(0, start - SENTENCE_REACH)
    left = floor
    for found in SENTENCE_END.finditer(text, floor, start):
        left = found.end()
    after = SENTENCE_END.search(text, end, end + SENTENCE_REACH)
    right = after.start() if after else min(len(text), end + SENTENCE_REACH)
    return left, right


def window_before(text: str, start: int, size: int, floor: int = 0) -> str:
    return text[max(floor, start - size) : start]


def window_after(text: str, end: int, size: int, ceiling: int | None = None) -> str:
    limit = len(text) if ceiling is None else ceiling
    return text[end : min(limit, end + size)]


_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def compact(value: str) -> str:
    """Digits and letters only, upper case (for check digits and comparisons)."""
    return _NOT_ALNUM.sub("", value).upper()


class Sentences:
    """Sentence bounds of one text, found once and looked up by bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)
        self._breaks: list[int] | None = None

    @property
    def breaks(self) -> list[int]:
        if self._breaks is None:  # found on first use: most short blocks never need it
            self._breaks = [m.start() for m in SENTENCE_END.finditer(self.text)]
        return self._breaks

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        index = bisect_left(self.breaks, start)
        left = self.breaks[index - 1] + 1 if index > 0 else 0
        index = bisect_left(self.breaks, end)
        right = self.breaks[index] if index < len(self.breaks) else self.size
        return max(left, start - SENTENCE_REACH), min(right, end + SENTENCE_REACH)
