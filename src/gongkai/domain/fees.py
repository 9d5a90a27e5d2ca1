"""信息处理费 (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).

Disclosure is free by default (条例第四十二条); a fee is charged only when the quantity or
frequency of requests clearly exceeds a reasonable range. Two methods, both 超额累进
(progressive by excess), one per application, never both (办法第三条):

- 按件计收 (第四条): counted per applicant over one natural month; ≤ 10 件 free, 11–30 件
  100 元/件, from 31 件 each further band of 10 件 costs 100 元/件 more (31–40: 200, 41–50: 300 …).
- 按量计收 (第五条): counted per application by pages; ≤ 30 页 free, 31–100 页 10 元/页,
  101–200 页 20 元/页, from 201 页 40 元/页.

Tiers are data (administrators edit them as rows with validity dates); this module only
computes. Amounts are whole 元.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class FeeError(ValueError):
    """A tier table or a quantity is not usable; the message is Chinese."""


class FeeMethod(StrEnum):
    PER_ITEM = "per_item"  # 按件计收
    PER_PAGE = "per_page"  # 按量计收

    @property
    def label(self) -> str:
        return "按件计收" if self is FeeMethod.PER_ITEM else "按量计收"

    @property
    def unit(self) -> str:
        return "件" if self is FeeMethod.PER_ITEM else "页"


@dataclass(frozen=True)
class FeeTier:
    """Units ``lower``..``upper`` (inclusive; ``upper`` None = no limit) cost ``unit_price``.

    An open-ended tier may grow in bands: every ``step`` units the price rises by
    ``step_increase`` (按件计收 from 31 件: bands of 10, +100 元 each).
    """

    method: FeeMethod
    lower: int
    upper: int | None
    unit_price: int
    step: int | None = None
    step_increase: int = 0
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def price_of_unit(self, n: int) -> int:
        """Price of the n-th unit (1-based, counted over all tiers), assumed inside this tier."""
        if self.step and self.step_increase:
            band = (n - self.lower) // self.step
            return self.unit_price + band * self.step_increase
        return self.unit_price

    def describe(self) -> str:
        unit = self.method.unit
        span = (
            f"{self.lower}{unit}以上" if self.upper is None else f"{self.lower}—{self.upper}{unit}"
        )
        if self.unit_price == 0:
            return f"{span}：免费"
        text = f"{span}：每{unit}{self.unit_price}元"
        if self.step and self.step_increase:
            text += f"，此后每{self.step}{unit}为一档，每档每{unit}增加{self.step_increase}元"
        return text


_FROM_2021 = dt.date(2021, 1, 1)

NATIONAL_2020_TIERS: tuple[FeeTier, ...] = (
    FeeTier(FeeMethod.PER_ITEM, 1, 10, 0, valid_from=_FROM_2021),
    FeeTier(FeeMethod.PER_ITEM, 11, 30, 100, valid_from=_FROM_2021),
    FeeTier(FeeMethod.PER_ITEM, 31, None, 200, step=10, step_increase=100, valid_from=_FROM_2021),
    FeeTier(FeeMethod.PER_PAGE, 1, 30, 0, valid_from=_FROM_2021),
    FeeTier(FeeMethod.PER_PAGE, 31, 100, 10, valid_from=_FROM_2021),
    FeeTier(FeeMethod.PER_PAGE, 101, 200, 20, valid_from=_FROM_2021),
    FeeTier(FeeMethod.PER_PAGE, 201, None, 40, valid_from=_FROM_2021),
)


def tiers_for(method: FeeMethod, tiers: Sequence[FeeTier], on: dt.date) -> list[FeeTier]:
    """The tiers of ``method`` valid on ``on``, checked to cover 1..∞ without gaps."""
    chosen = sorted(
        (
            t
            for t in tiers
            if t.method == method
            and (t.valid_from is None or t.valid_from <= on)
            and (t.valid_to is None or on <= t.valid_to)
        ),
        key=lambda t: t.lower,
    )
    check_tiers(chosen)
    return chosen


def check_tiers(tiers: Sequence[FeeTier]) -> None:
    """Raise FeeError unless the tiers run 1, 2, … contiguously and only the last is open."""
    if not tiers:
        raise FeeError("未设置收费档次")
    expected = 1
    for index, tier in enumerate(tiers):
        if tier.lower != expected:
            raise FeeError(
                f"收费档次不连续：应从第{expected}{tier.method.unit}起，实为{tier.lower}"
            )
        if tier.unit_price < 0 or tier.step_increase < 0:
            raise FeeError("收费标准不能为负数")
        if tier.step is not None and tier.step <= 0:
            raise FeeError("分档步长必须为正数")
        if tier.upper is None:
            if index != len(tiers) - 1:
                raise FeeError("只有最后一档可以不设上限")
            return
        if tier.upper < tier.lower:
            raise FeeError(f"收费档次上限{tier.upper}小于下限{tier.lower}")
        expected = tier.upper + 1
    raise FeeError("最后一档必须不设上限")


def cumulative_fee(units: int, tiers: Sequence[FeeTier]) -> int:
    """Fee for ``units`` counted from the first unit (超额累进: each unit at its own tier)."""
    if units < 0:
        raise FeeError("数量不能为负数")
    total = 0
    for tier in tiers:
        if units < tier.lower:
            break
        last = units if tier.upper is None else min(units, tier.upper)
        if tier.step and tier.step_increase:
            n = tier.lower
            while n <= last:
                band_end = min(last, n + tier.step - 1 - (n - tier.lower) % tier.step)
                total += (band_end - n + 1) * tier.price_of_unit(n)
                n = band_end + 1
        else:
            total += (last - tier.lower + 1) * tier.unit_price
    return total


@dataclass(frozen=True)
class FeeLine:
    lower: int
    upper: int
    unit_price: int
    amount: int


@dataclass(frozen=True)
class FeeQuote:
    method: FeeMethod
    units: int  # units of this application
    prior_units: int  # units already counted for the applicant this month (按件 only)
    amount: int  # 元 for this application
    lines: tuple[FeeLine, ...]

    def explain(self) -> list[str]:
        unit = self.method.unit
        out = [f"计收方式：{self.method.label}"]
        if self.method is FeeMethod.PER_ITEM:
            out.append(
                f"本自然月此前已计{self.prior_units}{unit}，本申请计{self.units}{unit}，"
                f"累计第{self.prior_units + 1}—{self.prior_units + self.units}{unit}"
            )
        else:
            out.append(f"本申请共{self.units}{unit}")
        for line in self.lines:
            span = f"第{line.lower}—{line.upper}{unit}"
            if line.unit_price == 0:
                out.append(f"{span}：免费")
            else:
                out.append(
                    f"{span}：{line.upper - line.lower + 1}{unit}×{line.unit_price}元＝{line.amount}元"
                )
        out.append(f"应缴信息处理费：{self.amount}元")
        return out


def _lines(first: int, last: int, tiers: Sequence[FeeTier]) -> tuple[FeeLine, ...]:
    """Breakdown of units first..last by price."""
    lines: list[FeeLine] = []
    n = first
    while n <= last:
        tier = next(t for t in tiers if t.lower <= n and (t.upper is None or n <= t.upper))
        end = last if tier.upper is None else min(last, tier.upper)
        if tier.step and tier.step_increase:
            end = min(end, n + tier.step - 1 - (n - tier.lower) % tier.step)
        price = tier.price_of_unit(n)
        lines.append(FeeLine(n, end, price, (end - n + 1) * price))
        n = end + 1
    return tuple(lines)


def quote(
    method: FeeMethod, *, units: int, tiers: Sequence[FeeTier], prior_units: int = 0
) -> FeeQuote:
    """The fee for one application: 按件 marginal on the month's count, 按量 on its pages."""
    if units <= 0:
        raise FeeError(f"计费数量应为正整数（{method.unit}）")
    if prior_units < 0:
        raise FeeError("本月已计件数不能为负数")
    if method is FeeMethod.PER_PAGE:
        prior_units = 0
    amount = cumulative_fee(prior_units + units, tiers) - cumulative_fee(prior_units, tiers)
    lines = _lines(prior_units + 1, prior_units + units, tiers)
    return FeeQuote(method, units, prior_units, amount, lines)
