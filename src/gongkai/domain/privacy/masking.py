"""Masked forms as practice expects, configurable per kind.

Defaults follow the issue and local practice (永安市 2023): 身份证号 110105********002X, mobile
138****1234, bank card ****1234, names 张* / 张*明, addresses cut after the street (the
门牌号 and everything below it removed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from gongkai.domain.privacy.kinds import Finding, Kind
from gongkai.domain.privacy.names import surname_length
from gongkai.domain.privacy.text import compact


class NameStyle(StrEnum):
    SURNAME = "surname"  # 张*, 张** (only the surname kept)
    SURNAME_LAST = "surname_last"  # 张*, 张*明 (surname and, for longer names, the last character)


class AddressStyle(StrEnum):
    CUT = "cut"  # 人民路128号3栋501室 → 人民路
    STARS = "stars"  # 人民路128号3栋501室 → 人民路***


@dataclass(frozen=True)
class KeepRule:
    """Keep ``head`` and ``tail`` characters; ``stars`` fixed, or None to keep the length."""

    head: int
    tail: int
    stars: int | None = None


@dataclass(frozen=True)
class MaskPolicy:
    char: str = "*"
    id_number: KeepRule = KeepRule(6, 4)
    mobile: KeepRule = KeepRule(3, 4)
    landline: KeepRule = KeepRule(0, 4, 4)
    bank_card: KeepRule = KeepRule(0, 4, 4)
    passport: KeepRule = KeepRule(1, 3)
    plate: KeepRule = KeepRule(2, 1)
    name: NameStyle = NameStyle.SURNAME_LAST
    address: AddressStyle = AddressStyle.CUT


def _keep(value: str, rule: KeepRule, char: str) -> str:
    head = min(rule.head, len(value))
    tail = min(rule.tail, max(0, len(value) - head))
    hidden = len(value) - head - tail
    if hidden <= 0:
        # too short to keep anything and still hide something: hide it all
        return char * (rule.stars if rule.stars is not None else len(value))
    stars = rule.stars if rule.stars is not None else hidden
    return value[:head] + char * stars + (value[len(value) - tail :] if tail else "")


def mask_name(name: str, style: NameStyle, char: str = "*") -> str:
    if "·" in name or "•" in name:
        first = name.replace("•", "·").split("·")[0]
        return first + "·" + char * 2
    surname = max(1, surname_length(name))
    given = len(name) - surname
    if given <= 0:
        return name[:1] + char
    if style is NameStyle.SURNAME_LAST and given >= 2:
        return name[:surname] + char * (given - 1) + name[-1]
    return name[:surname] + char * given


def mask_email(value: str, char: str = "*") -> str:
    local, _, domain = value.partition("@")
    return (local[:1] + char * 3) + "@" + domain


def mask_value(kind: Kind, value: str, policy: MaskPolicy | None = None) -> str:
    """The masked form of one value of ``kind``."""
    policy = policy or MaskPolicy()
    char = policy.char
    if kind is Kind.ID_NUMBER:
        return _keep(compact(value), policy.id_number, char)
    if kind is Kind.MOBILE:
        return _keep(compact(value)[-11:], policy.mobile, char)
    if kind is Kind.LANDLINE:
        return _keep(compact(value), policy.landline, char)
    if kind is Kind.BANK_CARD:
        return _keep(compact(value), policy.bank_card, char)
    if kind in (Kind.PASSPORT, Kind.TRAVEL_PERMIT):
        return _keep(compact(value), policy.passport, char)
    if kind is Kind.LICENCE_PLATE:
        plate = value[:1] + compact(value[1:])
        return _keep(plate, policy.plate, char)
    if kind is Kind.EMAIL:
        return mask_email(value, char)
    if kind is Kind.NAME:
        return mask_name(value, policy.name, char)
    if kind is Kind.ADDRESS:
        return "" if policy.address is AddressStyle.CUT else char * 3
    return char * len(value)


def replacements(
    findings: Iterable[Finding], policy: MaskPolicy | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, masked text) for non-overlapping findings, in text order."""
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < last_end or finding.kind is Kind.UNREADABLE:
            continue
        out.append((finding.start, finding.end, mask_value(finding.kind, finding.text, policy)))
        last_end = finding.end
    return out


def apply_replacements(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    pieces: list[str] = []
    position = 0
    for start, end, new in sorted(edits):
        pieces.append(text[position:start])
        pieces.append(new)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def mask_text(text: str, findings: Iterable[Finding], policy: MaskPolicy | None = None) -> str:
    """``text`` with each finding replaced by its masked form."""
    return apply_replacements(text, replacements(findings, policy))


def apply_to_pieces(pieces: list[str], edits: Iterable[tuple[int, int, str]]) -> list[str]:
    """Apply edits on the joined text of ``pieces`` while keeping the pieces apart.

    Pieces are a paragraph's runs or a cell's text nodes: each keeps its formatting, so the
    masked text of a span goes into the piece where the span starts and the rest of the span
    is removed from the pieces it covered. The result has as many pieces as the input.
    """
    bounds: list[tuple[int, int]] = []
    position = 0
    for piece in pieces:
        bounds.append((position, position + len(piece)))
        position += len(piece)
    out = list(pieces)
    # right to left, so earlier offsets stay valid inside each piece
    for start, end, new in sorted(edits, reverse=True):
        first = True
        for index in range(len(pieces) - 1, -1, -1):
            piece_start, piece_end = bounds[index]
            lo, hi = max(start, piece_start), min(end, piece_end)
            if lo >= hi and not (start == end == piece_start):
                continue
            local_lo, local_hi = lo - piece_start, hi - piece_start
            is_start_piece = piece_start <= start < piece_end or (start == piece_end == end)
            replacement = new if is_start_piece else ""
            out[index] = out[index][:local_lo] + replacement + out[index][local_hi:]
            first = False
        del first
    return out
