"""Run the detectors over a text or a document's blocks and settle overlaps.

Rules, after Presidio's: a public code (USCC, 文号, date, amount, serial number) suppresses
any pattern finding it overlaps; a finding inside a larger one loses to it; otherwise the
higher score wins. Then linkage: a name, address or landline in the same sentence or table row
as an ID, mobile or bank-card number is about the same person, so its score rises.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Protocol

from gongkai.domain.privacy.context import NAME_HEADERS, split_header_line
from gongkai.domain.privacy.kinds import Finding, Kind, PublicSpan
from gongkai.domain.privacy.names import _official as _official_near
from gongkai.domain.privacy.names import (
    detect_names_by_context,
    detect_names_by_tagging,
    detect_names_in_cell,
    detect_salutations,
    name_before,
    role_before,
)
from gongkai.domain.privacy.patterns import PATTERN_DETECTORS, Scope, detect_public, digit_windows
from gongkai.domain.privacy.text import Sentences, normalise

STRONG_KINDS = frozenset(
    {Kind.ID_NUMBER, Kind.MOBILE, Kind.BANK_CARD, Kind.PASSPORT, Kind.TRAVEL_PERMIT}
)
LINKED_BOOST = {Kind.NAME: 0.35, Kind.ADDRESS: 0.2, Kind.LANDLINE: 0.35}
_LINK_MIN_SCORE = {Kind.NAME: 0.3, Kind.ADDRESS: 0.3, Kind.LANDLINE: 0.3}
_PARTS = re.compile(r"\S+")


@dataclass(frozen=True)
class ScanOptions:
    """``reference_date`` bounds plausible birth dates; ``names`` turns name detection off."""

    reference_date: date | None = None
    names: bool = True
    patterns: bool = True


class Block(Protocol):
    """What scan_blocks reads from a block (gongkai.documents.extract.TextBlock has it)."""

    @property
    def text(self) -> str: ...

    @property
    def header(self) -> str | None: ...

    @property
    def group(self) -> str | None: ...


def _overlaps(a: Finding | PublicSpan, b: Finding | PublicSpan) -> bool:
    return a.start < b.end and b.start < a.end


def _suppresses(span: PublicSpan, finding: Finding) -> bool:
    """A public code overlapping a finding wins, unless it lies inside the finding (the date
    part of a grouped ID number “110101 19900307 4578” is not a date)."""
    inside = (
        finding.start <= span.start
        and span.end <= finding.end
        and (span.end - span.start < finding.end - finding.start)
    )
    return _overlaps(span, finding) and not inside


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep findings that do not overlap: containing spans beat contained ones, then score."""
    ordered = sorted(findings, key=lambda f: (-f.score, -(f.end - f.start), f.start))
    starts: list[int] = []  # kept findings never overlap, so they sort by start and by end
    kept: list[Finding] = []
    for candidate in ordered:
        index = bisect_left(starts, candidate.start)
        low = index - 1 if index > 0 and kept[index - 1].end > candidate.start else index
        high = index
        while high < len(kept) and kept[high].start < candidate.end:
            high += 1
        clashes = kept[low:high]
        if not clashes:
            starts.insert(index, candidate.start)
            kept.insert(index, candidate)
            continue
        inside_other = any(k.start <= candidate.start and candidate.end <= k.end for k in clashes)
        contains_all = all(candidate.start <= k.start and k.end <= candidate.end for k in clashes)
        if not inside_other and contains_all and candidate.score >= 0.5:
            del kept[low:high]
            del starts[low:high]
            starts.insert(low, candidate.start)
            kept.insert(low, candidate)
    return kept


def _drop_suppressed(found: list[Finding], public: list[PublicSpan]) -> list[Finding]:
    spans = sorted(public, key=lambda p: p.start)
    starts = [p.start for p in spans]
    longest = max(p.end - p.start for p in spans)
    out = []
    for finding in found:
        if finding.kind is Kind.NAME:
            out.append(finding)
            continue
        first = bisect_left(starts, finding.start - longest)
        last = bisect_left(starts, finding.end)
        if not any(_suppresses(span, finding) for span in spans[first:last]):
            out.append(finding)
    return out


Column = tuple[int, int, str]


@dataclass
class Layout:
    """A text to scan, its normalised form, where its table cells are ((start, end, header)
    per cell) and the plain stretches (paragraphs, lines, cells without a header) where
    rjieba may tag names."""

    text: str
    norm: str
    columns: list[Column]
    plain: list[tuple[int, int]]


_HEADER_CELLS: dict[str, list[str]] = {}


def _header_cells(header: str) -> list[str]:
    cells = _HEADER_CELLS.get(header)
    if cells is None:
        cells = split_header_line(header)
        if len(_HEADER_CELLS) < 1000:
            _HEADER_CELLS[header] = cells
    return cells


