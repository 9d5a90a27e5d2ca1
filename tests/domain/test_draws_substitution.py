"""递补 recomputed from the record: the domain replay and the standalone verifier agree."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.draws.inspection import InspectionRules
from gongkai.domain.draws.substitution import (
    SUBSTITUTIONS_SCHEMA,
    SubstitutionError,
    SubstitutionState,
    first_difference,
    replay,
)
from tests.domain.test_draws import commit, record_of
from tests.domain.test_draws_verifier import load_verifier, run

# a standby as long as the seats (where the stratum allows), so that chains of substitutions occur
RULES = InspectionRules(ratios={"A": "0.1", "B": "0.2", "C": "0.3", "D": "0.5"}, standby_ratio="1")
RECORD = record_of(commit(rules=RULES, conflicts=[("gsj-002", "E00007")]))


def _replaceable(state: SubstitutionState) -> list[str]:
    out = []
    for entity in sorted(state.teams):
        try:
            state.upcoming(entity)
        except SubstitutionError:
            continue
        out.append(entity)
    return out


def _steps(seed: int, n: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """``n`` substitutions chosen at random among the entities that can be replaced, some
    with a conflict declared for the substitute."""
    rng = random.Random(seed)
    state = SubstitutionState(RECORD)
    steps: list[tuple[str, list[tuple[str, str]]]] = []
    for _ in range(n):
        options = _replaceable(state)
        if not options:
            break
        replaced = rng.choice(options)
        substitute = state.upcoming(replaced)
        conflicts = [(rng.choice(state.teams[replaced]), substitute)] if rng.random() < 0.5 else []
        state.next(replaced, conflicts)
        steps.append((replaced, conflicts))
    return steps


def _document(steps) -> dict:
    return {
        "schema": SUBSTITUTIONS_SCHEMA,
        "record_hash": RECORD["record_hash"],
        "substitutions": [s.as_json() for s in replay(RECORD, steps)],
    }


def test_the_first_unused_standby_of_the_stratum_takes_the_place():
    stratum = next(s for s in RECORD["result"]["strata"] if len(s["standby"]) >= 2)
    replaced = stratum["selected"][0][0]
    first, second = (entity for entity, _t in stratum["standby"][:2])
    made = replay(RECORD, [(replaced, []), (first, [])])
    assert [m.substitute for m in made] == [first, second]
    assert [m.rank for m in made] == [len(stratum["selected"]) + 1, len(stratum["selected"]) + 2]
    team = next(a for a in RECORD["result"]["assignments"] if a["entity"] == replaced)
    assert made[0].team == tuple(team["inspectors"])  # nobody had to recuse
    with pytest.raises(SubstitutionError, match="不在当前抽中名单"):
        replay(RECORD, [(replaced, []), (replaced, [])])


def test_a_conflict_declared_since_the_draw_changes_the_team():
    stratum = next(s for s in RECORD["result"]["strata"] if s["standby"])
    replaced = stratum["selected"][0][0]
    substitute = stratum["standby"][0][0]
    plain = replay(RECORD, [(replaced, [])])[0]
    leaving = plain.team[0]
    declared = replay(RECORD, [(replaced, [(leaving, substitute)])])[0]
    assert leaving not in declared.team and len(declared.team) == len(plain.team)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 12))
def test_the_verifier_recomputes_every_substitution(seed, n):
    verifier = load_verifier()
    document = json.loads(json.dumps(_document(_steps(seed, n)), ensure_ascii=False))
    assert first_difference(RECORD, document["substitutions"]) == ""
    ok, lines = verifier.verify_substitutions(RECORD, document)
    assert ok, lines
    if document["substitutions"]:
        entry = document["substitutions"][-1]
        entry["team"] = [*reversed(entry["team"]), "gsj-999"]
        ok, lines = verifier.verify_substitutions(RECORD, document)
        assert not ok and "检查组" in lines[-1]
        assert "检查组" in first_difference(RECORD, document["substitutions"])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 12))
def test_a_replay_follows_the_standby_order_and_the_rules(seed, n):
    steps = _steps(seed, n)
    made = replay(RECORD, steps)
    standby = {s["id"]: [e for e, _t in s["standby"]] for s in RECORD["result"]["strata"]}
    seats = {s["id"]: len(s["selected"]) for s in RECORD["result"]["strata"]}
    taken: dict[str, list[str]] = {}
    size = RECORD["commitment"]["team"]["size"]
    for (replaced, conflicts), m in zip(steps, made, strict=True):
        assert m.replaced == replaced
        taken.setdefault(m.stratum, []).append(m.substitute)
        # the n-th substitution of a stratum takes its n-th standby, at its place in the order
        position = len(taken[m.stratum]) - 1
        assert m.substitute == standby[m.stratum][position]
        assert m.rank == seats[m.stratum] + position + 1
        assert len(m.team) + len(m.unfilled) == size and len(set(m.team)) == len(m.team)
        assert not {inspector for inspector, _e in conflicts} & set(m.team)


def test_a_substitute_out_of_order_is_caught(tmp_path):
    steps = _steps(7, 3)
    document = _document(steps)
    stratum = next(s for s in RECORD["result"]["strata"] if len(s["standby"]) >= 2)
    bad = dict(document, substitutions=[dict(document["substitutions"][0])])
    bad["substitutions"][0]["substitute"] = stratum["standby"][-1][0]
    record_path, subs_path = tmp_path / "record.json", tmp_path / "subs.json"
    record_path.write_text(json.dumps(RECORD, ensure_ascii=False), encoding="utf-8")
    subs_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = run(str(record_path), "--substitutions", str(subs_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "检查组复算一致" in done.stdout and done.stdout.strip().endswith("OK")
    subs_path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    done = run(str(record_path), "--substitutions", str(subs_path))
    assert done.returncode == 1 and "递补对象" in done.stdout
