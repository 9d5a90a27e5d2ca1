"""双随机一公开: a stratified draw over 1,000,000 entities, its verification, importing the
directory, and the fairness of the engine.

    python -m bench bench_draws                 # SQLite under bench/data/draws/
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_draws_bench python -m bench bench_draws
    BENCH_DRAWS_PARTS=engine,fairness python -m bench bench_draws   # only some parts

1. Engine: 1,000,000 candidates in 23 districts × 4 risk classes × 20 industries (1,840
   strata), 5 % of each class (50,000 entities), 2,000 inspectors of two departments (joint
   task: one of each per entity), residence recusal, 1,000 declared conflicts, 5,000 past
   pairs. Timed: the commitment (freeze), the draw with inspector assignment, verification of
   the published record from its JSON bytes (gongkai.domain.draws), and the standalone
   verifier script in a separate ``python3 -I``. Target: draw < 5 s, verification < 5 s.
2. Import: 1,000,000 rows of CSV through ``gongkai inspections import-entities`` (a separate
   process: parse, USCC check, upsert in batches). Target: < 2 min. Then, informational,
   freeze and draw a 5 % task over that directory through the services (database reads and
   writes included).
3. Fairness: chi-square goodness-of-fit tests over many draws with different source values —
   per-entity selection counts, selection positions (a full ordering), inspector assignment
   counts, lottery sequence positions — with their p-values.

Generated data stays under bench/data/draws/ (git-ignored).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench import ensure_database

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "draws"
REPO = ROOT.parent
N = 1_000_000
DISTRICTS = [f"第{i:02d}区" for i in range(1, 24)]
INDUSTRIES = "ABCDEFGHIJKLMNOPQRST"
RATIOS = {"A": "0.05", "B": "0.05", "C": "0.05", "D": "0.05"}


# ---- statistics (standard library only) -------------------------------------------------------


def _gamma_q(a: float, x: float) -> float:
    """Regularised upper incomplete gamma Q(a, x) (series / continued fraction)."""
    if x <= 0:
        return 1.0
    gln = math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10_000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return 1.0 - total * math.exp(-x + a * math.log(x) - gln)
    b = x + 1 - a
    c = 1 / 1e-300
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - gln) * h


def chi2_sf(x: float, df: int) -> float:
    return _gamma_q(df / 2, x / 2)


def chisquare(observed: list[int], expected: list[float]) -> tuple[float, int, float]:
    stat = sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True))
    df = len(observed) - 1
    return stat, df, chi2_sf(stat, df)


class Timer:
    """Wall-clock and CPU seconds of a block (the shared machine inflates wall time)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.child = children.ru_utime + children.ru_stime
        return self

    def __exit__(self, *exc: object) -> None:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.wall = time.perf_counter() - self.wall
        self.cpu = (
            time.process_time() - self.cpu + (children.ru_utime + children.ru_stime - self.child)
        )

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s wall, {self.cpu:6.2f} s CPU"


# ---- 1. the engine on a million candidates ------------------------------------------------------


def _candidates():
    from gongkai.domain.draws.inspection import Candidate

    out = []
    for i in range(N):
        h = hashlib.blake2b(i.to_bytes(4, "big"), digest_size=8).digest()
        out.append(
            Candidate(f"91{i:016d}", DISTRICTS[h[0] % 23], INDUSTRIES[h[1] % 20], "ABCD"[h[2] % 4])
        )
    return out


def _inspectors():
    from gongkai.domain.draws.assignment import InspectorSpec

    specs = []
    for dept in ("gsj", "zljdj"):
        for i in range(1000):
            districts = (DISTRICTS[i % 23], DISTRICTS[(i * 7) % 23]) if i % 3 else ()
            specs.append(
                InspectorSpec(
                    f"{dept.upper()}{i:05d}",
                    f"执法{i}",
                    dept,
                    tuple(sorted(set(districts))),
                    (DISTRICTS[(i * 11) % 23],),
                )
            )
    return specs


