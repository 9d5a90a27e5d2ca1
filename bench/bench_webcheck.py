"""政府网站检查: crawling a large fixture site politely, and scoring the city's 63 sites.

    python -m bench bench_webcheck
    BENCH_WEBCHECK_PAGES=10000 BENCH_WEBCHECK_RATE=10 python -m bench bench_webcheck   # full
    BENCH_WEBCHECK_PARTS=score python -m bench bench_webcheck                          # one part

1. Crawl: a fixture site of N pages (a tree, ten links a page, ~6 KB each, generated on
   request) served on 127.0.0.1 by a separate process; the crawler (gongkai.apps.webcheck.
   crawler, the one the check job runs) at R requests/s per host with 4 in flight. The rate
   implies (requests − 1) / R seconds; target: at most 10 % more. Resident memory of the
   crawling process (peak RSS, ru_maxrss) target: < 300 MB. Every page's links are parsed
   and every page body is fed to the same page reader as a check.
2. Scoring: the 63 sites' recorded observations scored by the indicators (pure), then the
   whole finishing path per site through the services (score, evidence, tasks, audit) on
   SQLite. Target: < 5 s for the 63.

Generated data stays under bench/data/webcheck/ (git-ignored).
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "webcheck"
REPO = ROOT.parent

SERVER = """
import sys, time
sys.path.insert(0, {repo!r})
from tests.apps.webcheck.sites import big_site, serve
with serve(big_site({pages})) as base:
    print(base, flush=True)
    while True:
        time.sleep(3600)
"""


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def crawl_part(pages: int, rate: float) -> None:
    import asyncio

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    from gongkai.apps.webcheck.crawler import CrawlConfig, Crawler
    from gongkai.domain.webcheck.words import DEFAULT_WORDS, find_words

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(repo=str(REPO), pages=pages)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base = server.stdout.readline().strip()
        seen = {"pages": 0, "links": 0, "dated": 0}

        def on_page(result):
            seen["pages"] += 1
            if result.page is not None:
                seen["links"] += len(result.page.links)
                seen["dated"] += result.page.latest is not None
                find_words(result.page.text, DEFAULT_WORDS)

        rss_before = _rss_mb()
        config = CrawlConfig(
            start_url=f"{base}/",
            rate=rate,
            per_host=4,
            max_pages=pages,
            max_depth=10,
            check_external=False,
        )
        crawler = Crawler(
            config, on_page=on_page, checkpoint_every=500, on_checkpoint=lambda st: st.to_json()
        )
        started = time.monotonic()
        cpu0 = time.process_time()
        state = asyncio.run(crawler.run())
        wall = time.monotonic() - started
        cpu = time.process_time() - cpu0
    finally:
        server.terminate()
        server.wait()
    implied = (state.requests - 1) / rate
    print(
        f"crawl: {state.pages} pages, {state.requests} requests at {rate:g}/s: "
        f"{wall:.1f} s wall (implied {implied:.1f} s, {100 * (wall / implied - 1):+.1f} %), "
        f"{cpu:.1f} s CPU; {seen['links']} links parsed, {seen['dated']} dated pages; "
        f"{state.bytes / 1e6:.1f} MB read; peak RSS {_rss_mb():.0f} MB (before {rss_before:.0f} MB)",
        flush=True,
    )


def _setup_db() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    db = DATA / "bench.sqlite3"
    if db.exists():
        db.unlink()
    os.environ["GONGKAI_DATA_DIR"] = str(DATA)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def score_part() -> None:
    _setup_db()
    from django.db import transaction

    from gongkai import clock
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.webcheck.services import check_record, rules_for
    from gongkai.demo.organizations import load_agencies
    from gongkai.demo.webcheck import _sites, recorded_observations
    from gongkai.demo.world import World
    from gongkai.domain.webcheck.indicators import score

    with transaction.atomic():
        load_agencies(World())
    sites = _sites(World())
    today = clock.today()
    rng = random.Random(7)
    observations = [recorded_observations(site, today, rng) for site in sites]
    rules = rules_for(today.year)
    started = time.monotonic()
    results = [score(obs, rules) for obs in observations]
    pure = time.monotonic() - started
    started = time.monotonic()
    for site, obs in zip(sites, observations, strict=True):
        check_record(actor=SYSTEM, site=site, obs=obs, now=clock.now())
    full = time.monotonic() - started
    failed = sum(r.verdict.value == "fail" for r in results)
    print(
        f"score: {len(sites)} sites — pure scoring {pure * 1000:.1f} ms; "
        f"finish through the services (score, evidence, tasks, audit, SQLite) {full:.2f} s; "
        f"{failed} not passing",
        flush=True,
    )


def main() -> None:
    parts = os.environ.get("BENCH_WEBCHECK_PARTS", "crawl,score").split(",")
    pages = int(os.environ.get("BENCH_WEBCHECK_PAGES", "2000"))
    rate = float(os.environ.get("BENCH_WEBCHECK_RATE", "50"))
    print(os.popen("uptime").read().strip(), flush=True)
    if "crawl" in parts:
        crawl_part(pages, rate)
    if "score" in parts:
        score_part()


if __name__ == "__main__":
    main()
