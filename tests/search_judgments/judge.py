"""Judging the search against graded judgments written from the demo catalogue.

``queries.json`` holds, for every query, what a person typing it means, as rules over the
documents' own fields (never over the search index): a document's grade is the highest grade
of the rules it meets. A rule's conditions all have to hold:

- ``title``: every phrase occurs in the title;
- ``text``: every phrase occurs in the title, summary, body or attachment text;
- ``doc_number``: the 发文字号 is exactly this;
- ``agency``: the lead publisher's code;
- ``number``: the number occurs whole (not inside a longer number) in the text.

Gains: grade 3 (what was meant), 2 (clearly relevant), 1 (related). NDCG@10 with gain
2^g − 1; recall@20 over the documents graded 2 or more (out of at most 20); a query is a
zero-result query when the page shows neither results nor an exact 文号/索引号 match.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.json"
RECORDED = HERE / "recorded.json"
TOLERANCE = 0.02


def load_judgments() -> list[dict[str, Any]]:
    return json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]


def recorded() -> dict[str, float]:
    return json.loads(RECORDED.read_text(encoding="utf-8"))["ndcg10"]


@dataclass
class _Doc:
    pk: int
    title: str
    text: str
    doc_number: str
    agency: str


def _documents() -> list[_Doc]:
    from gongkai.apps.catalog.attachments import searchable_text
    from gongkai.apps.catalog.models import Attachment, Document, DocumentState

    attachments: dict[int, list[str]] = defaultdict(list)
    for doc_id, filename, text, recognised in Attachment.objects.filter(
        document__state=DocumentState.PUBLISHED
    ).values_list("document_id", "filename", "text", "ocr_text"):
        attachments[doc_id].append(searchable_text(filename, text or "", recognised or {}))
    docs = []
    rows = Document.objects.filter(state=DocumentState.PUBLISHED).values_list(
        "pk", "title", "summary", "body_text", "doc_number", "agency__code"
    )
    for pk, title, summary, body, number, agency in rows:
        text = "\n".join([title, summary or "", body or "", *attachments.get(pk, [])])
        docs.append(_Doc(pk, title, text, number or "", agency))
    return docs


def _meets(doc: _Doc, rule: dict[str, Any]) -> bool:
    if "agency" in rule and doc.agency != rule["agency"]:
        return False
    if "doc_number" in rule and doc.doc_number != rule["doc_number"]:
        return False
    number = rule.get("number")
    if number and not re.search(rf"(?<![0-9]){number}(?![0-9])", doc.text):
        return False
    if any(p not in doc.title for p in rule.get("title", [])):
        return False
    return all(p in doc.text for p in rule.get("text", []))


def grades(query: dict[str, Any], docs: list[_Doc]) -> dict[int, int]:
    out: dict[int, int] = {}
    for doc in docs:
        for rule in query["judge"]:
            if _meets(doc, rule):
                out[doc.pk] = max(out.get(doc.pk, 0), int(rule["grade"]))
    return out


def ndcg(ranked: list[int], judged: dict[int, int], k: int = 10) -> float:
    dcg = sum((2 ** judged.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(judged.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[int], judged: dict[int, int], k: int = 20) -> float:
    relevant = {d for d, g in judged.items() if g >= 2}
    if not relevant:
        return 1.0
    return len(relevant & set(ranked[:k])) / min(k, len(relevant))


def _ranked(q: str) -> tuple[list[int], bool]:
    from gongkai.apps.catalog.selectors.search import SearchParams, catalog_search

    page = catalog_search(SearchParams(q=q, per_page=20, facets=False))
    exact = [d.pk for d in page.exact]
    ids = list(dict.fromkeys([*exact, *(h.document.pk for h in page.hits)]))
    return ids, not ids


def evaluate(queries: list[dict[str, Any]]) -> dict[str, Any]:
    docs = _documents()
    per_query = []
    for query in queries:
        judged = grades(query, docs)
        started = time.perf_counter()
        ranked, zero = _ranked(query["q"])
        elapsed = 1000 * (time.perf_counter() - started)
        per_query.append(
            {
                "q": query["q"],
                "kind": query["kind"],
                "judged": len(judged),
                "ndcg10": ndcg(ranked, judged),
                "recall20": recall(ranked, judged),
                "zero": zero,
                "ms": round(elapsed, 2),
            }
        )
    by_kind: dict[str, list[float]] = defaultdict(list)
    for row in per_query:
        by_kind[row["kind"]].append(row["ndcg10"])
    n = len(per_query) or 1
    ms = sorted(r["ms"] for r in per_query) or [0.0]
    return {
        "ms_p50": ms[len(ms) // 2],
        "ms_p95": ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))],
        "queries": len(per_query),
        "ndcg10": sum(r["ndcg10"] for r in per_query) / n,
        "recall20": sum(r["recall20"] for r in per_query) / n,
        "zero_rate": sum(1 for r in per_query if r["zero"]) / n,
        "by_kind": {k: sum(v) / len(v) for k, v in sorted(by_kind.items())},
        "unjudged": [r["q"] for r in per_query if not r["judged"]],
        "worst": sorted(per_query, key=lambda r: r["ndcg10"])[:10],
        "per_query": per_query,
    }
