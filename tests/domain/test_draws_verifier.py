"""The standalone verifier (verifier/verify_draw.py): standard library only, same answers."""

from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.domain.draws.assignment import InspectorSpec
from gongkai.domain.draws.inspection import Candidate, InspectionRules, build_inspection_commitment
from gongkai.domain.draws.record import build_record
from tests.domain.test_draws import BLUE, RED, commit, lottery, record_of

SCRIPT = Path(__file__).resolve().parents[2] / "verifier" / "verify_draw.py"
PYTHON = shutil.which("python3") or sys.executable


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # -I: isolated mode — no site-packages, no PYTHONPATH, no user site: gongkai is not importable
    return subprocess.run(
        [PYTHON, "-I", str(SCRIPT), *args], capture_output=True, text=True, timeout=120, check=False
    )


def load_verifier():
    spec = importlib.util.spec_from_file_location("verify_draw", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_imports_nothing_outside_the_standard_library():
    source = SCRIPT.read_text(encoding="utf-8")
    imported = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imported <= set(sys.stdlib_module_names)
    assert "gongkai" not in imported


def test_a_published_record_reruns_to_ok_in_an_isolated_python(tmp_path):
    record = record_of(commit())
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done = run(str(path), "--commitment-hash", record["commitment_hash"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "OK"
    assert record["record_hash"] in done.stdout


def test_gzipped_lottery_records_verify_too(tmp_path):
    record = record_of(lottery())
    path = tmp_path / "record.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(record, fh, ensure_ascii=False)
    done = run(str(path))
    assert done.returncode == 0 and done.stdout.strip().endswith("OK")


def test_one_changed_source_digit_is_reported(tmp_path):
    record = record_of(commit())
    record["observed"][0]["value"] = "3 9 16 21 27 32"
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done = run(str(path))
    assert done.returncode == 1
    assert "不一致：随机源规范串应为 3.9.16.21.27.32./7./" in done.stdout


def test_one_changed_candidate_is_reported(tmp_path):
    record = record_of(commit())
    record["commitment"]["strata"][0]["candidates"][0] = "E12345"
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done = run(str(path))
    assert done.returncode == 1 and "承诺哈希不符" in done.stdout


def test_a_wrong_commitment_hash_is_reported(tmp_path):
    record = record_of(commit())
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done = run(str(path), "--commitment-hash", "f" * 64)
    assert done.returncode == 1 and "事先公布" in done.stdout


def test_a_file_that_is_not_json_gets_a_chinese_error(tmp_path):
    path = tmp_path / "record.json"
    path.write_text("不是 JSON", encoding="utf-8")
    done = run(str(path))
    assert done.returncode == 2 and "无法读取记录文件" in done.stderr


def test_the_rfc3797_example_from_the_command_line():
    done = run(
        "rfc3797",
        "--sources",
        "9319",
        "2 5 12 8 10",
        "9 18 26 34 41 45",
        "--pool",
        "25",
        "--select",
        "10",
    )
    assert done.returncode == 0
    assert done.stdout.split() == ["17", "7", "2", "16", "25", "23", "8", "24", "19", "13"]


DISTRICTS = ["东城区", "西城区"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(1, 30), min_size=1, max_size=5),
    ratios=st.tuples(*[st.sampled_from(["0", "0.05", "0.1", "0.33", "1"])] * 4),
    standby=st.sampled_from(["0", "0.1", "0.5"]),
    inspectors=st.lists(
        st.builds(
            InspectorSpec,
            id=st.sampled_from([f"Z{i:02d}" for i in range(10)]),
            name=st.just("人"),
            department=st.sampled_from(["gsj", "zljdj"]),
            districts=st.lists(st.sampled_from(DISTRICTS), max_size=1).map(tuple),
            recused_districts=st.lists(st.sampled_from(DISTRICTS), max_size=1).map(tuple),
        ),
        max_size=10,
        unique_by=lambda i: i.id,
    ),
    joint=st.booleans(),
    balls=st.lists(st.integers(1, 33), min_size=6, max_size=6),
)
def test_engine_and_standalone_verifier_agree(sizes, ratios, standby, inspectors, joint, balls):
    verifier = load_verifier()
    candidates = []
    for s, size in enumerate(sizes):
        for i in range(size):
            candidates.append(
                Candidate(f"E{s}-{i:03d}", DISTRICTS[s % 2], "F", "ABCD"[(s + i) % 4])
            )
    rules = InspectionRules(ratios=dict(zip("ABCD", ratios, strict=True)), standby_ratio=standby)
    commitment = build_inspection_commitment(
        header={"title": "对拍"},
        candidates=candidates,
        rules=rules,
        inspectors=inspectors,
        departments=["gsj", "zljdj"] if joint else ["gsj"],
        sources=[RED, BLUE],
        conflicts=[(inspectors[0].id, candidates[0].id)] if inspectors else [],
    )
    record = build_record(
        commitment,
        [" ".join(map(str, balls)), "5"],
        drawn_at="2026-11-29T21:30:00+08:00",
        engine={},
    )
    ok, lines = verifier.verify(json.loads(json.dumps(record)))
    assert ok, lines


@pytest.mark.parametrize("mode", ["inspection", "lottery"])
def test_the_verifier_recomputes_the_same_result_object(mode):
    verifier = load_verifier()
    record = record_of(commit() if mode == "inspection" else lottery())
    seed = bytes.fromhex(record["seed"])
    assert verifier.recompute(record["commitment"], seed) == record["result"]
