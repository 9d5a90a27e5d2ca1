"""Inspector assignment: at least two per entity, right departments, recusal, balanced load.

Deterministic from the draw seed (see docs/adr/0061). Entities are served in draw order (their
selection tickets ascending). Each entity has ``size`` slots; slot j belongs to department
``departments[j]`` for j < len(departments) and to ``departments[0]`` (the lead department)
after that. A slot of department d for entity e takes, among the inspectors of d who are

- responsible for e's district (their ``districts`` list is empty or contains it),
- not recused from e's district (``recused_districts``, e.g. the district they live in),
- not in a declared conflict with e,
- not already on e's team, and
- not forming, with a teammate already chosen, a pair that inspected e before,

the one with the smallest (load, rank, id), where load is the number of slots the inspector
has filled so far in this draw and rank = HMAC-SHA256(subkey(seed, "inspectors/" ‖ d),
UTF-8(id ‖ "/" ‖ decimal load)). Least-loaded first balances the work; the rank, fresh at each
load level, reshuffles the order every round so pairs do not repeat by construction. A slot
with no eligible inspector stays unfilled and the record says so.

The implementation keeps one heap per (department, district) plus one per department for
city-wide inspectors, with lazy deletion of stale entries, so 50,000 entities take well
under a second.
"""

from __future__ import annotations

import heapq
import hmac
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.domain.draws.keyed import subkey

ALL_DISTRICTS = ""


class AssignmentError(ValueError):
    """The team cannot be formed as the rules say (Chinese message)."""


@dataclass(frozen=True)
class InspectorSpec:
    id: str  # 执法证号
    name: str
    department: str  # department (agency) code
    districts: tuple[str, ...] = ()  # responsible districts; empty = the whole area
    recused_districts: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "department": self.department,
            "districts": sorted(self.districts),
            "recused_districts": sorted(self.recused_districts),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InspectorSpec:
        return cls(
            id=data["id"],
            name=data["name"],
            department=data["department"],
            districts=tuple(data["districts"]),
            recused_districts=tuple(data["recused_districts"]),
        )


@dataclass(frozen=True)
class Assignment:
    entity: str
    inspectors: tuple[str, ...]
    unfilled: tuple[str, ...]  # department of each slot left empty

    def as_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "inspectors": list(self.inspectors),
            "unfilled": list(self.unfilled),
        }


def slot_departments(departments: Sequence[str], size: int) -> list[str]:
    if not departments:
        raise AssignmentError("检查组至少需要一个部门")
    if size < len(departments):
        raise AssignmentError("检查组人数不能少于参加联合检查的部门数")
    return [departments[j] if j < len(departments) else departments[0] for j in range(size)]


def rank(key: bytes, inspector_id: str, load: int) -> bytes:
    return hmac.digest(key, f"{inspector_id}/{load}".encode(), "sha256")


def may_inspect(
    inspector_id: str,
    recused: Collection[str],
    entity_id: str,
    district: str,
    team: Sequence[str],
    conflicts: Collection[tuple[str, str]],
    pairs: Collection[tuple[str, str]] | None,
) -> bool:
    """The 0061 rules for one slot, beyond the department and the responsible districts: not
    recused from the entity's district, not on its team already, no declared conflict with it,
    and no teammate with whom the inspector checked it before (``pairs``: the entity's past
    pairs, each sorted)."""
    if district in recused or inspector_id in team:
        return False
    if (inspector_id, entity_id) in conflicts:
        return False
    if pairs:
        for mate in team:
            pair = (mate, inspector_id) if mate < inspector_id else (inspector_id, mate)
            if pair in pairs:
                return False
    return True