def _row_cells(text: str, header_cells: list[str]) -> list[Column] | None:
    """A text-table row's cells lined up with the header (blank-separated; U+3000 counts)."""
    parts = [m.span() for m in _PARTS.finditer(text)]
    if len(parts) > len(header_cells):  # more pieces than columns: grouped numbers?
        parts = _merge_number_groups(normalise(text), parts)
    if len(parts) < 2:
        return None
    return [(a, b, h) for (a, b), h in _align(parts, header_cells)]


def _layout(texts: Sequence[tuple[str, str | None, str | None]]) -> tuple[Layout, list[int]]:
    """Join (text, header, row) blocks: cells of one row by tabs, everything else by line
    breaks — no pattern and no context crosses either. Returns the layout and block starts.

    In the normalised text the blanks between the cells of a text-table row become tabs too
    (same length): no pattern takes a tab as a digit separator, so a card number never runs
    on into the next cell's “12.5”.
    """
    pieces: list[str] = []
    columns: list[Column] = []
    plain: list[tuple[int, int]] = []
    starts: list[int] = []
    gaps: list[tuple[int, int]] = []
    position = 0
    previous_row: str | None = None
    for index, (text, header, row) in enumerate(texts):
        if index:
            pieces.append("\t" if row is not None and row == previous_row else "\n")
            position += 1
        start, end = position, position + len(text)
        starts.append(start)
        pieces.append(text)
        position = end
        previous_row = row
        if not header:
            plain.append((start, end))
            continue
        header_cells = _header_cells(header)
        cells = _row_cells(text, header_cells) if len(header_cells) >= 2 else None
        if cells is None:
            columns.append((start, end, header))
            continue
        columns.extend((start + a, start + b, h) for a, b, h in cells)
        gaps.extend((start + b, start + a) for (_, b, _), (a, _, _) in pairwise(cells))
    joined = "".join(pieces)
    norm = normalise(joined)
    if gaps:
        out: list[str] = []
        cursor = 0
        for gap_start, gap_end in gaps:
            out.append(norm[cursor:gap_start])
            out.append("\t" * (gap_end - gap_start))
            cursor = gap_end
        out.append(norm[cursor:])
        norm = "".join(out)
    return Layout(joined, norm, columns, plain), starts


def _detect(layout: Layout, options: ScanOptions) -> tuple[str, list[Finding]]:
    """Every candidate in the layout (before overlaps are settled); returns the normalised text."""
    text, norm = layout.text, layout.norm
    found: list[Finding] = []
    if not norm.strip():
        return norm, found
    found_windows = digit_windows(norm)
    windows = None if found_windows is None else tuple(found_windows)
    columns = tuple(layout.columns) if layout.columns else None
    scope = Scope(norm, text, None, options.reference_date, windows, Sentences(norm), columns)
    has_codes = windows is None or bool(windows) or "@" in norm
    public = detect_public(scope) if has_codes else []
    if options.patterns and has_codes:
        for detector in PATTERN_DETECTORS:
            found.extend(detector(scope))
    if options.names:
        found.extend(detect_names_by_context(norm, text))
        found.extend(detect_salutations(norm, text))
        tag_spans = list(layout.plain)
        for start, end, header in layout.columns:
            if NAME_HEADERS.search(header):
                found.extend(
                    _shift(f, start)
                    for f in detect_names_in_cell(norm[start:end], text[start:end], header)
                )
                tag_spans.append((start, end))
        for start, end in _merge_spans(tag_spans):
            found.extend(
                _shift(f, start) for f in detect_names_by_tagging(norm[start:end], text[start:end])
            )
        found.extend(_names_before_identifiers(norm, text, found))
    if public:
        found = _drop_suppressed(found, public)
    return norm, found


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent stretches (one separator apart) joined, so rjieba tags long texts in one call."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _settle(norm: str, found: list[Finding]) -> list[Finding]:
    resolved = resolve_overlaps(found)
    if not resolved:
        return resolved
    sentences = Sentences(norm)
    return _link(resolved, [sentences.bounds(f.start, f.end) for f in resolved])


