"""Public random sources: what is announced before the draw, and how observed values encode.

A source is announced at freeze time (name, where and when it will be published, its kind and
how many values it has); after it is published an operator enters the observed values. Both
kinds encode into the RFC 3797 key string:

- ``numbers``: non-negative decimal integers (a lottery's balls, a stock index in hundredths);
- ``hex``: one hexadecimal value (a drand round's randomness, a NIST Beacon outputValue), read
  as one unsigned big-endian integer and written in decimal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from gongkai.domain.draws.canonical import nfc
from gongkai.domain.draws.rfc3797 import Rfc3797Error, canonical_key, parse_numbers

_HEX = re.compile(r"^(0x)?[0-9a-fA-F]+$")


class SourceError(ValueError):
    """Observed values do not match what was announced (Chinese message)."""


class SourceKind(StrEnum):
    NUMBERS = "numbers"
    HEX = "hex"

    @property
    def label(self) -> str:
        return "一组整数" if self is SourceKind.NUMBERS else "十六进制数值"


@dataclass(frozen=True)
class SourceSpec:
    """An announced future source, e.g. 中国福利彩票双色球第2026138期 红球."""

    name: str
    description: str  # where and how it is published, in words
    expected_on: str  # ISO date the value is expected
    kind: SourceKind = SourceKind.NUMBERS
    count: int | None = None  # how many values (numbers); None: any
    minimum: int | None = None
    maximum: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "expected_on": self.expected_on,
            "kind": self.kind.value,
            "count": self.count,
            "min": self.minimum,
            "max": self.maximum,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceSpec:
        return cls(
            name=data["name"],
            description=data["description"],
            expected_on=data["expected_on"],
            kind=SourceKind(data["kind"]),
            count=data.get("count"),
            minimum=data.get("min"),
            maximum=data.get("max"),
        )


def source_values(spec: SourceSpec, text: str) -> list[int]:
    """Parse what an operator typed for ``spec``; raise SourceError naming the source."""
    text = nfc(text)
    if spec.kind is SourceKind.HEX:
        if not _HEX.match(text):
            raise SourceError(f"随机源“{spec.name}”应为一个十六进制数值")
        return [int(text[2:] if text.lower().startswith("0x") else text, 16)]
    try:
        values = parse_numbers(text)
    except Rfc3797Error as exc:
        raise SourceError(f"随机源“{spec.name}”：{exc}") from exc
    if spec.count is not None and len(values) != spec.count:
        raise SourceError(f"随机源“{spec.name}”应有 {spec.count} 个数值，实际输入 {len(values)} 个")
    for value in values:
        if spec.minimum is not None and value < spec.minimum:
            raise SourceError(f"随机源“{spec.name}”的数值 {value} 小于下限 {spec.minimum}")
        if spec.maximum is not None and value > spec.maximum:
            raise SourceError(f"随机源“{spec.name}”的数值 {value} 大于上限 {spec.maximum}")
    return values


def normalize_observed(spec: SourceSpec, text: str) -> str:
    """The observed value as a record keeps it: numbers space-separated in the order given,
    hexadecimal in lower case without ``0x`` (leading zeros kept)."""
    values = source_values(spec, text)
    if spec.kind is SourceKind.HEX:
        raw = nfc(text).lower()
        return raw[2:] if raw.startswith("0x") else raw
    return " ".join(str(v) for v in values)


def key_string(specs: Sequence[SourceSpec], observed: Sequence[str]) -> str:
    """The RFC 3797 key string of the observed values (announced order of ``specs``)."""
    if len(specs) != len(observed):
        raise SourceError(f"应输入 {len(specs)} 个随机源的数值，实际 {len(observed)} 个")
    return canonical_key(
        [source_values(spec, text) for spec, text in zip(specs, observed, strict=True)]
    )
