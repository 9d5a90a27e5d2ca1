"""Search and portal pages on a 1,000,000-document catalogue, on both engines.

    python -m bench bench_search                       # everything (corpus, SQLite+tantivy, PostgreSQL)
    GONGKAI_BENCH_DOCS=100000 python -m bench bench_search     # a smaller catalogue
    python -m bench.bench_search --phase query-tantivy         # one phase again

Phases run in their own processes (each with its own database settings):

1. ``corpus`` – bench_search_corpus builds the catalogue (bench/data/search/corpus.tsv);
2. ``load-sqlite`` – an embedded installation under bench/data/search/sqlite: migrations, the
   demo city's agencies, the documents (bulk insert), browse counters;
3. ``index-tantivy`` – ``index_rebuild`` (the code behind ``gongkai catalog reindex``) into
   tantivy: documents per second, end to end from the database;
4. ``query-tantivy`` – 2–3-word queries with one filter, through the search selector (engine,
   the 20 documents from the database, snippets cut from the text), with and without facet
   counts; the document page and list pages through Django's test client, with query counts;
5. ``load-pg``, ``index-pg``, ``query-pg`` – the same on PostgreSQL (database gk_catalog_bench)
   with the PostgreSQL full-text engine.

Results: bench/data/search/results-*.json, summarised into bench/results/search.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from gongkai import clock

ROOT = Path(__file__).resolve().parent
# GONGKAI_BENCH_SEARCH_DATA keeps catalogues of several sizes apart
DATA = Path(os.environ.get("GONGKAI_BENCH_SEARCH_DATA") or ROOT / "data" / "search")
RESULTS = ROOT / "results" / "search.md"
PG_URL = os.environ.get("GONGKAI_BENCH_PG", "postgres://postgres@127.0.0.1:5432/gk_catalog_bench")
QUERIES = 300
PAGES = 300
SEED = 20181231


def _docs() -> int:
    return int(os.environ.get("GONGKAI_BENCH_DOCS", "1000000"))


def _env(kind: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "gongkai.config.settings"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT.parent / "src"), str(ROOT.parent), env.get("PYTHONPATH", "")]
    )
    env["DEBUG"] = "0"
    env["GONGKAI_BENCH_PHASE_CHILD"] = "1"
    if kind == "sqlite":
        env["GONGKAI_DATA_DIR"] = str(DATA / "sqlite")
        env["GONGKAI_SEARCH_ENGINE"] = "tantivy"
    else:
        env["GONGKAI_DATA_DIR"] = str(DATA / "pg")
        env["DATABASE_URL"] = PG_URL
        env["GONGKAI_SEARCH_ENGINE"] = "postgres"
    return env


def _cpu_seconds() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _setup() -> None:
    import django

    django.setup()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _summary(ms: list[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50": round(_pct(ms, 0.5), 2),
        "p95": round(_pct(ms, 0.95), 2),
        "max": round(max(ms), 2) if ms else 0.0,
        "mean": round(statistics.fmean(ms), 2) if ms else 0.0,
    }


def _save(name: str, data: dict) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"results-{name}.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    old.update(data)
    path.write_text(json.dumps(old, ensure_ascii=False, indent=1))


# loading -------------------------------------------------------------------------------------


def _load(kind: str) -> None:
    _setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.bench_search_corpus import CORPUS, read
    from gongkai.apps.catalog.models import (
        Column,
        Document,
        DocumentOrigin,
        DocumentState,
        Genre,
        IndexNoCounter,
        Topic,
    )
    from gongkai.apps.catalog.services.maintenance import counts_rebuild
    from gongkai.apps.organizations.models import Agency
    from gongkai.demo.world import demo_load

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    demo_load(only=["网站设置", "机关名录"])
    if Document.objects.exists():
        print(f"{kind}: documents already loaded ({Document.objects.count():,})")
        return
    agencies = {a.code: a for a in Agency.objects.all()}
    columns = dict(Column.objects.values_list("slug", "pk"))
    topics = dict(Topic.objects.values_list("path", "pk"))
    genres = dict(Genre.objects.values_list("name", "pk"))
    tz = timezone.get_current_timezone()
    rng = random.Random(SEED)
    seq: dict[tuple[int, int], int] = {}
    batch: list[Document] = []
    loaded = 0

    def flush() -> None:
        nonlocal batch, loaded
        with transaction.atomic():
            Document.objects.bulk_create(batch, batch_size=len(batch))
        loaded += len(batch)
        batch = []
        if loaded % 100_000 == 0:
            print(f"  {loaded:,} documents {time.perf_counter() - started:.0f} s", flush=True)

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    for row in read(CORPUS):
        agency = agencies[row["agency"]]
        published = dt.datetime.fromtimestamp(int(row["published"]), tz=tz)
        key = (agency.pk, published.year)
        seq[key] = seq.get(key, 0) + 1
        html = "".join(f"<p>{p}</p>" for p in row["paragraphs"])
        validity, validity_on = "valid", None
        if row["legal_kind"] != "other" and published.year < 2020 and rng.random() < 0.3:
            validity, validity_on = (
                rng.choice(["expired", "repealed"]),
                published.date() + dt.timedelta(days=1500),
            )
        batch.append(
            Document(
                id=int(row["id"]),
                agency=agency,
                title=row["title"][:300],
                index_no=f"{agency.index_prefix}/{published.year}-{seq[key]:05d}",
                doc_number=row["doc_number"],
                column_id=columns[row["column"]],
                topic_id=topics[row["topic"]],
                genre_id=genres[row["genre"]],
                legal_kind=row["legal_kind"],
                written_on=dt.datetime.fromtimestamp(int(row["written"]), tz=tz).date(),
                published_at=published,
                validity=validity,
                validity_on=validity_on,
                keywords=row["keywords"],
                body_html=html,
                body_text="\n".join(
                    row["paragraphs"]
                ),  # what html_to_text gives for these paragraphs
                # the published rendition, as a reviewed import leaves it (nothing masked in
                # this corpus); without it the next migrate would render every document
                public_title=row["title"][:300],
                public_body_html=html,
                public_body_text="\n".join(row["paragraphs"]),
                rendered_at=published,
                state=DocumentState.PUBLISHED,
                version=1,
                origin=DocumentOrigin.IMPORT,
            )
        )
        if len(batch) >= 2000:
            flush()
    if batch:
        flush()
    IndexNoCounter.objects.bulk_create(
        [IndexNoCounter(agency_id=a, period=str(y), last_seq=n) for (a, y), n in seq.items()],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('catalog_document', 'id'), (SELECT max(id) FROM catalog_document))"
            )
            cursor.execute("ANALYZE catalog_document")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    load_s = time.perf_counter() - started
    counted = time.perf_counter()
    counts_rebuild()
    _save(
        kind,
        {
            "documents": loaded,
            "load_seconds": round(load_s, 1),
            "counts_seconds": round(time.perf_counter() - counted, 1),
        },
    )
    print(f"{kind}: {loaded:,} documents loaded in {load_s:.0f} s")


def _live_generation() -> Path:
    """The tantivy generation the site searches (a rebuild keeps the previous one beside it)."""
    root = DATA / "sqlite" / "search" / "tantivy"
    return root / (root / "CURRENT").read_text(encoding="utf-8").strip()


def _index(kind: str) -> None:
    """Two rebuilds: the first cuts every document (nothing stored yet), the second reuses
    the tokens the first stored, as every later rebuild of unchanged documents does."""
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from gongkai.apps.catalog.models import SearchTokens
    from gongkai.apps.catalog.search.indexing import get_segmenter

    get_segmenter()
    from django.db import connection

    with connection.cursor() as cursor:
        # TRUNCATE on PostgreSQL: a DELETE leaves a million dead rows in the table and its
        # index until a vacuum (a build measured right after one spent 32 s on its first
        # thousand documents); both databases then start from an empty store
        cursor.execute(
            f"{'TRUNCATE' if connection.vendor == 'postgresql' else 'DELETE FROM'} "
            f"{SearchTokens._meta.db_table}"
        )
    data = {}
    for label in ("first", "rebuild"):
        data[label] = _measured_rebuild(kind)
        print(f"{kind} {label}: {data[label]}", flush=True)
    _save(kind, data)


def _measured_rebuild(kind: str) -> dict:
    from gongkai.apps.catalog.search import get_engine, indexing
    from gongkai.apps.catalog.search.indexing import index_rebuild

    engine = get_engine()
    # split the build into producing entries (database, segmentation) and the engine's own
    # work (adding, committing, building its index): the latter alone is what a build from
    # pre-segmented text costs
    waited = [0.0]
    built = [0.0]
    produce = indexing.iter_all_entries

    def timed_entries(**kwargs):
        source = produce(**kwargs)
        while True:
            t0 = time.perf_counter()
            entry = next(source, None)
            waited[0] += time.perf_counter() - t0
            if entry is None:
                return
            yield entry

    build = engine.build_new

    def timed_build(entries, progress=None):
        t0 = time.perf_counter()
        try:
            return build(entries, progress=progress)
        finally:
            built[0] += time.perf_counter() - t0

    indexing.iter_all_entries = timed_entries  # type: ignore[assignment]
    engine.build_new = timed_build  # type: ignore[method-assign]
    started = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int | None) -> None:
        now = time.perf_counter()
        if now - last[0] > 30:
            last[0] = now
            print(
                f"  {done:,}/{total or 0:,} {now - started:.0f} s ({done / (now - started):,.0f}/s)",
                flush=True,
            )

    load_before = [round(x, 1) for x in os.getloadavg()]
    cpu_before = _cpu_seconds()
    try:
        result = index_rebuild(engine=engine, progress=progress)
    finally:
        indexing.iter_all_entries = produce  # type: ignore[assignment]
        del engine.build_new  # the next measurement wraps the engine's own method again
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_before
    size = (
        sum(p.stat().st_size for p in _live_generation().rglob("*") if p.is_file())
        if kind == "sqlite"
        else None
    )
    if kind == "pg":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('catalog_search_pg')")
            size = cursor.fetchone()[0]
    return {
        "engine": engine.name,
        "indexed": result["documents"],
        "segmented": result["segmented"],
        "tokens_reused": result["reused"],
        "index_seconds": round(seconds, 1),
        "docs_per_second": round(result["documents"] / seconds),
        "index_mb": round((size or 0) / 1e6),
        "index_load_average": {
            "before": load_before,
            "after": [round(x, 1) for x in os.getloadavg()],
        },
        # CPU seconds of this process, its segmentation workers and tantivy's threads (not
        # the PostgreSQL server's); on a machine where nothing else runs, wall time ≈ CPU
        # seconds / cores
        "index_cpu_seconds": round(cpu, 1),
        "docs_per_cpu_second": round(result["documents"] / cpu) if cpu else None,
        "engine_seconds": round(built[0] - waited[0], 1),
        "engine_docs_per_second": round(result["documents"] / max(built[0] - waited[0], 1e-9)),
    }


# queries -------------------------------------------------------------------------------------


def _queries(n: int) -> list[dict]:
    """2–3 words from real documents (so every query has hits), each with one filter."""
    from gongkai.apps.catalog.models import Document
    from gongkai.apps.catalog.search.indexing import get_segmenter
    from gongkai.domain.segment import QUERY_STOPWORDS

    rng = random.Random(SEED + 1)
    segmenter = get_segmenter()
    top = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    out: list[dict] = []
    while len(out) < n:
        # documents are numbered 1…n without gaps: a primary-key lookup (an ORDER BY with
        # joins lets SQLite pick a plan that scans the table)
        doc = (
            Document.objects.filter(pk=rng.randint(1, top))
            .select_related("agency", "column")
            .only(
                "title",
                "body_text",
                "agency__code",
                "column__slug",
                "topic_id",
                "published_at",
                "genre_id",
            )
            .first()
        )
        if doc is None:
            continue
        words = [
            w
            for w in segmenter.query_terms(doc.title + doc.body_text[:400])
            if len(w) >= 2 and w not in QUERY_STOPWORDS and not w.isdigit()
        ]
        if len(words) < 3:
            continue
        terms = rng.sample(words[:40], k=rng.choice([2, 2, 3]))
        kind = rng.choice(["agency", "column", "year", "topic"])
        value = {
            "agency": doc.agency.code,
            "column": doc.column.slug,
            "year": doc.published_at.year,
            "topic": doc.topic_id,
        }[kind]
        out.append({"q": " ".join(terms), "filter": kind, "value": value})
    return out


def _time(fn, repeat: int = 1) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - started) * 1000 / repeat


def _query(kind: str) -> None:
    _setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gongkai.apps.catalog.models import Column, Document, Genre, Topic
    from gongkai.apps.catalog.search import get_engine
    from gongkai.apps.catalog.search.base import EngineQuery, Filters
    from gongkai.apps.catalog.search.indexing import get_segmenter
    from gongkai.apps.catalog.selectors.search import SearchParams, catalog_search
    from gongkai.apps.organizations.models import Agency

    engine = get_engine()
    segmenter = get_segmenter()
    queries = _queries(QUERIES)
    load_before = [round(x, 1) for x in os.getloadavg()]
    agency_ids = dict(Agency.objects.values_list("code", "pk"))
    column_ids = dict(Column.objects.values_list("slug", "pk"))

    def engine_filters(q: dict) -> Filters:
        if q["filter"] == "agency":
            return Filters(agency=agency_ids[q["value"]])
        if q["filter"] == "column":
            return Filters(column=column_ids[q["value"]])
        return Filters(**{q["filter"]: q["value"]})

    def params(q: dict, facets: bool) -> SearchParams:
        return SearchParams(q=q["q"], facets=facets, **{q["filter"]: q["value"]})

    results: dict[str, dict] = {}
    hits: list[int] = []
    for label, run in (
        (
            "engine_2_3_words_one_filter",
            lambda q: engine.search(
                EngineQuery(tuple(segmenter.query_terms(q["q"])), engine_filters(q), limit=20)
            ),
        ),
        (
            "engine_2_3_words_no_filter",
            lambda q: engine.search(EngineQuery(tuple(segmenter.query_terms(q["q"])), limit=20)),
        ),
        ("search_one_filter_snippets", lambda q: catalog_search(params(q, facets=False))),
        ("search_one_filter_snippets_facets", lambda q: catalog_search(params(q, facets=True))),
    ):
        for q in queries:  # warm caches: measured is a server whose data is in memory
            run(q)
        timings, cpu = [], []
        for q in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            result = run(q)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if label == "search_one_filter_snippets":
                hits.append(result.total)
        results[label] = {**_summary(timings), "cpu": _summary(cpu)}
        print(f"{kind} {label}: {results[label]}", flush=True)
    results["median_hits"] = int(statistics.median(hits)) if hits else 0
    results["zero_hit_queries"] = sum(1 for h in hits if h == 0)

    rng = random.Random(SEED + 2)
    client = Client()
    top = Document.objects.order_by("-pk").values_list("pk", flat=True).first()
    doc_urls = [f"/catalog/documents/{rng.randint(1, top)}/" for _ in range(PAGES)]
    topics = list(Topic.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    genres = list(Genre.objects.values_list("pk", flat=True))
    list_urls = []
    for _ in range(PAGES):
        page = rng.choice([1, 1, 2, 3])
        list_urls.append(
            rng.choice(
                [
                    f"/catalog/columns/{rng.choice(list(column_ids))}/?page={page}",
                    f"/catalog/agencies/{rng.choice(list(agency_ids))}/?page={page}",
                    f"/catalog/topics/{rng.choice(topics)}/?page={page}",
                    f"/catalog/genres/{rng.choice(genres)}/?page={page}",
                    f"/catalog/years/{rng.randint(2010, 2026)}/?page={page}",
                ]
            )
        )
    search_urls = [f"/search/?q={q['q']}&{q['filter']}={q['value']}" for q in queries[:PAGES]]
    for label, urls in (
        ("document_page", doc_urls),
        ("list_page", list_urls),
        ("search_page", search_urls),
        ("home_page", ["/"] * 50),
    ):
        for url in urls:
            client.get(url)
        timings, counts, cpu = [], [], []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            if response.status_code not in (200, 302, 404):
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            counts.append(len(ctx.captured_queries))
        results[label] = {
            **_summary(timings),
            "cpu": _summary(cpu),
            "max_queries": max(counts),
            "median_queries": int(statistics.median(counts)),
        }
        print(f"{kind} {label}: {results[label]}", flush=True)
    results["queries_sample"] = [q["q"] + f" [{q['filter']}={q['value']}]" for q in queries[:8]]
    results["load_average"] = {
        "before": load_before,
        "after": [round(x, 1) for x in os.getloadavg()],
    }
    _save(kind, {"timings": results})


# orchestration ----------------------------------------------------------------------------


def _pg_reset() -> None:
    """Create the benchmark database; install the RUM extension's Debian package for the
    server's major version when it is missing (the engine falls back to GIN without it)."""
    import psycopg

    from bench import ensure_database

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        major = conn.info.server_version // 10000
    subprocess.run(
        ["bash", str(ROOT.parent / "scripts" / "system-packages.sh"), f"postgresql-{major}-rum"],
        check=False,
    )
    ensure_database(PG_URL)


