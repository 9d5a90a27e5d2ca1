"""Inspector assignment: the heap implementation against the rule as written, and its promises."""

from __future__ import annotations

import hmac
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.draws.assignment import (
    AssignmentError,
    InspectorSpec,
    assign_inspectors,
    rank,
    slot_departments,
    substitute_team,
)

SEED = bytes(range(32))
DISTRICTS = ["东城区", "西城区", "高新区"]


def reference(seed, entities, inspectors, *, departments, size, conflicts=(), history_pairs=()):
    """ADR 0061 read literally: scan every inspector for every slot."""
    slots = [departments[j] if j < len(departments) else departments[0] for j in range(size)]
    keys = {d: hmac.digest(seed, f"inspectors/{d}".encode(), "sha256") for d in slots}
    load = Counter()
    past = {}
    for e, a, b in history_pairs:
        past.setdefault(e, set()).add(frozenset((a, b)))
    out = []
    for entity, district in entities:
        team, unfilled = [], []
        for d in slots:
            options = []
            for i in inspectors:
                if i.department != d or (i.districts and district not in i.districts):
                    continue
                if district in i.recused_districts or i.id in team or (i.id, entity) in conflicts:
                    continue
                if any(frozenset((m, i.id)) in past.get(entity, set()) for m in team):
                    continue
                rank = hmac.digest(keys[d], f"{i.id}/{load[i.id]}".encode(), "sha256")
                options.append((load[i.id], rank, i.id))
            if options:
                chosen = min(options)[2]
                team.append(chosen)
                load[chosen] += 1
            else:
                unfilled.append(d)
        out.append((entity, tuple(team), tuple(unfilled)))
    return out


inspector_st = st.builds(
    InspectorSpec,
    id=st.sampled_from([f"Z{i:02d}" for i in range(14)]),
    name=st.just("执法人员"),
    department=st.sampled_from(["gsj", "zljdj", "sypj"]),
    districts=st.lists(st.sampled_from(DISTRICTS), max_size=2, unique=True).map(tuple),
    recused_districts=st.lists(st.sampled_from(DISTRICTS), max_size=1).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(
    inspectors=st.lists(inspector_st, max_size=14, unique_by=lambda i: i.id),
    entities=st.lists(
        st.tuples(st.sampled_from([f"E{i}" for i in range(30)]), st.sampled_from(DISTRICTS)),
        max_size=25,
        unique_by=lambda e: e[0],
    ),
    departments=st.lists(
        st.sampled_from(["gsj", "zljdj", "sypj"]), min_size=1, max_size=3, unique=True
    ),
    extra=st.integers(0, 2),
    data=st.data(),
)
def test_heap_assignment_equals_the_rule_as_written(inspectors, entities, departments, extra, data):
    size = max(2, len(departments)) + extra
    ids = [i.id for i in inspectors] or ["Z00"]
    entity_ids = [e for e, _d in entities] or ["E0"]
    conflicts = set(
        data.draw(
            st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(entity_ids)), max_size=6)
        )
    )
    history = data.draw(
        st.lists(
            st.tuples(st.sampled_from(entity_ids), st.sampled_from(ids), st.sampled_from(ids)),
            max_size=6,
        )
    )
    got = assign_inspectors(
        SEED,
        entities,
        inspectors,
        departments=departments,
        size=size,
        conflicts=conflicts,
        history_pairs=history,
    )
    want = reference(
        SEED,
        entities,
        inspectors,
        departments=departments,
        size=size,
        conflicts=conflicts,
        history_pairs=history,
    )
    assert [(a.entity, a.inspectors, a.unfilled) for a in got] == want


def test_every_team_respects_recusal_conflicts_and_past_pairs():
    inspectors = [
        InspectorSpec("A1", "甲", "gsj", recused_districts=("东城区",)),
        InspectorSpec("A2", "乙", "gsj"),
        InspectorSpec("A3", "丙", "gsj"),
        InspectorSpec("A4", "丁", "gsj"),
    ]
    entities = [("E1", "东城区"), ("E2", "西城区")]
    teams = assign_inspectors(
        SEED,
        entities,
        inspectors,
        departments=["gsj"],
        size=2,
        conflicts={("A2", "E1")},
        history_pairs=[("E2", "A3", "A4")],
    )
    e1, e2 = teams
    assert "A1" not in e1.inspectors  # lives in 东城区
    assert "A2" not in e1.inspectors  # declared conflict with E1
    assert set(e1.inspectors) == {"A3", "A4"}
    assert set(e2.inspectors) != {"A3", "A4"}  # that pair checked E2 last time


