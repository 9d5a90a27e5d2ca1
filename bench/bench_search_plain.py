"""The search against a plain tantivy baseline over the same catalogue (issue: search no dearer
than its engine).

    python -m bench bench_search_plain            # needs bench_search's loaded catalogue
    GONGKAI_BENCH_SEARCH_DATA=bench/data/search-200k GONGKAI_BENCH_DOCS=200000 \\
        python -m bench bench_search_plain

Two comparisons, each run alternately in one process on the catalogue bench_search loaded
(``load-sqlite``) and indexed (``index-tantivy``):

1. **Query**: for the same 2–3-word queries with one filter, the CPU of the search selector
   (engine, the page's 20 rows from the database, title highlighting and snippets; aliases
   on, no facets) against a plain tantivy program: a boolean query of rjieba's words (its own
   dictionary, the one its index was cut with)
   and the filter over an index that stores title and text, the 20 stored documents fetched,
   a 140-character snippet cut around the first word found with the words marked. Target:
   the selector's p95 ≤ 1.5 × the plain p95.
2. **First indexing**: ``index_rebuild`` with no stored tokens (every document cut, tokens
   stored, end to end from the database) against a plain program in one process: rows read
   with one cursor, title and text cut with rjieba's search mode, added to a tantivy index
   that stores title and text, committed. Target: ≥ 0.8 × the plain rate.

Results: bench/results/search_plain.md, with the load average before and after each part
(the machine it ran on is named there).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

from bench.bench_search import DATA, _docs, _env, _pct, _setup, _summary

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "search_plain.md"
PLAIN = DATA / "plain-tantivy"
QUERIES = 300
WIDTH = 140


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _cpu() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# the plain program ---------------------------------------------------------------------------


def _plain_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("doc_id", stored=True, indexed=True, fast=True)
    sb.add_text_field("title_words", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("words", tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("title", stored=True, index_option="basic", tokenizer_name="raw")
    sb.add_text_field("text", stored=True, index_option="basic", tokenizer_name="raw")
    for name in ("agency", "column", "topic", "year"):
        sb.add_unsigned_field(name, indexed=True, fast=True)
    sb.add_integer_field("published", indexed=True, fast=True)
    return sb.build()


def plain_index() -> dict:
    """Rows read with one cursor, cut with rjieba, added to tantivy: one process."""
    import datetime as dt

    import rjieba
    import tantivy
    from django.db import connection

    from gongkai.apps.catalog.search.indexing import Vocabulary

    vocab = Vocabulary()  # the column and topic ancestry the filters need (as ours)
    shutil.rmtree(PLAIN, ignore_errors=True)
    PLAIN.mkdir(parents=True)
    schema = _plain_schema()
    index = tantivy.Index(schema, path=str(PLAIN))
    writer = index.writer(heap_size=512_000_000, num_threads=max(1, min(4, os.cpu_count() or 1)))
    load_before, cpu_before, started = _load(), _cpu(), time.perf_counter()
    done = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, title, body_text, agency_id, column_id, topic_id, published_at "
            "FROM catalog_document WHERE state = 'published' ORDER BY id"
        )
        while True:
            rows = cursor.fetchmany(1000)
            if not rows:
                break
            for pk, title, text, agency, column, topic, published in rows:
                if isinstance(published, str):
                    published = dt.datetime.fromisoformat(published)
                doc = tantivy.Document()
                doc.add_unsigned("doc_id", pk)
                doc.add_text("title_words", " ".join(rjieba.cut_for_search(title)))
                doc.add_text("words", " ".join(rjieba.cut_for_search(title + "\n" + text)))
                doc.add_text("title", title)
                doc.add_text("text", text)
                doc.add_unsigned("agency", agency)
                for c in vocab.column_chain.get(column, ()) if column else ():
                    doc.add_unsigned("column", c)
                for t in vocab.topic_chain.get(topic, ()) if topic else ():
                    doc.add_unsigned("topic", t)
                doc.add_unsigned("year", published.year)
                doc.add_integer("published", int(published.timestamp()))
                writer.add_document(doc)
                done += 1
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    return {
        "documents": done,
        "seconds": round(seconds, 1),
        "docs_per_second": round(done / seconds),
        "cpu_seconds": round(_cpu() - cpu_before, 1),
        "load": {"before": load_before, "after": _load()},
    }


def ours_first_index() -> dict:
    """``index_rebuild`` with the token store emptied: every document cut and stored."""
    from django.db import connection

    from gongkai.apps.catalog.models import SearchTokens
    from gongkai.apps.catalog.search import get_engine
    from gongkai.apps.catalog.search.indexing import index_rebuild

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SearchTokens._meta.db_table}")
    engine = get_engine()
    load_before, cpu_before, started = _load(), _cpu(), time.perf_counter()
    result = index_rebuild(engine=engine)
    seconds = time.perf_counter() - started
    return {
        "documents": result["documents"],
        "seconds": round(seconds, 1),
        "docs_per_second": round(result["documents"] / seconds),
        "cpu_seconds": round(_cpu() - cpu_before, 1),
        "load": {"before": load_before, "after": _load()},
    }


class PlainSearch:
    def __init__(self) -> None:
        import rjieba
        import tantivy

        self.rjieba = rjieba
        self.tantivy = tantivy
        self.schema = _plain_schema()
        self.index = tantivy.Index.open(str(PLAIN))
        self.searcher = self.index.searcher()

    def __call__(self, words: str, field: str, value: int) -> list[dict]:
        Q, Occur = self.tantivy.Query, self.tantivy.Occur
        # the query cut as the index was: rjieba's own dictionary (cutting it with the
        # platform's dictionary, which keeps legal terms and agency names whole, asked the
        # plain index for words it never holds, and it found nothing for 9 % of the queries)
        terms = [t for t in self.rjieba.cut(words) if t.strip()]
        clauses = [(Occur.Must, Q.term_query(self.schema, "words", t)) for t in terms]
        clauses.append(
            (Occur.Must, Q.const_score_query(Q.term_query(self.schema, field, value), 0.0))
        )
        result = self.searcher.search(Q.boolean_query(clauses), limit=20)
        out = []
        for _score, address in result.hits:
            doc = self.searcher.doc(address)
            title, text = doc["title"][0], doc["text"][0]
            out.append({"id": doc["doc_id"][0], "title": title, "snippet": _cut(text, terms)})
        return out


def _cut(text: str, terms: list[str]) -> list[tuple[str, bool]]:
    """140 characters around the first word found, the words marked."""
    found = [p for t in terms if (p := text.find(t)) >= 0]
    start = max(0, min(found) - WIDTH // 6) if found else 0
    window = text[start : start + WIDTH]
    pieces: list[tuple[str, bool]] = [(window, False)]
    for term in terms:
        split: list[tuple[str, bool]] = []
        for piece, hit in pieces:
            if hit or term not in piece:
                split.append((piece, hit))
                continue
            parts = piece.split(term)
            for i, part in enumerate(parts):
                if i:
                    split.append((term, True))
                if part:
                    split.append((part, False))
        pieces = split
    return pieces


def compare_queries() -> dict:
    from bench.bench_search import _queries
    from gongkai.apps.catalog.models import Column
    from gongkai.apps.catalog.selectors.search import SearchParams, catalog_search
    from gongkai.apps.organizations.models import Agency

    plain = PlainSearch()
    queries = _queries(QUERIES)
    agency_ids = dict(Agency.objects.values_list("code", "pk"))
    column_ids = dict(Column.objects.values_list("slug", "pk"))

    def plain_run(q: dict):
        value = q["value"]
        if q["filter"] == "agency":
            value = agency_ids[value]
        elif q["filter"] == "column":
            value = column_ids[value]
        return plain(q["q"], q["filter"], int(value))

    def ours_run(q: dict):
        return catalog_search(SearchParams(q=q["q"], facets=False, **{q["filter"]: q["value"]}))

    for q in queries:  # warm: the data in memory, caches filled
        plain_run(q)
        ours_run(q)
    load_before = _load()
    cpu: dict[str, list[float]] = {"plain": [], "ours": []}
    wall: dict[str, list[float]] = {"plain": [], "ours": []}
    hits = {"plain": 0, "ours": 0}
    for rounds in range(2):
        for i, q in enumerate(queries):
            order = (("plain", plain_run), ("ours", ours_run))
            if (i + rounds) % 2:
                order = order[::-1]
            for name, run in order:
                t0, c0 = time.perf_counter(), time.process_time()
                out = run(q)
                c1, t1 = time.process_time(), time.perf_counter()
                cpu[name].append((c1 - c0) * 1000)
                wall[name].append((t1 - t0) * 1000)
                hits[name] += len(out) if isinstance(out, list) else len(out.hits)
    result = {
        name: {"cpu": _summary(cpu[name]), "wall": _summary(wall[name]), "rows": hits[name]}
        for name in cpu
    }
    result["ratio_p95_cpu"] = round(_pct(cpu["ours"], 0.95) / _pct(cpu["plain"], 0.95), 2)
    result["ratio_p50_cpu"] = round(_pct(cpu["ours"], 0.5) / _pct(cpu["plain"], 0.5), 2)
    result["load"] = {"before": load_before, "after": _load()}
    result["queries"] = len(queries)
    return result


def run() -> None:
    _setup()
    data: dict = {"documents": None, "index": [], "machine": platform.machine()}
    from gongkai.apps.catalog.models import Document

    data["documents"] = Document.objects.filter(state="published").count()
    only = os.environ.get("GONGKAI_BENCH_PLAIN_ONLY", "")
    if only != "query":
        for _ in range(int(os.environ.get("GONGKAI_BENCH_PLAIN_ROUNDS", "1"))):
            plain = plain_index()
            print("plain index:", plain, flush=True)
            ours = ours_first_index()
            print("ours first index:", ours, flush=True)
            data["index"].append({"plain": plain, "ours": ours})
    elif not PLAIN.exists():
        plain_index()
    if only != "index":
        data["query"] = compare_queries()
        print("query:", json.dumps(data["query"], ensure_ascii=False), flush=True)
    path = DATA / "results-plain.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    old.update({k: v for k, v in data.items() if v})
    path.write_text(json.dumps(old, ensure_ascii=False, indent=1))
    write_report(old)


def write_report(data: dict) -> None:
    from gongkai import clock

    lines = [
        "# Search against plain tantivy (bench/bench_search_plain.py)",
        "",
        f"Command: `GONGKAI_BENCH_DOCS={data.get('documents') or _docs()} python -m bench "
        f"bench_search_plain`. Written {clock.today().isoformat()} on {data.get('machine')}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite, "
        f"{data.get('documents') or 0:,} documents.",
        "",
    ]
    query = data.get("query")
    if query:
        lines += [
            "| per query (2–3 words, one filter, 20 rows, snippets) | CPU p50 | CPU p95 | wall p50 | wall p95 |",
            "|---|---|---|---|---|",
        ]
        for name, label in (
            ("plain", "plain tantivy: query, 20 stored documents, snippet"),
            ("ours", "search selector (aliases on, no facets)"),
        ):
            q = query[name]
            lines.append(
                f"| {label} | {q['cpu']['p50']} ms | {q['cpu']['p95']} ms | "
                f"{q['wall']['p50']} ms | {q['wall']['p95']} ms |"
            )
        lines += [
            "",
            f"**Selector / plain, CPU p95: {query['ratio_p95_cpu']}×** (target ≤ 1.5×); "
            f"p50 {query['ratio_p50_cpu']}×. {query['queries']} queries, each run twice by "
            f"both, alternately. Load average before {query['load']['before']}, after "
            f"{query['load']['after']}.",
            "",
        ]
    for i, pair in enumerate(data.get("index", [])):
        plain, ours = pair["plain"], pair["ours"]
        ratio = round(ours["docs_per_second"] / plain["docs_per_second"], 2)
        lines += [
            f"First indexing, round {i + 1}: plain {plain['docs_per_second']:,} documents/s "
            f"({plain['seconds']} s, {plain['cpu_seconds']} CPU s, load {plain['load']['before']}"
            f" → {plain['load']['after']}); ours {ours['docs_per_second']:,} documents/s "
            f"({ours['seconds']} s, {ours['cpu_seconds']} CPU s, load {ours['load']['before']}"
            f" → {ours['load']['after']}): **{ratio}×** (target ≥ 0.8×).",
            "",
        ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    notes = old.split("<!-- notes -->", 1)[1] if "<!-- notes -->" in old else "\n"
    RESULTS.write_text("\n".join(lines) + "\n<!-- notes -->" + notes, encoding="utf-8")
    print(f"written {RESULTS}")


def main(argv: list[str] | None = None) -> None:
    if os.environ.get("GONGKAI_BENCH_PHASE_CHILD"):
        run()
        return
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "bench.bench_search_plain"],
        env=_env("sqlite"),
        check=True,
        cwd=ROOT.parent,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
