"""Run the detectors over a text or a document's blocks and settle overlaps.

Rules, after Presidio's: a public code (USCC, 文号, date, amount, serial number) suppresses
any pattern finding it overlaps; a finding inside a larger one loses to it; otherwise the
higher score wins. Then linkage: a name, address or landline in the same sentence or table row
as an ID, mobile or bank-card number is about the same person, so its score rises.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from gongkai.domain.privacy.context import split_header_line
from gongkai.domain.privacy.kinds import Finding, Kind, PublicSpan
from gongkai.domain.privacy.names import _official as _official_near
from gongkai.domain.privacy.names import detect_names, name_before
from gongkai.domain.privacy.patterns import PATTERN_DETECTORS, Scope, detect_public, digit_windows
from gongkai.domain.privacy.text import Sentences, normalise, sentence_bounds

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


_CJK_OR_AT = re.compile(r"[\u4e00-\u9fff@]")


def _scan_part(
    norm: str,
    text: str,
    header: str | None,
    options: ScanOptions,
    sentences: Sentences | None = None,
) -> list[Finding]:
    if len(norm) < 7 and _CJK_OR_AT.search(norm) is None:
        return []  # “3”, “1200.00”, “A区”: too short for any number we look for
    found_windows = digit_windows(norm)
    windows = None if found_windows is None else tuple(found_windows)
    scope = Scope(norm, text, header, options.reference_date, windows, sentences or Sentences(norm))
    found: list[Finding] = []
    has_codes = windows is None or bool(windows) or "@" in norm
    public = detect_public(scope) if has_codes else []
    if options.patterns and has_codes:
        for detector in PATTERN_DETECTORS:
            found.extend(detector(scope))
    if options.names:
        found.extend(detect_names(norm, text, header))
    if public:
        found = _drop_suppressed(found, public)
    return found


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
        if _official_near(norm, start, end):
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
    norm = normalise(text)
    found: list[Finding] = []
    sentences: Sentences | None = None
    header_cells = split_header_line(header) if header else []
    parts = (
        _merge_number_groups(norm, [m.span() for m in _PARTS.finditer(norm)])
        if len(header_cells) >= 2
        else []
    )
    if len(parts) >= 2:
        for (start, end), cell_header in _align(parts, header_cells):
            for finding in _scan_part(norm[start:end], text[start:end], cell_header, options):
                found.append(_shift(finding, start))
    else:
        sentences = Sentences(norm)
        found = _scan_part(norm, text, header, options, sentences)
    if options.names:
        found.extend(_names_before_identifiers(norm, text, found))
    resolved = resolve_overlaps(found)
    if not resolved:
        return resolved
    if sentences is None:
        sentences = Sentences(norm)
    return _link(resolved, [sentences.bounds(f.start, f.end) for f in resolved])


@dataclass(frozen=True)
class BlockFinding:
    block: int  # index into the blocks passed to scan_blocks
    finding: Finding


def scan_blocks(blocks: Sequence[Block], options: ScanOptions | None = None) -> list[BlockFinding]:
    """Scan each block; findings in the same row (``group``) are linked like one sentence."""
    options = options or ScanOptions()
    results: list[BlockFinding] = []
    for index, block in enumerate(blocks):
        results.extend(
            BlockFinding(index, f)
            for f in scan_text(block.text, header=block.header, options=options)
        )
    keys: list[object] = []
    for item in results:
        group = blocks[item.block].group
        if group is None:
            text = blocks[item.block].text
            keys.append((item.block, sentence_bounds(text, item.finding.start, item.finding.end)))
        else:
            keys.append(("group", group))
    linked = _link([item.finding for item in results], keys)
    return [
        BlockFinding(item.block, finding) for item, finding in zip(results, linked, strict=True)
    ]
