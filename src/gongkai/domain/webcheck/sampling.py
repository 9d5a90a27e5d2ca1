"""The half-monthly (≥ 30 %) and quarterly (all sites) samples, drawn by the platform's
verifiable draw engine (gongkai.domain.draws): the sites are one group of a draw commitment,
ordered by keyed tickets; the first ``seats`` are checked. ``gongkai draw verify`` re-runs the
record offline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from gongkai.domain.draws.lottery import Applicant, LotteryGroup, build_lottery_commitment
from gongkai.domain.draws.sources import SourceSpec

GROUP_ID = "sites"


def seats_for(size: int, ratio: Fraction) -> int:
    """ceil(size × ratio), at least one site when there are any."""
    if size <= 0:
        return 0
    return min(size, max(1, math.ceil(size * ratio)))


def build_sample_commitment(
    *,
    header: Mapping[str, Any],
    sites: Sequence[tuple[str, str]],  # (网站标识码, 网站名称)
    ratio: Fraction,
    sources: Sequence[SourceSpec],
    previous_record_hash: str | None = None,
) -> dict[str, Any]:
    group = LotteryGroup(
        id=GROUP_ID,
        name="政府网站",
        units=seats_for(len(sites), ratio),
        applicants=[Applicant(code, name) for code, name in sites],
    )
    return build_lottery_commitment(
        header={**header, "ratio": f"{ratio.numerator}/{ratio.denominator}"},
        groups=[group],
        sources=sources,
        previous_record_hash=previous_record_hash,
    )


def drawn_sites(record: Mapping[str, Any]) -> list[str]:
    """The site codes checked: the first ``units`` of the group's order."""
    groups = {g["id"]: g for g in record["commitment"]["groups"]}
    for result in record["result"]["groups"]:
        if result["id"] == GROUP_ID:
            units = int(groups[GROUP_ID]["units"])
            return [code for code, _ticket in result["order"][:units]]
    return []