def _merge_number_groups(norm: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join digit groups that together make one card or ID number (“6222 0212 3456 7890”)."""
    merged: list[tuple[int, int]] = []
    index = 0
    while index < len(parts):
        start, end = parts[index]
        best = index
        digits = norm[start:end]
        probe = index
        while digits.isdigit() and len(digits) < 19 and probe + 1 < len(parts):
            nxt = norm[parts[probe + 1][0] : parts[probe + 1][1]]
            if not (nxt.isdigit() or (nxt[:-1].isdigit() and nxt[-1:] in "Xx")) or len(nxt) > 8:
                break
            digits += nxt
            probe += 1
            if 15 <= len(digits) <= 19:
                best = probe
        if best == index and _is_grouped_mobile(norm, parts[index : index + 3]):
            best = index + 2
        merged.append((start, parts[best][1]))
        index = best + 1
    return merged


def _is_grouped_mobile(norm: str, parts: list[tuple[int, int]]) -> bool:
    """“138 1234 5678”: three groups of 3, 4 and 4 digits starting with 1."""
    groups = [norm[a:b] for a, b in parts]
    return (
        [len(g) for g in groups] == [3, 4, 4]
        and all(g.isdigit() for g in groups)
        and groups[0].startswith("1")
    )


def _align(parts: list[tuple[int, int]], headers: list[str]) -> list[tuple[tuple[int, int], str]]:
    """Line up the blank-separated parts of a text row with the header cells, left to right;
    extra parts (an address with spaces) belong to the last column."""
    if len(parts) <= len(headers):
        return list(zip(parts, headers, strict=False))
    last = len(headers) - 1
    aligned = list(zip(parts[:last], headers[:last], strict=True))
    aligned.append(((parts[last][0], parts[-1][1]), headers[last]))
    return aligned


def _names_before_identifiers(norm: str, text: str, found: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for finding in found:
        if finding.kind not in STRONG_KINDS or finding.score < 0.7:
            continue
        span = name_before(norm, finding.start)
        if span is None:
            continue
        start, end = span
        if _official_near(norm, start, end) and not role_before(norm, start):
            continue
        out.append(
            Finding(
                Kind.NAME,
                start,
                end,
                text[start:end],
                0.75,
                f"姓名，紧接其{finding.kind.label}",
            )
        )
    return out


def _shift(finding: Finding, offset: int) -> Finding:
    return Finding(
        finding.kind,
        finding.start + offset,
        finding.end + offset,
        finding.text,
        finding.score,
        finding.reason,
    )


def _link(findings: list[Finding], keys: Sequence[object]) -> list[Finding]:
    """Raise names, addresses and landlines that share a sentence/row with a strong identifier."""
    strong_keys = {
        key
        for f, key in zip(findings, keys, strict=True)
        if f.kind in STRONG_KINDS and f.score >= 0.8
    }
    if not strong_keys:
        return findings
    out = []
    for finding, key in zip(findings, keys, strict=True):
        boost = LINKED_BOOST.get(finding.kind)
        if (
            boost is not None
            and key in strong_keys
            and finding.score >= _LINK_MIN_SCORE[finding.kind]
            and finding.score < 0.9
        ):
            finding = finding.with_score(
                finding.score + boost, "同一句或同一行还有身份证号、手机号码等个人信息"
            )
        out.append(finding)
    return out


def scan_text(
    text: str, *, header: str | None = None, options: ScanOptions | None = None
) -> list[Finding]:
    """Every piece of personal information in ``text`` (a sentence, paragraph, cell or page).

    ``header`` is the column header of a table cell, or a whole header line for a text/PDF
    table row, in which case the row is split into cells that line up with the header.
    """
    options = options or ScanOptions()
    if not text.strip():
        return []
    layout, _ = _layout([(text, header, None)])
    norm, found = _detect(layout, options)
    return _settle(norm, found)


@dataclass(frozen=True)
class BlockFinding:
    block: int  # index into the blocks passed to scan_blocks
    finding: Finding


BATCH_CHARS = 200_000


def scan_blocks(blocks: Sequence[Block], options: ScanOptions | None = None) -> list[BlockFinding]:
    """Scan a document's blocks; the cells of one table row are linked like one sentence.

    Blocks are scanned together (cells of a row joined by tabs, other blocks by line breaks,
    up to BATCH_CHARS at a time): the same findings as block by block, since nothing matches
    across a separator, at a fraction of the per-call cost.
    """
    options = options or ScanOptions()
    results: list[BlockFinding] = []
    batch: list[int] = []
    size = 0

    def flush() -> None:
        if not batch:
            return
        layout, starts = _layout(
            [(blocks[i].text, blocks[i].header, blocks[i].group) for i in batch]
        )
        norm, found = _detect(layout, options)
        for finding in _settle(norm, found):
            slot = bisect_right(starts, finding.start) - 1
            index = batch[slot]
            offset = starts[slot]
            if finding.end - offset > len(blocks[index].text):
                continue  # across a separator: cannot happen, nothing matches tabs or breaks
            results.append(BlockFinding(index, _shift(finding, -offset)))
        batch.clear()

    for index, block in enumerate(blocks):
        if size > BATCH_CHARS and (block.group is None or block.group != blocks[batch[-1]].group):
            flush()
            size = 0
        batch.append(index)
        size += len(block.text) + 1
    flush()
    return results
