"""双随机 draws: the commitment published at freeze time, and the result computed from it.

The commitment is a canonical JSON document (see docs/adr/0060) holding everything the result
depends on: the strata with their sorted candidate ids and seat counts, the rules, the
inspectors with their recusal areas, declared conflicts, past pairs, the team composition and
the announced random sources. The result is a pure function of the commitment and the seed.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.domain.draws.allocation import (
    AllocationError,
    allocate,
    parse_ratio,
    ratio_text,
    standby_count,
)
from gongkai.domain.draws.assignment import InspectorSpec, assign_inspectors, slot_departments
from gongkai.domain.draws.keyed import ranked, subkey
from gongkai.domain.draws.sources import SourceSpec

ALGORITHM = "gongkai-keyed-v1"
COMMITMENT_SCHEMA = "gongkai.draw.commitment/1"
RISK_CLASSES = ("A", "B", "C", "D")
ANY = "*"


class DrawInputError(ValueError):
    """The inputs of a draw are inconsistent (Chinese message)."""


@dataclass(frozen=True)
class Candidate:
    id: str  # 统一社会信用代码
    district: str
    industry: str
    risk: str  # A/B/C/D


@dataclass(frozen=True)
class InspectionRules:
    mode: str = "ratio"  # "ratio": per risk class; "count": a fixed total
    ratios: Mapping[str, str] | None = None  # risk class → decimal text
    count: int | None = None
    by_industry: bool = False
    standby_ratio: str = "0"
    min_inspectors: int = 2
    recuse_same_residence: bool = True
    avoid_repeat_pairs: bool = True

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "ratios": {
                k: ratio_text(parse_ratio(v)) for k, v in sorted((self.ratios or {}).items())
            },
            "count": self.count,
            "stratify_by": ["risk", "district", "industry"]
            if self.by_industry
            else ["risk", "district"],
            "rounding": "ceil" if self.mode == "ratio" else "largest_remainder",
            "allocation": "largest_remainder",
            "standby_ratio": ratio_text(parse_ratio(self.standby_ratio)),
            "min_inspectors": self.min_inspectors,
            "recusal": {
                "same_residence": self.recuse_same_residence,
                "declared_conflicts": True,
                "repeat_pair": self.avoid_repeat_pairs,
            },
        }


def stratum_id(risk: str, district: str, industry: str) -> str:
    return f"{risk}/{district}/{industry}"


def _check_part(value: str, what: str, candidate: str) -> str:
    if not value or "/" in value:
        raise DrawInputError(f"对象“{candidate}”的{what}为空或含有“/”")
    return value


def build_strata(
    candidates: Iterable[Candidate], *, by_industry: bool
) -> dict[str, dict[str, Any]]:
    strata: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for cand in candidates:
        if not cand.id or cand.id in seen:
            raise DrawInputError(f"候选对象“{cand.id}”重复或为空")
        seen.add(cand.id)
        risk = _check_part(cand.risk, "风险等级", cand.id)
        district = _check_part(cand.district, "所属区县", cand.id)
        industry = _check_part(cand.industry, "行业", cand.id) if by_industry else ANY
        key = stratum_id(risk, district, industry)
        stratum = strata.get(key)
        if stratum is None:
            stratum = strata[key] = {
                "id": key,
                "risk": risk,
                "district": district,
                "industry": industry,
                "candidates": [],
            }
        stratum["candidates"].append(cand.id)
    return strata


def build_inspection_commitment(
    *,
    header: Mapping[str, Any],
    candidates: Iterable[Candidate],
    rules: InspectionRules,
    inspectors: Sequence[InspectorSpec],
    departments: Sequence[str],
    sources: Sequence[SourceSpec],
    conflicts: Collection[tuple[str, str]] = (),
    history_pairs: Collection[tuple[str, str, str]] = (),
    previous_record_hash: str | None = None,
) -> dict[str, Any]:
    """The commitment of a 双随机 draw; raises DrawInputError/AllocationError on bad input."""
    if not sources:
        raise DrawInputError("冻结前必须指明至少一个将来公开的随机源")
    if rules.min_inspectors < 2:
        raise DrawInputError("每个检查对象至少应派两名执法人员")
    team_size = max(rules.min_inspectors, len(departments))
    slot_departments(departments, team_size)
    if len(set(departments)) != len(departments):
        raise DrawInputError("联合检查部门重复")
    strata = build_strata(candidates, by_industry=rules.by_industry)
    if not strata:
        raise DrawInputError("按筛选条件没有可抽取的检查对象")
    ratios = {
        k: parse_ratio(v, what=f"风险等级 {k} 的抽查比例") for k, v in (rules.ratios or {}).items()
    }
    seats = allocate(
        {key: (s["risk"], len(s["candidates"])) for key, s in strata.items()},
        mode=rules.mode,
        ratios=ratios,
        count=rules.count,
    )
    standby = parse_ratio(rules.standby_ratio, what="候补比例")
    strata_json = []
    for key in sorted(strata):
        stratum = strata[key]
        stratum["candidates"].sort()
        size = len(stratum["candidates"])
        stratum["size"] = size
        stratum["seats"] = seats[key]
        stratum["standby"] = standby_count(size, seats[key], standby)
        strata_json.append(stratum)
    inspector_ids = {i.id for i in inspectors}
    for inspector_id, _entity_id in conflicts:
        if inspector_id not in inspector_ids:
            raise DrawInputError(f"回避名单中的执法证号“{inspector_id}”不在执法人员名单中")
    return {
        "schema": COMMITMENT_SCHEMA,
        "algorithm": ALGORITHM,
        "kind": "inspection",
        "draw": dict(header),
        "rules": rules.as_json(),
        "strata": strata_json,
        "team": {"departments": list(departments), "size": team_size},
        "inspectors": [i.as_json() for i in sorted(inspectors, key=lambda i: i.id)],
        "conflicts": sorted([list(c) for c in set(conflicts)]),
        "history_pairs": sorted(
            [[e, *sorted((a, b))] for e, a, b in set(history_pairs)]
            if rules.avoid_repeat_pairs
            else []
        ),
        "sources": [s.as_json() for s in sources],
        "previous_record_hash": previous_record_hash,
    }


def check_allocation(commitment: Mapping[str, Any]) -> str | None:
    """Recompute every stratum's seats and standby from the committed rules; None when equal."""
    rules = commitment["rules"]
    strata = commitment["strata"]
    for s in strata:
        if s["size"] != len(s["candidates"]):
            return f"分层“{s['id']}”的对象数 {s['size']} 与名单人数 {len(s['candidates'])} 不符"
        names = s["candidates"]
        if any(a >= b for a, b in itertools.pairwise(names)):
            return f"分层“{s['id']}”的名单未按编号排序或有重复"
    try:
        seats = allocate(
            {s["id"]: (s["risk"], s["size"]) for s in strata},
            mode=rules["mode"],
            ratios={k: parse_ratio(v) for k, v in rules["ratios"].items()},
            count=rules["count"],
        )
        standby = parse_ratio(rules["standby_ratio"])
    except AllocationError as exc:
        return f"分配规则无法复算：{exc}"
    for s in strata:
        if s["seats"] != seats[s["id"]]:
            return f"分层“{s['id']}”应抽 {seats[s['id']]} 户，承诺中写的是 {s['seats']} 户"
        expected = standby_count(s["size"], s["seats"], standby)
        if s["standby"] != expected:
            return f"分层“{s['id']}”候补应为 {expected} 户，承诺中写的是 {s['standby']} 户"
    return None