PHASES = {
    "load-sqlite": lambda: _load("sqlite"),
    "index-tantivy": lambda: _index("sqlite"),
    "query-tantivy": lambda: _query("sqlite"),
    "load-pg": lambda: _load("pg"),
    "index-pg": lambda: _index("pg"),
    "query-pg": lambda: _query("pg"),
}


def _run_phase(name: str) -> None:
    kind = "sqlite" if name.endswith(("sqlite", "tantivy")) else "pg"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.bench_search", "--phase", name],
        env=_env(kind),
        check=True,
        cwd=ROOT.parent,
    )
    print(f"[{name}] {time.perf_counter() - started:.0f} s", flush=True)


def _us(data: dict) -> str:
    if not data.get("index_cpu_seconds") or not data.get("indexed"):
        return "—"
    return str(round(data["index_cpu_seconds"] * 1e6 / data["indexed"]))


def write_report() -> None:
    def load(name: str) -> dict:
        path = DATA / f"results-{name}.json"
        return json.loads(path.read_text()) if path.exists() else {}

    sqlite, pg = load("sqlite"), load("pg")
    lines = [
        "# Search benchmark (bench/bench_search.py)",
        "",
        f"Command: `python -m bench bench_search` (GONGKAI_BENCH_DOCS={_docs():,}); one phase again: "
        "`python -m bench.bench_search --phase query-tantivy` (or `query-pg`, `index-pg` …), then "
        f"`--phase report`. Last written {clock.today().isoformat()} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL with Debian's "
        "defaults (shared_buffers 128 MB) and the RUM extension. Load averages before and after "
        "each phase are in bench/data/search/results-*.json.",
        "",
        "| measure | target | tantivy (embedded, SQLite) | PostgreSQL FTS |",
        "|---|---|---|---|",
    ]

    def cell(data: dict, *keys: str) -> str:
        node = data
        for key in keys:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        if node in ({}, None):
            return "—"
        return f"{node:,}" if isinstance(node, int) else str(node)

    def timing(data: dict, label: str) -> str:
        t = data.get("timings", {}).get(label)
        if not t:
            return "—"
        extra = f", ≤{t['max_queries']} queries" if "max_queries" in t else ""
        return f"p50 {t['p50']} / p95 {t['p95']} ms{extra}"

    lines += [
        f"| documents | 1,000,000 | {cell(sqlite, 'documents')} | {cell(pg, 'documents')} |",
        f"| first indexing, documents/s (end to end from the database, every document segmented) | ≥ 10,000 | {cell(sqlite, 'first', 'docs_per_second')} ({cell(sqlite, 'first', 'index_seconds')} s) | {cell(pg, 'first', 'docs_per_second')} ({cell(pg, 'first', 'index_seconds')} s) |",
        f"| rebuild, documents/s (end to end; tokens stored by the first indexing reused) | ≥ 10,000 | {cell(sqlite, 'rebuild', 'docs_per_second')} ({cell(sqlite, 'rebuild', 'index_seconds')} s) | {cell(pg, 'rebuild', 'docs_per_second')} ({cell(pg, 'rebuild', 'index_seconds')} s) |",
        f"| engine alone: adding pre-segmented entries and building the index, documents/s | – | {cell(sqlite, 'rebuild', 'engine_docs_per_second')} ({cell(sqlite, 'rebuild', 'engine_seconds')} s) | {cell(pg, 'rebuild', 'engine_docs_per_second')} ({cell(pg, 'rebuild', 'engine_seconds')} s) |",
        f"| CPU per document, client processes, first / rebuild (µs) | – | {_us(sqlite.get('first', {}))} / {_us(sqlite.get('rebuild', {}))} | {_us(pg.get('first', {}))} / {_us(pg.get('rebuild', {}))} |",
        f"| index size, MB | – | {cell(sqlite, 'rebuild', 'index_mb')} | {cell(pg, 'rebuild', 'index_mb')} |",
        f"| engine only: 2–3 words, one filter | – | {timing(sqlite, 'engine_2_3_words_one_filter')} | {timing(pg, 'engine_2_3_words_one_filter')} |",
        f"| engine only: 2–3 words, no filter | – | {timing(sqlite, 'engine_2_3_words_no_filter')} | {timing(pg, 'engine_2_3_words_no_filter')} |",
        f"| **search: 2–3 words, one filter, snippets** | tantivy ≤ 10 ms, PG ≤ 50 ms (p95) | {timing(sqlite, 'search_one_filter_snippets')} | {timing(pg, 'search_one_filter_snippets')} |",
        f"| same with facet counts (6 facets) | – | {timing(sqlite, 'search_one_filter_snippets_facets')} | {timing(pg, 'search_one_filter_snippets_facets')} |",
        f"| document page (HTTP, test client) | p95 ≤ 20 ms | {timing(sqlite, 'document_page')} | {timing(pg, 'document_page')} |",
        f"| list pages: column, agency, topic, genre, year | ≤ 30 ms | {timing(sqlite, 'list_page')} | {timing(pg, 'list_page')} |",
        f"| search page (HTTP, with facets) | – | {timing(sqlite, 'search_page')} | {timing(pg, 'search_page')} |",
        f"| home page (latest, key columns, interpretations) | – | {timing(sqlite, 'home_page')} | {timing(pg, 'home_page')} |",
        f"| median hits per query / zero-hit queries | – | {cell(sqlite, 'timings', 'median_hits')} / {cell(sqlite, 'timings', 'zero_hit_queries')} | {cell(pg, 'timings', 'median_hits')} / {cell(pg, 'timings', 'zero_hit_queries')} |",
        f"| corpus load into the database (bulk insert) | – | {cell(sqlite, 'load_seconds')} s | {cell(pg, 'load_seconds')} s |",
        "",
        "Sample queries: " + "；".join(sqlite.get("timings", {}).get("queries_sample", [])),
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    notes = (
        RESULTS.read_text(encoding="utf-8").split("<!-- notes -->", 1)[1]
        if RESULTS.exists() and "<!-- notes -->" in RESULTS.read_text(encoding="utf-8")
        else "\n"
    )
    RESULTS.write_text("\n".join(lines) + "\n\n<!-- notes -->" + notes, encoding="utf-8")
    print(f"written {RESULTS}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_search")
    parser.add_argument("--phase", choices=["corpus", "all", "report", *PHASES])
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args(argv if argv is not None else [])
    if args.phase in PHASES:
        if os.environ.get("GONGKAI_BENCH_PHASE_CHILD"):
            PHASES[args.phase]()
        else:  # started by hand: run it with the phase's database settings
            _run_phase(args.phase)
        return
    if args.phase == "report":
        write_report()
        return
    from bench import bench_search_corpus

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench", "bench_search_corpus"],
        env=_env("sqlite"),
        check=True,
        cwd=ROOT.parent,
    )
    print(f"[corpus] {time.perf_counter() - started:.0f} s", flush=True)
    if args.phase == "corpus":
        return
    del bench_search_corpus
    for name in ("load-sqlite", "index-tantivy", "query-tantivy"):
        _run_phase(name)
    if not args.skip_pg:
        _pg_reset()
        for name in ("load-pg", "index-pg", "query-pg"):
            _run_phase(name)
    write_report()


if __name__ == "__main__":
    main(sys.argv[1:])
