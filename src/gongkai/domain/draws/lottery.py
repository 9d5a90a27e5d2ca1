"""保障房摇号: ordering applicants with the same commitment and verification as 双随机.

Groups (e.g. 优先保障家庭, 一般家庭) are processed in the announced order; inside a group,
applicants are ordered by ticket = HMAC-SHA256(subkey(seed, "applicants/" ‖ group id),
UTF-8(application number)), smallest first. Sequence numbers (顺序号) continue across groups;
the first ``units`` applicants of a group are 入围, the rest wait (轮候) in order.

The public documents carry the application number and a masked name only (张*明); identity
numbers never enter a commitment or a record.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.domain.draws.inspection import ALGORITHM, COMMITMENT_SCHEMA, DrawInputError
from gongkai.domain.draws.keyed import ranked, subkey
from gongkai.domain.draws.sources import SourceSpec


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜: first and last character kept."""
    text = "".join(name.split())
    if len(text) <= 1:
        return "*" if text else ""
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


@dataclass(frozen=True)
class Applicant:
    number: str  # 申请编号
    masked_name: str


@dataclass(frozen=True)
class LotteryGroup:
    id: str
    name: str
    units: int  # 房源套数 for this group
    applicants: Sequence[Applicant] = field(default_factory=tuple)


def build_lottery_commitment(
    *,
    header: Mapping[str, Any],
    groups: Sequence[LotteryGroup],
    sources: Sequence[SourceSpec],
    previous_record_hash: str | None = None,
) -> dict[str, Any]:
    if not sources:
        raise DrawInputError("冻结前必须指明至少一个将来公开的随机源")
    if not groups:
        raise DrawInputError("摇号至少需要一个申请人类别")
    seen_groups: set[str] = set()
    seen: set[str] = set()
    groups_json = []
    for group in groups:
        if not group.id or "/" in group.id or group.id in seen_groups:
            raise DrawInputError(f"类别编号“{group.id}”为空、重复或含有“/”")
        seen_groups.add(group.id)
        if group.units < 0:
            raise DrawInputError(f"类别“{group.name}”的房源套数不能为负数")
        rows = []
        for applicant in group.applicants:
            if not applicant.number or applicant.number in seen:
                raise DrawInputError(f"申请编号“{applicant.number}”为空或重复")
            seen.add(applicant.number)
            rows.append([applicant.number, applicant.masked_name])
        rows.sort()
        groups_json.append(
            {
                "id": group.id,
                "name": group.name,
                "units": group.units,
                "size": len(rows),
                "applicants": rows,
            }
        )
    if not seen:
        raise DrawInputError("没有参加摇号的申请人")
    return {
        "schema": COMMITMENT_SCHEMA,
        "algorithm": ALGORITHM,
        "kind": "lottery",
        "draw": dict(header),
        "groups": groups_json,
        "sources": [s.as_json() for s in sources],
        "previous_record_hash": previous_record_hash,
    }


def check_groups(commitment: Mapping[str, Any]) -> str | None:
    for group in commitment["groups"]:
        numbers = [row[0] for row in group["applicants"]]
        if group["size"] != len(numbers):
            return f"类别“{group['name']}”的人数 {group['size']} 与名单人数 {len(numbers)} 不符"
        if any(a >= b for a, b in itertools.pairwise(numbers)):
            return f"类别“{group['name']}”的名单未按申请编号排序或有重复"
    return None


def lottery_result(commitment: Mapping[str, Any], seed: bytes) -> dict[str, Any]:
    """Every group's applicants in draw order, with their tickets."""
    out = []
    for group in commitment["groups"]:
        order = ranked(
            subkey(seed, f"applicants/{group['id']}"), [row[0] for row in group["applicants"]]
        )
        out.append({"id": group["id"], "order": [[number, t.hex()] for t, number in order]})
    return {"groups": out}