def inspection_result(commitment: Mapping[str, Any], seed: bytes) -> dict[str, Any]:
    """Selected and standby entities per stratum, and every selected entity's team."""
    strata_out = []
    drawn: list[tuple[bytes, str, str]] = []
    for s in commitment["strata"]:
        if not s["seats"] and not s["standby"]:
            continue
        order = ranked(
            subkey(seed, f"entities/{s['id']}"), s["candidates"], s["seats"] + s["standby"]
        )
        chosen = order[: s["seats"]]
        reserve = order[s["seats"] : s["seats"] + s["standby"]]
        strata_out.append(
            {
                "id": s["id"],
                "selected": [[i, t.hex()] for t, i in chosen],
                "standby": [[i, t.hex()] for t, i in reserve],
            }
        )
        drawn.extend((t, i, s["district"]) for t, i in chosen)
    drawn.sort()
    team = commitment["team"]
    assignments = assign_inspectors(
        seed,
        [(entity, district) for _t, entity, district in drawn],
        [InspectorSpec.from_json(i) for i in commitment["inspectors"]],
        departments=team["departments"],
        size=team["size"],
        conflicts=[(a, b) for a, b in commitment["conflicts"]],
        history_pairs=[(e, a, b) for e, a, b in commitment["history_pairs"]],
    )
    return {"strata": strata_out, "assignments": [a.as_json() for a in assignments]}