def test_joint_tasks_take_one_inspector_from_each_department():
    inspectors = [
        InspectorSpec(f"{d}{i}", "人", d) for d in ("gsj", "zljdj", "sypj") for i in range(4)
    ]
    teams = assign_inspectors(
        SEED,
        [(f"E{i}", "东城区") for i in range(9)],
        inspectors,
        departments=["gsj", "zljdj", "sypj"],
        size=3,
    )
    for team in teams:
        assert [i.rstrip("0123") for i in team.inspectors] == ["gsj", "zljdj", "sypj"]


def test_extra_slots_go_to_the_lead_department():
    assert slot_departments(["gsj", "zljdj"], 3) == ["gsj", "zljdj", "gsj"]
    with pytest.raises(AssignmentError, match="不能少于"):
        slot_departments(["gsj", "zljdj", "sypj"], 2)


def test_load_is_balanced_when_nobody_is_recused():
    inspectors = [InspectorSpec(f"Z{i:02d}", "人", "gsj") for i in range(7)]
    teams = assign_inspectors(
        SEED, [(f"E{i:03d}", "东城区") for i in range(100)], inspectors, departments=["gsj"], size=2
    )
    load = Counter(i for t in teams for i in t.inspectors)
    assert sum(load.values()) == 200
    assert max(load.values()) - min(load.values()) <= 1


def test_pairs_vary_between_rounds():
    inspectors = [InspectorSpec(f"Z{i:02d}", "人", "gsj") for i in range(6)]
    teams = assign_inspectors(
        SEED, [(f"E{i:03d}", "东城区") for i in range(60)], inspectors, departments=["gsj"], size=2
    )
    pairs = Counter(frozenset(t.inspectors) for t in teams)
    assert len(pairs) > 6  # a fixed rotation would repeat the same three pairs


def test_a_slot_nobody_can_fill_is_reported_not_guessed():
    inspectors = [
        InspectorSpec("Z1", "人", "gsj"),
        InspectorSpec("Z2", "人", "gsj", recused_districts=("东城区",)),
    ]
    (team,) = assign_inspectors(SEED, [("E1", "东城区")], inspectors, departments=["gsj"], size=2)
    assert team.inspectors == ("Z1",) and team.unfilled == ("gsj",)


def test_duplicate_certificate_numbers_are_refused():
    with pytest.raises(AssignmentError, match="重复"):
        assign_inspectors(
            SEED,
            [],
            [InspectorSpec("Z1", "甲", "gsj"), InspectorSpec("Z1", "乙", "gsj")],
            departments=["gsj"],
            size=2,
        )


# 递补: the team of a substitute ---------------------------------------------------------------

CREW = [
    InspectorSpec("A1", "甲", "sj"),
    InspectorSpec("A2", "乙", "sj"),
    InspectorSpec("A3", "丙", "sj", recused_districts=("西城区",)),
    InspectorSpec("A4", "丁", "sj", districts=("高新区",)),
    InspectorSpec("B1", "戊", "zj"),
]


def _sub(previous, *, loads=None, conflicts=(), pairs=(), district="东城区", crew=CREW):
    return substitute_team(
        SEED,
        crew,
        departments=["sj"],
        size=2,
        entity=("E9", district),
        previous=previous,
        loads=loads or {},
        conflicts=conflicts,
        history_pairs=pairs,
    )


def test_a_substitute_keeps_the_replaced_team_when_the_rules_allow():
    assert _sub(["A1", "A2"]).inspectors == ("A1", "A2")
    assert _sub(["A1", "A2"]).unfilled == ()


def test_a_member_who_must_recuse_is_replaced_by_the_least_loaded_eligible_inspector():
    team = _sub(["A1", "A2"], conflicts=[("A2", "E9")], loads={"A3": 4})
    # A2 has a conflict, A3 carries more load, A4 is not responsible for 东城区, B1 is of
    # another department: A1 stays and nobody else of sj can serve except A3
    assert team.inspectors == ("A1", "A3")
    # in 西城区 A3 must recuse as well: the slot stays unfilled
    west = _sub(["A1", "A2"], conflicts=[("A2", "E9")], district="西城区")
    assert west.inspectors == ("A1",) and west.unfilled == ("sj",)


def test_equal_loads_are_broken_by_the_draws_rank():
    crew = [*CREW, InspectorSpec("A5", "己", "sj")]
    team = _sub(["A1", "A2"], conflicts=[("A2", "E9")], crew=crew, loads={})
    key = hmac.digest(SEED, b"inspectors/sj", "sha256")
    expected = min(["A3", "A5"], key=lambda i: (rank(key, i, 0), i))
    assert team.inspectors == ("A1", expected)


def test_a_pair_that_inspected_the_substitute_before_is_split():
    team = _sub(["A1", "A2"], pairs=[("E9", "A2", "A1")], loads={"A3": 9})
    assert team.inspectors == ("A1", "A3")
