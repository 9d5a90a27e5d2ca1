"""索引号 (catalogue index numbers): configurable patterns, formatting, recognition.

There is no single national format (cn-rules §9.2): gov.cn uses ``000014349/2017-00110``
(组织机构代码/year-sequence), many local sites ``<USCC>/2021-00050`` or ``<USCC>/202110-00013``.
Each agency therefore has a pattern; the default is ``{prefix}/{yyyy}-{seq:05d}``.

Placeholders: ``{prefix}`` (the agency's USCC, else its 组织机构代码), ``{yyyy}``, ``{yy}``,
``{mm}``, ``{yyyymm}``, ``{seq}`` with an optional zero-padded width (``{seq:05d}``). The
sequence restarts every month when the pattern names the month, every year when it names the
year, and never otherwise.
"""

from __future__ import annotations

import re
import string
from datetime import date

DEFAULT_PATTERN = "{prefix}/{yyyy}-{seq:05d}"
PLACEHOLDERS = ("prefix", "yyyy", "yy", "mm", "yyyymm", "seq")
_SEQ_SPEC = re.compile(r"^0?(\d{1,2})d$")


class IndexNoPatternError(ValueError):
    """The pattern cannot be used; the message is a Chinese sentence for the administrator."""


def _fields(pattern: str) -> list[tuple[str, str]]:
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise IndexNoPatternError(f"索引号规则“{pattern}”的花括号不成对") from exc
    return [(name, spec or "") for _lit, name, spec, _conv in parsed if name is not None]


def validate_pattern(pattern: str) -> str:
    """Return the pattern when it is usable; otherwise raise IndexNoPatternError."""
    if not pattern or len(pattern) > 80:
        raise IndexNoPatternError("索引号规则不能为空，且不超过80个字符")
    fields = _fields(pattern)
    names = [name for name, _ in fields]
    for name, spec in fields:
        if name not in PLACEHOLDERS:
            raise IndexNoPatternError(
                f"索引号规则中的“{{{name}}}”无法识别，可用："
                + "、".join(f"{{{p}}}" for p in PLACEHOLDERS)
            )
        if spec and (name != "seq" or not _SEQ_SPEC.match(spec)):
            raise IndexNoPatternError(
                f"索引号规则中“{{{name}:{spec}}}”的格式无法识别（序号可写作{{seq:05d}}）"
            )
    if names.count("seq") != 1:
        raise IndexNoPatternError("索引号规则必须且只能包含一个序号{seq}，否则无法保证唯一")
    if "prefix" not in names:
        raise IndexNoPatternError("索引号规则必须包含机关代码{prefix}，否则不同机关的索引号会重复")
    return pattern


def period_key(pattern: str, on: date) -> str:
    """The counter the sequence belongs to: ``"201810"`` (monthly), ``"2018"`` or ``""``."""
    names = {name for name, _ in _fields(pattern)}
    if names & {"mm", "yyyymm"}:
        return f"{on.year:04d}{on.month:02d}"
    if names & {"yyyy", "yy"}:
        return f"{on.year:04d}"
    return ""


def format_index_no(pattern: str, *, prefix: str, on: date, seq: int) -> str:
    """Fill the pattern. ``seq`` starts at 1."""
    if seq < 1:
        raise IndexNoPatternError("索引号序号从1开始")
    if not prefix:
        raise IndexNoPatternError("机关既没有统一社会信用代码也没有组织机构代码，无法生成索引号")
    values = {
        "prefix": prefix,
        "yyyy": f"{on.year:04d}",
        "yy": f"{on.year % 100:02d}",
        "mm": f"{on.month:02d}",
        "yyyymm": f"{on.year:04d}{on.month:02d}",
    }
    out = []
    for literal, name, spec, _conv in string.Formatter().parse(pattern):
        out.append(literal)
        if name is None:
            continue
        if name == "seq":
            out.append(format(seq, spec or "d"))
        else:
            out.append(values[name])
    return "".join(out)


# What people type when they look a document up by its 索引号: an agency code of 9 (org code,
# dash optional) or 18 (USCC) characters, a slash, a period and a sequence.
_INDEX_NO = re.compile(r"^(?:[0-9A-Z]{18}|[0-9A-Z]{8}-?[0-9A-Z])/\d{4}(?:\d{2})?-\d{1,6}$")


def looks_like_index_no(text: str) -> bool:
    return bool(_INDEX_NO.match(normalise_index_no(text)))


def normalise_index_no(text: str) -> str:
    return text.strip().upper().replace("／", "/").replace("－", "-")
