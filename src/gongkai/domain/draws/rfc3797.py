"""RFC 3797 (Publicly Verifiable Nominations Committee Random Selection), exactly.

§4: each source's values are sorted ascending as numbers, written in decimal without leading
zeros, each followed by ``.``; each source ends with ``/``; sources are joined in their
announced order. §5 / Appendix: for i = 0, 1, 2, … the two-byte big-endian counter c = i gives
MD5(c ‖ key ‖ c), read as an unsigned big-endian integer; r = digest mod (P − i) and the pick
is the (r + 1)-th still unselected pool member in list order.

The selection uses a Fenwick tree, so picking k of P costs O(k log P) instead of O(k·P).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_SELECTIONS = 65536  # the counter is two bytes

_TOKEN = re.compile(r"[\s,，、;；]+")


class Rfc3797Error(ValueError):
    """Bad input to the RFC 3797 procedure (Chinese message)."""


def parse_numbers(text: str) -> list[int]:
    """The non-negative integers of one source, as an operator types them ("2 5 12 8 10")."""
    tokens = [t for t in _TOKEN.split(text.strip()) if t]
    if not tokens:
        raise Rfc3797Error("随机源数值为空")
    values = []
    for token in tokens:
        if not token.isascii() or not token.isdigit():
            raise Rfc3797Error(f"随机源数值“{token}”不是非负整数")
        values.append(int(token))
    return values


def canonical_key(sources: Sequence[Sequence[int]]) -> str:
    """The RFC 3797 §4 key string of the sources, in their announced order."""
    if not sources:
        raise Rfc3797Error("至少需要一个随机源")
    parts = []
    for values in sources:
        if not values:
            raise Rfc3797Error("随机源数值为空")
        if any(v < 0 for v in values):
            raise Rfc3797Error("随机源数值不能为负数")
        parts.append("".join(f"{v}." for v in sorted(values)) + "/")
    return "".join(parts)


def rfc3797_digest(key: str, index: int) -> bytes:
    """MD5(c ‖ key ‖ c) with c the two-byte big-endian ``index``."""
    counter = index.to_bytes(2, "big")
    return hashlib.md5(counter + key.encode("ascii") + counter, usedforsecurity=False).digest()


class _Fenwick:
    """Counts of still-unselected pool members, for the k-th remaining lookup."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.tree = [0] * (size + 1)
        for i in range(1, size + 1):
            self.tree[i] += 1
            parent = i + (i & -i)
            if parent <= size:
                self.tree[parent] += self.tree[i]
        self.top = 1 << (size.bit_length() - 1) if size else 0

    def take_kth(self, k: int) -> int:
        """Remove and return the 1-based position of the k-th remaining member."""
        pos = 0
        step = self.top
        while step:
            nxt = pos + step
            if nxt <= self.size and self.tree[nxt] < k:
                pos = nxt
                k -= self.tree[nxt]
            step >>= 1
        found = pos + 1
        i = found
        while i <= self.size:
            self.tree[i] -= 1
            i += i & -i
        return found


@dataclass(frozen=True)
class Rfc3797Step:
    index: int  # 1-based selection number
    digest_hex: str  # upper-case, as the RFC prints it
    remaining: int  # the divisor: pool members still unselected
    r: int  # digest mod remaining
    position: int  # 1-based pool position selected


def rfc3797_steps(key: str, pool: int, count: int) -> list[Rfc3797Step]:
    """Every selection step with its digest, for display next to the result."""
    if not key.isascii():
        raise Rfc3797Error("RFC 3797 密钥串只能包含 ASCII 字符")
    if pool < 1:
        raise Rfc3797Error("候选池人数应为正整数")
    if count < 0 or count > pool:
        raise Rfc3797Error(f"抽取人数应在 0 到 {pool} 之间")
    if count > MAX_SELECTIONS:
        raise Rfc3797Error(f"RFC 3797 的两字节计数器最多支持抽取 {MAX_SELECTIONS} 人")
    tree = _Fenwick(pool)
    steps = []
    for i in range(count):
        digest = rfc3797_digest(key, i)
        remaining = pool - i
        r = int.from_bytes(digest, "big") % remaining
        steps.append(Rfc3797Step(i + 1, digest.hex().upper(), remaining, r, tree.take_kth(r + 1)))
    return steps


def rfc3797_select(key: str, pool: int, count: int) -> list[int]:
    """The 1-based pool positions selected, in selection order."""
    return [step.position for step in rfc3797_steps(key, pool, count)]
