"""How many to draw from each stratum.

Ratios are exact decimals ("0.05"); no floating point is involved anywhere.

- ``ratio`` mode: for each risk class c, n_c = min(N_c, ⌈N_c · r_c⌉) (round up, so a
  non-empty class with a positive ratio is never skipped); n_c is then split over the class's
  strata (district × industry) by the largest-remainder (Hamilton) method.
- ``count`` mode: a fixed total n is split over all strata by the largest-remainder method.

Largest remainder: quota q_h = n · N_h / N; each stratum gets ⌊q_h⌋; the seats left go one
each to the strata with the largest fractional parts, ties broken by SHA-256 of
"gongkai-draw-v1/tiebreak/" ‖ stratum id (ascending) and then the id — a rule fixed before the
random source exists, so the whole allocation is published with the commitment.

Standby (候补): s_h = min(N_h − n_h, ⌈n_h · standby_ratio⌉).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from math import ceil, floor

from gongkai.domain.draws.keyed import tiebreak_order


class AllocationError(ValueError):
    """Rules that cannot be applied (Chinese message)."""


def parse_ratio(text: str, *, what: str = "比例") -> Fraction:
    """An exact ratio from a decimal string between 0 and 1 ("0.05"; "5%" is accepted too)."""
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = Decimal(raw[:-1] if percent else raw)
    except InvalidOperation as exc:
        raise AllocationError(f"{what}“{text}”不是数字") from exc
    if not value.is_finite():
        raise AllocationError(f"{what}“{text}”不是有限数字")
    ratio = Fraction(value) / (100 if percent else 1)
    if ratio < 0 or ratio > 1:
        raise AllocationError(f"{what}应在 0 到 1（0% 到 100%）之间，实为“{text}”")
    return ratio


def ratio_text(ratio: Fraction) -> str:
    """The canonical decimal text of a ratio as commitments write it ("0.05", "1", "0")."""
    rest, twos, fives = ratio.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        raise AllocationError("比例必须是有限小数")
    digits = max(twos, fives)
    scaled = ratio.numerator * 10**digits // ratio.denominator
    text = str(scaled).rjust(digits + 1, "0")
    if digits:
        text = f"{text[:-digits]}.{text[-digits:]}".rstrip("0").rstrip(".")
    return text


def ceil_share(size: int, ratio: Fraction) -> int:
    return min(size, ceil(size * ratio))


def largest_remainder(total: int, sizes: Mapping[str, int]) -> dict[str, int]:
    """Split ``total`` over strata proportionally to ``sizes`` (Hamilton method)."""
    population = sum(sizes.values())
    if total < 0 or total > population:
        raise AllocationError(f"抽取数量 {total} 超出对象总数 {population}")
    if population == 0:
        return {key: 0 for key in sizes}
    quotas = {key: Fraction(total * size, population) for key, size in sizes.items()}
    seats = {key: floor(q) for key, q in quotas.items()}
    left = total - sum(seats.values())
    order = sorted(
        sizes,
        key=lambda key: (-(quotas[key] - seats[key]), tiebreak_order(key), key),
    )
    for key in order[:left]:
        seats[key] += 1
    return seats


def allocate(
    strata: Mapping[str, tuple[str, int]],
    *,
    mode: str,
    ratios: Mapping[str, Fraction] | None = None,
    count: int | None = None,
) -> dict[str, int]:
    """Seats per stratum. ``strata`` maps stratum id → (risk class, population)."""
    if mode == "count":
        if count is None:
            raise AllocationError("按数量抽取时必须给出抽取总数")
        return largest_remainder(count, {key: size for key, (_risk, size) in strata.items()})
    if mode != "ratio":
        raise AllocationError(f"未知的分配方式“{mode}”")
    if ratios is None:
        raise AllocationError("按比例抽取时必须给出各风险等级的比例")
    by_class: dict[str, dict[str, int]] = {}
    for key, (risk, size) in strata.items():
        by_class.setdefault(risk, {})[key] = size
    seats: dict[str, int] = {}
    for risk, members in sorted(by_class.items()):
        if risk not in ratios:
            raise AllocationError(f"细则未规定风险等级 {risk} 的抽查比例")
        class_total = ceil_share(sum(members.values()), ratios[risk])
        seats.update(largest_remainder(class_total, members))
    return seats


def standby_count(size: int, seats: int, standby_ratio: Fraction) -> int:
    return min(size - seats, ceil(seats * standby_ratio))
