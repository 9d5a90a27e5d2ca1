"""递补: replacing drawn entities that cannot be inspected, recomputable from the record.

A substitution names the drawn entity it replaces and the conflicts declared since the draw
for the entity that takes its place. Everything else follows from the published record
(docs/adr/0065):

- the substitute is the first standby of the replaced entity's stratum, in the record's
  order, that has not taken a place yet;
- its team is :func:`~gongkai.domain.draws.assignment.substitute_team` over the teams as they
  stand after the earlier substitutions.

:func:`replay` recomputes a task's substitutions in order; the service uses it to make the
next one, and the standalone verifier implements the same steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.domain.draws.assignment import InspectorSpec, substitute_team
from gongkai.domain.draws.record import Verification

SUBSTITUTIONS_SCHEMA = "gongkai.draw.substitutions/1"
FIELD_LABELS = {
    "substitute": "递补对象",
    "stratum": "分层",
    "rank": "层内排序",
    "team": "检查组",
    "unfilled": "未配足的部门",
}


class SubstitutionError(ValueError):
    """The substitution is not possible (Chinese message)."""


class StandbyExhausted(SubstitutionError):
    """Every standby of the stratum has taken a place already."""


@dataclass(frozen=True)
class Substitution:
    replaced: str
    substitute: str
    stratum: str
    rank: int  # place in the stratum's drawn order (its seats first, then the standby), from 1
    team: tuple[str, ...]
    unfilled: tuple[str, ...]
    conflicts: tuple[tuple[str, str], ...] = ()  # declared since the draw, for the substitute

    def as_json(self) -> dict[str, Any]:
        return {
            "replaced": self.replaced,
            "substitute": self.substitute,
            "stratum": self.stratum,
            "rank": self.rank,
            "team": list(self.team),
            "unfilled": list(self.unfilled),
            "conflicts": [list(c) for c in self.conflicts],
        }


class SubstitutionState:
    """The drawn entities, their teams and the unused standby, as substitutions change them."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        commitment = record["commitment"]
        self.commitment = commitment
        self.seed = bytes.fromhex(record["seed"])
        self.inspectors = [InspectorSpec.from_json(i) for i in commitment["inspectors"]]
        self.district = {s["id"]: s["district"] for s in commitment["strata"]}
        self.stratum_of: dict[str, str] = {}
        self.standby: dict[str, list[str]] = {}
        self.seats: dict[str, int] = {}
        for s in record["result"]["strata"]:
            for entity, _ticket in s["selected"]:
                self.stratum_of[entity] = s["id"]
            self.standby[s["id"]] = [entity for entity, _ticket in s["standby"]]
            self.seats[s["id"]] = len(s["selected"])
        self.used: dict[str, int] = {key: 0 for key in self.standby}
        self.teams: dict[str, tuple[str, ...]] = {
            a["entity"]: tuple(a["inspectors"]) for a in record["result"]["assignments"]
        }

    def upcoming(self, replaced: str) -> str:
        """The standby that would take ``replaced``'s place."""
        if replaced not in self.teams:
            raise SubstitutionError(f"{replaced} 不在当前抽中名单中")
        stratum = self.stratum_of[replaced]
        position = self.used[stratum]
        if position >= len(self.standby[stratum]):
            raise StandbyExhausted(f"分层“{stratum}”的候补名单已用完")
        return self.standby[stratum][position]

    def next(self, replaced: str, conflicts: Sequence[tuple[str, str]]) -> Substitution:
        substitute = self.upcoming(replaced)
        stratum = self.stratum_of[replaced]
        position = self.used[stratum]
        loads: dict[str, int] = {}
        for entity, team in self.teams.items():
            if entity != replaced:
                for inspector in team:
                    loads[inspector] = loads.get(inspector, 0) + 1
        commitment = self.commitment
        assignment = substitute_team(
            self.seed,
            self.inspectors,
            departments=commitment["team"]["departments"],
            size=commitment["team"]["size"],
            entity=(substitute, self.district[stratum]),
            previous=self.teams[replaced],
            loads=loads,
            conflicts=[(a, b) for a, b in commitment["conflicts"]] + list(conflicts),
            history_pairs=[(e, a, b) for e, a, b in commitment["history_pairs"]],
        )
        self.used[stratum] += 1
        del self.teams[replaced]
        self.teams[substitute] = assignment.inspectors
        self.stratum_of[substitute] = stratum
        return Substitution(
            replaced=replaced,
            substitute=substitute,
            stratum=stratum,
            rank=self.seats[stratum] + position + 1,
            team=assignment.inspectors,
            unfilled=assignment.unfilled,
            conflicts=tuple((a, b) for a, b in conflicts),
        )


def replay(
    record: Mapping[str, Any], steps: Sequence[tuple[str, Sequence[tuple[str, str]]]]
) -> list[Substitution]:
    """The substitutions ``steps`` ((replaced, conflicts declared since)) make, in order."""
    state = SubstitutionState(record)
    return [state.next(replaced, conflicts) for replaced, conflicts in steps]


def first_difference(record: Mapping[str, Any], published: Sequence[Mapping[str, Any]]) -> str:
    """ "" when every published substitution is what the record and the earlier ones give;
    otherwise the first difference, in Chinese."""
    state = SubstitutionState(record)
    for n, entry in enumerate(published, start=1):
        try:
            again = state.next(entry["replaced"], [(a, b) for a, b in entry.get("conflicts", [])])
        except SubstitutionError as exc:
            return f"第 {n} 次递补：{exc}"
        for field, label in FIELD_LABELS.items():
            expected = again.as_json()[field]
            if entry.get(field) != expected:
                return f"第 {n} 次递补的{label}：公布为 {entry.get(field)}，复算为 {expected}"
    return ""


def verify_substitutions(
    record: Mapping[str, Any], document: Mapping[str, Any], into: Verification | None = None
) -> Verification:
    """Check a published substitutions file against its (verified) record; the checks are
    added to ``into`` (the record's verification) when given."""
    out = into or Verification(ok=True)
    if document.get("schema") != SUBSTITUTIONS_SCHEMA:
        out.ok, out.difference = False, "不是递补记录文件"
    elif document.get("record_hash") != record.get("record_hash"):
        out.ok, out.difference = False, "递补记录所属的抽取记录哈希与本记录不符"
    else:
        entries = document.get("substitutions") or []
        difference = first_difference(record, entries)
        if difference:
            out.ok, out.difference = False, difference
        else:
            out.checks.append(f"递补 {len(entries)} 次：候补顺序和检查组复算一致")
    return out
