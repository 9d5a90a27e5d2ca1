"""Draw records: the published result of a draw, and their offline verification.

A record holds the whole commitment, the observed source values, the derived key string and
seed, the result, and hashes of the commitment, the result and the record itself. Anyone can
recompute everything in it from the commitment and the observed values (docs/adr/0060).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.domain.draws.canonical import document_hash
from gongkai.domain.draws.inspection import ALGORITHM, check_allocation, inspection_result
from gongkai.domain.draws.keyed import derive_seed
from gongkai.domain.draws.lottery import check_groups, lottery_result
from gongkai.domain.draws.sources import SourceError, SourceSpec, key_string, normalize_observed

RECORD_SCHEMA = "gongkai.draw.record/1"


def commitment_hash(commitment: Mapping[str, Any]) -> str:
    return document_hash(commitment, check=False)


def compute_result(commitment: Mapping[str, Any], seed: bytes) -> dict[str, Any]:
    if commitment.get("kind") == "lottery":
        return lottery_result(commitment, seed)
    return inspection_result(commitment, seed)


def build_record(
    commitment: Mapping[str, Any],
    observed: Sequence[str],
    *,
    drawn_at: str,
    engine: Mapping[str, str],
) -> dict[str, Any]:
    """Run the draw: observed values (as typed, in announced order) → the record."""
    specs = [SourceSpec.from_json(s) for s in commitment["sources"]]
    if len(observed) != len(specs):
        raise SourceError(f"应输入 {len(specs)} 个随机源的数值，实际 {len(observed)} 个")
    values = [normalize_observed(spec, text) for spec, text in zip(specs, observed, strict=True)]
    key = key_string(specs, values)
    c_hash = commitment_hash(commitment)
    seed = derive_seed(c_hash, key)
    result = compute_result(commitment, seed)
    record: dict[str, Any] = {
        "schema": RECORD_SCHEMA,
        "algorithm": ALGORITHM,
        "commitment": commitment,
        "commitment_hash": c_hash,
        "observed": [{"name": s.name, "value": v} for s, v in zip(specs, values, strict=True)],
        "key_string": key,
        "seed": seed.hex(),
        "result": result,
        "result_hash": document_hash(result, check=False),
        "drawn_at": drawn_at,
        "engine": dict(engine),
    }
    record["record_hash"] = record_hash(record)
    return record


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 of the record without its ``commitment`` body (bound by ``commitment_hash``) and
    without ``record_hash`` itself."""
    body = {k: v for k, v in record.items() if k not in ("commitment", "record_hash")}
    return document_hash(body, check=False)


@dataclass
class Verification:
    ok: bool
    checks: list[str] = field(default_factory=list)  # what was checked, in order
    difference: str = ""  # the first difference found, in Chinese

    def line(self) -> str:
        return "OK" if self.ok else f"不一致：{self.difference}"


def _first_result_difference(kept: Mapping[str, Any], again: Mapping[str, Any]) -> str:
    for name in ("strata", "groups"):
        for index, (a, b) in enumerate(zip(kept.get(name, []), again.get(name, []), strict=False)):
            if a == b:
                continue
            label = "分层" if name == "strata" else "类别"
            for part in ("selected", "standby", "order"):
                for pos, (x, y) in enumerate(zip(a.get(part, []), b.get(part, []), strict=False)):
                    if x != y:
                        return f"{label}“{b['id']}”第 {pos + 1} 位：记录为 {x[0]}，重算为 {y[0]}"
                if len(a.get(part, [])) != len(b.get(part, [])):
                    return f"{label}“{b['id']}”的人数不同"
            return f"{label}第 {index + 1} 项（“{b['id']}”）不同"
        if len(kept.get(name, [])) != len(again.get(name, [])):
            return "结果的分层或类别数目不同"
    for index, (a, b) in enumerate(
        zip(kept.get("assignments", []), again.get("assignments", []), strict=False)
    ):
        if a != b:
            return (
                f"第 {index + 1} 个检查对象 {b['entity']} 的执法人员：记录为 "
                f"{'、'.join(a.get('inspectors', []))}，重算为 {'、'.join(b['inspectors'])}"
            )
    if len(kept.get("assignments", [])) != len(again.get("assignments", [])):
        return "执法人员分配的条数不同"
    return "结果内容不同"