def engine() -> dict[str, float]:
    from gongkai.domain.draws.inspection import InspectionRules, build_inspection_commitment
    from gongkai.domain.draws.record import build_record, verify_record
    from gongkai.domain.draws.sources import SourceKind, SourceSpec

    t = time.perf_counter()
    candidates = _candidates()
    inspectors = _inspectors()
    generated = time.perf_counter() - t
    ids = [c.id for c in candidates]
    conflicts = [(inspectors[(i * 13) % 2000].id, ids[(i * 7919) % N]) for i in range(1000)]
    history = [
        (ids[(i * 104729) % N], inspectors[i % 1000].id, inspectors[(i + 1) % 1000].id)
        for i in range(5000)
    ]
    sources = [
        SourceSpec("双色球红球", "福彩中心", "2026-12-01", count=6, minimum=1, maximum=33),
        SourceSpec("双色球蓝球", "福彩中心", "2026-12-01", count=1, minimum=1, maximum=16),
        SourceSpec("drand quicknet 轮次", "api.drand.sh", "2026-12-01", kind=SourceKind.HEX),
    ]
    rules = InspectionRules(ratios=RATIOS, by_industry=True, standby_ratio="0.1")
    with Timer() as freeze:
        commitment = build_inspection_commitment(
            header={"title": "基准测试"},
            candidates=candidates,
            rules=rules,
            inspectors=inspectors,
            departments=["gsj", "zljdj"],
            sources=sources,
            conflicts=conflicts,
            history_pairs=history,
        )
    observed = [
        "3 9 16 21 27 33",
        "7",
        "fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587",
    ]
    with Timer() as draw:
        record = build_record(
            commitment, observed, drawn_at="2026-12-01T21:30:00+08:00", engine={"name": "gongkai"}
        )
    selected = sum(len(s["selected"]) for s in record["result"]["strata"])
    unfilled = sum(1 for a in record["result"]["assignments"] if a["unfilled"])
    load = Counter(i for a in record["result"]["assignments"] for i in a["inspectors"])
    raw = json.dumps(record, ensure_ascii=False).encode("utf-8")
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / "record-1m.json"
    path.write_bytes(raw)
    with Timer() as verify:
        result = verify_record(json.loads(raw), expected_commitment_hash=record["commitment_hash"])
    assert result.ok, result.difference
    python = shutil.which("python3") or sys.executable
    with Timer() as standalone:
        done = subprocess.run(
            [python, "-I", str(REPO / "verifier" / "verify_draw.py"), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.stdout.strip().endswith("OK"), done.stdout + done.stderr
    print(f"  candidates generated in {generated:.1f} s (not timed below)")
    print(
        f"  strata {len(commitment['strata'])}, selected {selected:,}, standby {sum(len(s['standby']) for s in record['result']['strata']):,}"
    )
    print(
        f"  teams: {len(record['result']['assignments']):,}, incomplete {unfilled}, inspector load {min(load.values())}–{max(load.values())} over {len(load)} inspectors"
    )
    print(f"  freeze (commitment + hash)          {freeze}")
    print(f"  draw with inspector assignment      {draw}   (target < 5 s)")
    print(
        f"  verify record from JSON             {verify}   (target < 5 s; record {len(raw) / 1e6:.1f} MB)"
    )
    print(f"  standalone verify_draw.py (-I)      {standalone}   (its own JSON parse included)")
    return {
        "freeze": freeze.wall,
        "draw": draw.wall,
        "verify": verify.wall,
        "standalone": standalone.wall,
    }


# ---- 2. importing a million entities ------------------------------------------------------------


def _entity_csv() -> Path:
    from gongkai.domain.codes import make_uscc

    path = DATA / "entities-1m.csv"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    kinds = ["企业", "个体工商户", "农民专业合作社", "其他"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "统一社会信用代码",
                "名称",
                "主体类型",
                "所属区县",
                "行业门类",
                "信用风险分类",
                "登记状态",
            ]
        )
        for i in range(N):
            h = hashlib.blake2b(i.to_bytes(4, "big"), digest_size=8).digest()
            region = f"1399{2 + h[0] % 23:02d}"
            writer.writerow(
                [
                    make_uscc("9", "12"[h[3] % 2], region, f"{10000000 + i:08d}"),
                    f"示例市第{i}号市场主体有限公司",
                    kinds[h[4] % 4],
                    DISTRICTS[h[0] % 23],
                    INDUSTRIES[h[1] % 20],
                    "ABCD"[h[2] % 4],
                    "存续" if h[5] % 20 else "注销",
                ]
            )
    return path


def importing() -> dict[str, float]:
    path = _entity_csv()
    db_dir = DATA / "db"
    shutil.rmtree(db_dir, ignore_errors=True)
    db_dir.mkdir(parents=True)
    env = dict(os.environ, GONGKAI_DATA_DIR=str(db_dir))
    url = os.environ.get("BENCH_DATABASE_URL")
    ensure_database(url)
    if url:
        env["DATABASE_URL"] = url
        subprocess.run(
            [sys.executable, "-m", "gongkai.cli", "dbshell"],
            input="DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
            text=True,
            env=env,
            capture_output=True,
            check=False,
        )
    else:
        env.pop("DATABASE_URL", None)
    gongkai = [sys.executable, "-m", "gongkai.cli"]
    subprocess.run([*gongkai, "migrate", "--verbosity", "0"], env=env, check=True)
    with Timer() as took:
        done = subprocess.run(
            [*gongkai, "inspections", "import-entities", str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    seconds = took.wall
    print(f"  {done.stdout.strip()}")
    if done.returncode:
        print(done.stderr[-2000:])
    where = "PostgreSQL" if url else "SQLite"
    print(f"  import of {N:,} rows (CLI, {where})     {took}   (target < 120 s)")
    result = {"import": seconds}
    result.update(_service_draw(db_dir, url))
    return result


def _service_draw(db_dir: Path, url: str | None) -> dict[str, float]:
    """Freeze and draw through the services over the imported directory (informational)."""
    os.environ["GONGKAI_DATA_DIR"] = str(db_dir)
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import datetime as dt

    import django

    django.setup()
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.inspections.models import Inspector
    from gongkai.apps.inspections.services import (
        draw_execute,
        item_create,
        ruleset_create,
        task_create,
        task_freeze,
    )
    from gongkai.apps.organizations.models import Agency
    from gongkai.domain.draws.sources import SourceSpec

    def agency(code: str, name: str) -> Agency:
        return Agency.objects.create(
            code=code,
            name=name,
            kind="department",
            level="city",
            office_name=name,
            office_address="-",
            office_hours="-",
            office_phone="-",
        )

    gsj, zl = agency("gsj", "工商局"), agency("zljdj", "质监局")
    Inspector.objects.bulk_create(
        [
            Inspector(
                agency=a,
                name=f"执法{i}",
                certificate_no=f"{a.code.upper()}{i:05d}",
                residence_district=DISTRICTS[i % 23],
            )
            for a in (gsj, zl)
            for i in range(1000)
        ]
    )
    item = item_create(
        actor=SYSTEM,
        agency=gsj,
        code="B-1",
        name="年报公示检查",
        legal_basis="《企业信息公示暂行条例》",
        object_type="企业",
        ratio_text="5%",
        frequency="每年1次",
        level="general",
    )
    rules = ruleset_create(
        actor=SYSTEM,
        agency=None,
        name="基准细则",
        ratio_a="0.05",
        ratio_b="0.05",
        ratio_c="0.05",
        ratio_d="0.05",
        standby_ratio="0.1",
        by_industry=True,
        valid_from=dt.date(2020, 1, 1),
    )
    task = task_create(
        actor=SYSTEM,
        agency=gsj,
        title="基准",
        year=2026,
        items=[item],
        ruleset=rules,
        check_start=dt.date(2026, 12, 1),
        check_end=dt.date(2026, 12, 20),
        joint_agencies=[zl],
    )
    day = dt.date(2026, 11, 30)
    sources = [
        SourceSpec("红球", "福彩", day.isoformat(), count=6),
        SourceSpec("蓝球", "福彩", day.isoformat(), count=1),
    ]
    with Timer() as freeze:
        task = task_freeze(actor=SYSTEM, task=task, sources=sources, today=day)
    with Timer() as draw:
        task = draw_execute(actor=SYSTEM, task=task, observed=["3 9 16 21 27 33", "7"], today=day)
    print(
        f"  service freeze ({task.candidate_count:,} active entities read, commitment stored) {freeze}"
    )
    print(f"  service draw ({task.selected_count:,} selections and their teams inserted)  {draw}")
    return {"service_freeze": freeze.wall, "service_draw": draw.wall}


# ---- 3. fairness --------------------------------------------------------------------------------


def _observed(k: int) -> list[str]:
    h = hashlib.sha256(f"fairness/{k}".encode()).digest()
    return [" ".join(str(1 + b % 33) for b in h[:6]), str(1 + h[6] % 16), h.hex()]


def fairness(draws: int = 2000) -> dict[str, float]:
    from gongkai.domain.draws.assignment import InspectorSpec
    from gongkai.domain.draws.inspection import (
        Candidate,
        InspectionRules,
        build_inspection_commitment,
    )
    from gongkai.domain.draws.lottery import Applicant, LotteryGroup, build_lottery_commitment
    from gongkai.domain.draws.record import build_record
    from gongkai.domain.draws.sources import SourceKind, SourceSpec

    sources = [
        SourceSpec("红球", "-", "2026-12-01", count=6),
        SourceSpec("蓝球", "-", "2026-12-01", count=1),
        SourceSpec("信标", "-", "2026-12-01", kind=SourceKind.HEX),
    ]
    pool, pick = 100, 10
    candidates = [Candidate(f"E{i:03d}", "东城区", "F", "A") for i in range(pool)]
    inspectors = [InspectorSpec(f"Z{i:02d}", "人", "gsj") for i in range(12)]
    rules = InspectionRules(mode="count", count=pick)
    commitment = build_inspection_commitment(
        header={},
        candidates=candidates,
        rules=rules,
        inspectors=inspectors,
        departments=["gsj"],
        sources=sources,
    )
    selected = Counter()
    first = Counter()
    assigned = Counter()
    for k in range(draws):
        record = build_record(commitment, _observed(k), drawn_at="", engine={})
        chosen = record["result"]["strata"][0]["selected"]
        selected.update(i for i, _t in chosen)
        first[chosen[0][0]] += 1
        assigned.update(i for a in record["result"]["assignments"] for i in a["inspectors"])
    out = {}
    stat, df, p = chisquare([selected[c.id] for c in candidates], [draws * pick / pool] * pool)
    print(
        f"  selection counts: {draws} draws of {pick} from {pool}: χ²={stat:.1f}, df={df}, p={p:.3f}"
    )
    out["p_selection"] = p
    stat, df, p = chisquare([first[c.id] for c in candidates], [draws / pool] * pool)
    print(f"  first-drawn entity: χ²={stat:.1f}, df={df}, p={p:.3f}")
    out["p_first"] = p
    # Inspector assignment is load-balanced, so each draw gives each of the 12 inspectors
    # 20/12 slots (1 or 2): the test is that who gets the extra slot is uniform.
    stat, df, p = chisquare(
        [assigned[i.id] for i in inspectors], [draws * pick * 2 / len(inspectors)] * len(inspectors)
    )
    print(
        f"  inspector assignments (12 inspectors, 2 per entity): χ²={stat:.1f}, df={df}, p={p:.3f}"
    )
    out["p_inspectors"] = p
    # positions in a full ordering: a 10 × 10 item-by-position table over many lotteries
    size = 10
    groups = [LotteryGroup("1", "一般家庭", size, [Applicant(f"A{i}", "张*") for i in range(size)])]
    lottery = build_lottery_commitment(header={}, groups=groups, sources=sources)
    table = [[0] * size for _ in range(size)]
    for k in range(draws * 2):
        order = build_record(lottery, _observed(10_000 + k), drawn_at="", engine={})["result"][
            "groups"
        ][0]["order"]
        for position, (number, _t) in enumerate(order):
            table[int(number[1:])][position] += 1
    cells = [c for row in table for c in row]
    expected = draws * 2 / size
    stat = sum((c - expected) ** 2 / expected for c in cells)
    df = (size - 1) * (size - 1)
    p = chi2_sf(stat, df)
    print(
        f"  lottery positions: {draws * 2} orderings of {size}, item × position table: χ²={stat:.1f}, df={df}, p={p:.3f}"
    )
    out["p_positions"] = p
    worst = min(out.values())
    print(
        f"  smallest p-value {worst:.3f} over {len(out)} tests (Bonferroni threshold for α=0.01: {0.01 / len(out):.4f})"
    )
    return out


def main() -> None:
    # the χ² tail against known quantiles: 3.841 (df 1) and 124.342 (df 100) are 5 % points
    assert abs(chi2_sf(3.841458820694124, 1) - 0.05) < 1e-6
    assert abs(chi2_sf(124.342, 100) - 0.05) < 1e-4
    parts = os.environ.get("BENCH_DRAWS_PARTS", "engine,import,fairness").split(",")
    sys.path.insert(0, str(REPO / "src"))
    if "engine" in parts:
        print("1. engine: 1,000,000 candidates, 5 %, joint team of two")
        engine()
    if "fairness" in parts:
        print("3. fairness (chi-square)")
        fairness()
    if "import" in parts:
        print("2. import and service path")
        importing()


if __name__ == "__main__":
    main()
