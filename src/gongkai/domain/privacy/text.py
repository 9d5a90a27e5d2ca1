"""Text helpers that keep offsets: normalising full-width forms and finding sentence bounds."""

from __future__ import annotations

import re

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


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (up to 。！？； or a line break) that contains text[start:end]."""
    left = max(
        text.rfind("。", 0, start),
        text.rfind("\n", 0, start),
        text.rfind("；", 0, start),
        text.rfind(";", 0, start),
        text.rfind("！", 0, start),
        text.rfind("？", 0, start),
        text.rfind("\r", 0, start),
    )
    match = SENTENCE_END.search(text, end)
    right = match.start() if match else len(text)
    return left + 1, right


def window_before(text: str, start: int, size: int, floor: int = 0) -> str:
    return text[max(floor, start - size) : start]


def window_after(text: str, end: int, size: int, ceiling: int | None = None) -> str:
    limit = len(text) if ceiling is None else ceiling
    return text[end : min(limit, end + size)]


def compact(value: str) -> str:
    """Digits and letters only, upper case (for check digits and comparisons)."""
    return "".join(ch for ch in value if ch.isascii() and ch.isalnum()).upper()