def verify_record(
    record: Mapping[str, Any], *, expected_commitment_hash: str | None = None
) -> Verification:
    """Recompute a published record; report OK or the first difference."""
    out = Verification(ok=False)

    def fail(message: str) -> Verification:
        out.difference = message
        return out

    if record.get("schema") != RECORD_SCHEMA:
        return fail(f"不是抽取记录文件（schema 应为 {RECORD_SCHEMA}）")
    commitment = record["commitment"]
    if commitment.get("algorithm") != ALGORITHM or record.get("algorithm") != ALGORITHM:
        return fail(f"算法版本不是 {ALGORITHM}，本程序无法复算")
    c_hash = commitment_hash(commitment)
    if c_hash != record["commitment_hash"]:
        return fail(
            f"承诺内容的哈希为 {c_hash}，与记录中的承诺哈希 {record['commitment_hash']} 不符"
            "（候选名单、规则或随机源说明被改动过）"
        )
    out.checks.append(f"承诺哈希 {c_hash}")
    if expected_commitment_hash is not None and c_hash != expected_commitment_hash.lower():
        return fail(f"承诺哈希 {c_hash} 与事先公布的 {expected_commitment_hash} 不符")
    problem = (
        check_groups(commitment)
        if commitment["kind"] == "lottery"
        else check_allocation(commitment)
    )
    if problem:
        return fail(problem)
    out.checks.append(
        "分层人数与分配数复算一致" if commitment["kind"] != "lottery" else "各类别名单完整"
    )
    specs = [SourceSpec.from_json(s) for s in commitment["sources"]]
    observed = record["observed"]
    if [o["name"] for o in observed] != [s.name for s in specs]:
        return fail("随机源的名称或顺序与承诺不符")
    try:
        key = key_string(specs, [o["value"] for o in observed])
    except SourceError as exc:
        return fail(str(exc))
    if key != record["key_string"]:
        return fail(f"随机源数值的规范串应为 {key}，记录中为 {record['key_string']}")
    out.checks.append(f"随机源规范串 {key}")
    seed = derive_seed(c_hash, key)
    if seed.hex() != record["seed"]:
        return fail(f"种子应为 {seed.hex()}，记录中为 {record['seed']}")
    again = compute_result(commitment, seed)
    if again != record["result"]:
        return fail(_first_result_difference(record["result"], again))
    out.checks.append("抽取结果复算一致")
    r_hash = document_hash(again, check=False)
    if r_hash != record["result_hash"]:
        return fail(f"结果哈希应为 {r_hash}，记录中为 {record['result_hash']}")
    rec_hash = record_hash(record)
    if rec_hash != record.get("record_hash"):
        return fail(f"记录哈希应为 {rec_hash}，记录中为 {record.get('record_hash')}")
    out.checks.append(f"记录哈希 {rec_hash}")
    out.ok = True
    return out


def commitment_part_hashes(commitment: Mapping[str, Any]) -> dict[str, str]:
    """Hashes of the parts of a commitment, as the portal lists them (informational: the
    commitment hash covers them all). Each is SHA-256 of the canonical JSON of that part."""
    if commitment.get("kind") == "lottery":
        return {
            "candidates": document_hash(commitment["groups"], check=False),
            "sources": document_hash(commitment["sources"], check=False),
        }
    return {
        "candidates": document_hash(commitment["strata"], check=False),
        "inspectors": document_hash(
            {
                "inspectors": commitment["inspectors"],
                "conflicts": commitment["conflicts"],
                "history_pairs": commitment["history_pairs"],
                "team": commitment["team"],
            },
            check=False,
        ),
        "rules": document_hash(commitment["rules"], check=False),
        "sources": document_hash(commitment["sources"], check=False),
    }
