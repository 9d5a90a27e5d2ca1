"""Relevance on the judged query set (tests/search_judgments/queries.json), on both engines.

    python -m bench bench_relevance                  # load the demo catalogue, judge both engines
    python -m bench.bench_relevance --phase judge-tantivy

Phases run in their own processes (each with its own database settings):

1. ``load-sqlite`` – the demo city's agencies and catalogue (the demo steps 网站设置, 机关名录,
   工作人员和申请人账户, 主动公开目录) into bench/data/relevance/sqlite, indexed by tantivy;
2. ``judge-tantivy`` – every judged query through the search selector (aliases, numbers,
   corrections as the public page applies them); NDCG@10, recall@20, zero-result rate;
3. ``load-pg``, ``judge-pg`` – the same on PostgreSQL (database gk_relevance_bench) with the
   PostgreSQL full-text engine, when a PostgreSQL server answers.

Results: bench/data/relevance/results-*.json, summarised into bench/results/relevance.md; the
recorded NDCG@10 per engine is what ``tests/search_judgments`` holds the search to (a drop of
more than 0.02 fails CI).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "relevance"
RESULTS = ROOT / "results" / "relevance.md"
PG_URL = os.environ.get(
    "GONGKAI_BENCH_RELEVANCE_PG", "postgres://postgres@127.0.0.1:5432/gk_relevance_bench"
)
STEPS = ["网站设置", "机关名录", "工作人员和申请人账户", "主动公开目录"]


def _env(kind: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT.parent / "src"), str(ROOT.parent), env.get("PYTHONPATH", "")]
    )
    env["DEBUG"] = "0"
    env["GONGKAI_DATA_DIR"] = str(DATA / kind)
    if kind == "sqlite":
        env["GONGKAI_SEARCH_ENGINE"] = "tantivy"
    else:
        env["DATABASE_URL"] = PG_URL
        env["GONGKAI_SEARCH_ENGINE"] = "postgres"
    return env


# the demo catalogue depends on the day it is loaded (documents up to today, and the random
# figures drawn after them): load and judge at the test suite's fixed moment, so the judged
# set describes the same documents here and in tests/search_judgments
DEMO_AT = dt.datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _setup() -> None:
    import django

    from gongkai import clock

    clock.set_fixed(DEMO_AT)
    django.setup()


def _load() -> None:
    _setup()
    from django.core.management import call_command

    from gongkai.apps.catalog.search.indexing import index_rebuild
    from gongkai.demo.world import demo_load

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    ran = demo_load(only=STEPS)
    index_rebuild()
    print(f"loaded {ran} and indexed in {time.monotonic() - started:.0f} s", flush=True)


def _judge(engine: str) -> None:
    _setup()
    from tests.search_judgments.judge import evaluate, load_judgments

    started = time.monotonic()
    report = evaluate(load_judgments())
    report["engine"] = engine
    report["seconds"] = round(time.monotonic() - started, 1)
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / f"results-{engine}.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(
        f"{engine}: NDCG@10 {report['ndcg10']:.3f} · recall@20 {report['recall20']:.3f} · "
        f"zero-result {100 * report['zero_rate']:.1f}% over {report['queries']} queries",
        flush=True,
    )


def _pg_available() -> bool:
    try:
        import psycopg

        base = PG_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
            name = PG_URL.rsplit("/", 1)[1]
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception:
        return False


def _run(phase: str, kind: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "bench.bench_relevance", "--phase", phase],
        env=_env(kind),
        cwd=ROOT.parent,
        check=True,
    )


def _summarise() -> None:
    rows = []
    for engine in ("tantivy", "postgres"):
        path = DATA / f"results-{engine}.json"
        if path.exists():
            rows.append(json.loads(path.read_text(encoding="utf-8")))
    load = os.getloadavg()
    lines = [
        "# Relevance on the judged query set",
        "",
        "`python -m bench bench_relevance`: the demo catalogue, every query of",
        "`tests/search_judgments/queries.json` through the public search (aliases, numbers,",
        "corrections on). Gains 3/2/1 from the judgments; NDCG@10 over every query, recall@20",
        "over the documents graded 2 or more.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, load {load[0]:.2f} "
        f"{load[1]:.2f} {load[2]:.2f} (uptime at the end of the run).",
        "",
        "| engine | queries | NDCG@10 | recall@20 | zero-result | search p50 / p95 ms | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['engine']} | {r['queries']} | {r['ndcg10']:.3f} | {r['recall20']:.3f} | "
            f"{100 * r['zero_rate']:.1f}% | {r.get('ms_p50', 0):.1f} / {r.get('ms_p95', 0):.1f} | "
            f"{r['seconds']} |"
        )
    lines += [
        "",
        "By kind of query (NDCG@10):",
        "",
        "| kind | " + " | ".join(r["engine"] for r in rows) + " |",
    ]
    lines.append("|---|" + "---|" * len(rows))
    kinds = sorted({k for r in rows for k in r["by_kind"]})
    for kind in kinds:
        lines.append(
            f"| {kind} | " + " | ".join(f"{r['by_kind'].get(kind, 0):.3f}" for r in rows) + " |"
        )
    lines += [
        "",
        "Search times are the search selector for one query on a 3,400-document catalogue",
        "(engine, aliases, numbers, the 20 documents, snippets; corrections when nothing was",
        "found), on a machine shared with other work: the load figures above. The slowest",
        "search of each run is the first that found nothing, which builds the suggestion",
        "vocabulary (pinyin of about 1,000 words; once per process and alias edit): "
        + ", ".join(f"{r['engine']} {max(q['ms'] for q in r['per_query']):.0f} ms" for r in rows)
        + ".",
    ]
    worst = rows[0]["worst"] if rows else []
    if worst:
        lines += ["", "Weakest queries (tantivy):", ""]
        lines += [f"- {w['q']} ({w['kind']}): NDCG@10 {w['ndcg10']:.2f}" for w in worst]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    recorded = {r["engine"]: round(r["ndcg10"], 3) for r in rows}
    (ROOT.parent / "tests" / "search_judgments" / "recorded.json").write_text(
        json.dumps({"ndcg10": recorded}, indent=1) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", default="")
    args = parser.parse_args(argv if argv is not None else [])
    if args.phase == "load-sqlite" or args.phase == "load-pg":
        _load()
    elif args.phase == "judge-tantivy":
        _judge("tantivy")
    elif args.phase == "judge-pg":
        _judge("postgres")
    else:
        if not (DATA / "sqlite" / "gongkai.sqlite3").exists():
            _run("load-sqlite", "sqlite")
        _run("judge-tantivy", "sqlite")
        if _pg_available():
            _run("load-pg", "pg")
            _run("judge-pg", "pg")
        _summarise()


if __name__ == "__main__":
    main(sys.argv[1:])