def assign_inspectors(
    seed: bytes,
    entities: Sequence[tuple[str, str]],
    inspectors: Sequence[InspectorSpec],
    *,
    departments: Sequence[str],
    size: int,
    conflicts: Collection[tuple[str, str]] = (),
    history_pairs: Collection[tuple[str, str, str]] = (),
) -> list[Assignment]:
    """Teams for ``entities`` ((id, district) in draw order)."""
    slots = slot_departments(departments, size)
    keys = {d: subkey(seed, f"inspectors/{d}") for d in set(slots)}
    by_id = {i.id: i for i in inspectors}
    if len(by_id) != len(inspectors):
        raise AssignmentError("执法人员名单中有重复的执法证号")
    conflict_set = set(conflicts)
    past_pairs: dict[str, set[tuple[str, str]]] = {}
    for entity_id, a, b in history_pairs:
        past_pairs.setdefault(entity_id, set()).add((a, b) if a < b else (b, a))
    recused = {i.id: frozenset(i.recused_districts) for i in inspectors}

    load: dict[str, int] = {}
    heaps: dict[tuple[str, str], list[tuple[int, bytes, str]]] = {}
    homes: dict[str, list[tuple[str, str]]] = {}
    for insp in sorted(inspectors, key=lambda i: i.id):
        if insp.department not in keys:
            continue
        load[insp.id] = 0
        areas = insp.districts or (ALL_DISTRICTS,)
        homes[insp.id] = [(insp.department, area) for area in sorted(set(areas))]
        entry = (0, rank(keys[insp.department], insp.id, 0), insp.id)
        for home in homes[insp.id]:
            heaps.setdefault(home, []).append(entry)
    for heap in heaps.values():
        heapq.heapify(heap)

    def best_in(
        heap: list[tuple[int, bytes, str]],
        entity_id: str,
        district: str,
        team: list[str],
        stash: list[tuple[list[tuple[int, bytes, str]], tuple[int, bytes, str]]],
    ) -> tuple[int, bytes, str] | None:
        while heap:
            entry = heap[0]
            if load[entry[2]] != entry[0]:
                heapq.heappop(heap)  # stale: the inspector has been assigned since
                continue
            iid = entry[2]
            if may_inspect(
                iid,
                recused[iid],
                entity_id,
                district,
                team,
                conflict_set,
                past_pairs.get(entity_id),
            ):
                return entry
            stash.append((heap, heapq.heappop(heap)))
        return None

    result = []
    for entity_id, district in entities:
        team: list[str] = []
        unfilled: list[str] = []
        for department in slots:
            stash: list[tuple[list[tuple[int, bytes, str]], tuple[int, bytes, str]]] = []
            best: tuple[int, bytes, str] | None = None
            for area in (district, ALL_DISTRICTS):
                pool = heaps.get((department, area))
                if not pool:
                    continue
                found = best_in(pool, entity_id, district, team, stash)
                if found is not None and (best is None or found < best):
                    best = found
            for pool, entry in stash:
                heapq.heappush(pool, entry)
            if best is None:
                unfilled.append(department)
                continue
            chosen = best[2]
            team.append(chosen)
            load[chosen] += 1
            entry = (load[chosen], rank(keys[department], chosen, load[chosen]), chosen)
            for home in homes[chosen]:
                heapq.heappush(heaps[home], entry)
        result.append(Assignment(entity_id, tuple(team), tuple(unfilled)))
    return result


def substitute_team(
    seed: bytes,
    inspectors: Sequence[InspectorSpec],
    *,
    departments: Sequence[str],
    size: int,
    entity: tuple[str, str],
    previous: Sequence[str],
    loads: Mapping[str, int],
    conflicts: Collection[tuple[str, str]] = (),
    history_pairs: Collection[tuple[str, str, str]] = (),
) -> Assignment:
    """The team of a standby entity ((id, district)) that takes a replaced entity's place
    (递补), derived from the draw's own inputs so anyone holding them can recompute it.

    Slot by slot (the draw's departments), a member of the replaced team (``previous``) of the
    slot's department stays when the rules let them inspect the new entity. Otherwise the slot
    is filled as the draw fills one: among the department's eligible inspectors, the one with
    the smallest (load, rank, id), where ``loads`` counts the slots each inspector holds in the
    task without the replaced team. A slot with nobody eligible stays unfilled.
    """
    entity_id, district = entity
    slots = slot_departments(departments, size)
    keys = {d: subkey(seed, f"inspectors/{d}") for d in set(slots)}
    by_id = {i.id: i for i in inspectors}
    conflict_set = set(conflicts)
    pairs = {(a, b) if a < b else (b, a) for e, a, b in history_pairs if e == entity_id}
    load = dict(loads)
    team: list[str] = []
    unfilled: list[str] = []
    staying = [m for m in previous if m in by_id]

    def eligible(insp: InspectorSpec) -> bool:
        responsible = not insp.districts or district in insp.districts
        return responsible and may_inspect(
            insp.id, insp.recused_districts, entity_id, district, team, conflict_set, pairs
        )

    for department in slots:
        kept = next(
            (m for m in staying if by_id[m].department == department and eligible(by_id[m])),
            None,
        )
        if kept is not None:
            staying.remove(kept)
            team.append(kept)
            continue
        pool = [i for i in inspectors if i.department == department and eligible(i)]
        if not pool:
            unfilled.append(department)
            continue
        best = min(
            pool,
            key=lambda i: (
                load.get(i.id, 0),
                rank(keys[department], i.id, load.get(i.id, 0)),
                i.id,
            ),
        )
        team.append(best.id)
        load[best.id] = load.get(best.id, 0) + 1
    return Assignment(entity_id, tuple(team), tuple(unfilled))
