"""Bulk export of the published catalogue as CSV or JSON Lines (streamed, any size).

The column names are the ones the importer reads, so an export re-imports cleanly."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from gongkai import clock
from gongkai.apps.catalog.models import PublicDocument
from gongkai.apps.catalog.services.imports import LABELS
from gongkai.documents.tabular import csv_writer

EXPORT_FIELDS = (
    "index_no",
    "title",
    "agency",
    "joint_agencies",
    "doc_number",
    "column",
    "topic",
    "genre",
    "legal_kind",
    "written_on",
    "published_at",
    "validity",
    "validity_on",
    "keywords",
    "summary",
    "disclosure_method",
    "disclosure_scope",
    "body",
)
EXTRA = ("attachments", "url")
EXTRA_LABELS = {"attachments": "附件", "url": "网址"}
BATCH = 2000


def export_queryset(*, agency_ids: set[int] | None = None) -> QuerySet[PublicDocument]:
    qs = PublicDocument.objects.all()  # the published rendition (ADR 0032)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs


def export_records(qs: QuerySet[PublicDocument], *, base_url: str = "") -> Iterator[dict[str, Any]]:
    """One dict per document (Chinese labels as keys), id order, fetched in batches."""
    last = 0
    while True:
        batch = list(
            qs.filter(pk__gt=last)
            .order_by("pk")
            .select_related("agency", "column", "topic", "genre")
            .prefetch_related("joint_agencies", "published_files")[:BATCH]
        )
        if not batch:
            return
        for doc in batch:
            values = {
                "index_no": doc.index_no or "",
                "title": doc.title,
                "agency": doc.agency.name,
                "joint_agencies": "、".join(a.name for a in doc.joint_agencies.all()),
                "doc_number": doc.doc_number,
                "column": doc.column.name if doc.column is not None else "",
                "topic": doc.topic.path if doc.topic is not None else "",
                "genre": doc.genre.name if doc.genre is not None else "",
                "legal_kind": doc.get_legal_kind_display(),
                "written_on": doc.written_on.isoformat() if doc.written_on else "",
                "published_at": clock.localtime(doc.published_at).strftime("%Y-%m-%d %H:%M:%S"),
                "validity": doc.get_validity_display(),
                "validity_on": doc.validity_on.isoformat() if doc.validity_on else "",
                "keywords": doc.keywords,
                "summary": doc.summary,
                "disclosure_method": doc.get_disclosure_method_display(),
                "disclosure_scope": doc.get_disclosure_scope_display(),
                "body": doc.body_html,
                "attachments": "；".join(a.filename for a in doc.attachments.all()),
                "url": base_url + doc.get_absolute_url(),
            }
            yield {LABELS.get(k, EXTRA_LABELS.get(k, k)): v for k, v in values.items()}
        last = batch[-1].pk


def _headers() -> list[str]:
    return [LABELS[k] for k in EXPORT_FIELDS] + [EXTRA_LABELS[k] for k in EXTRA]


def export_csv_rows(qs: QuerySet[PublicDocument], *, base_url: str = "") -> Iterator[str]:
    """CSV text chunks with a UTF-8 byte-order mark so spreadsheet programs read Chinese."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(_headers())
    for n, record in enumerate(export_records(qs, base_url=base_url), start=1):
        writer.writerow([record[h] for h in _headers()])
        if n % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_jsonl_rows(qs: QuerySet[PublicDocument], *, base_url: str = "") -> Iterator[str]:
    for record in export_records(qs, base_url=base_url):
        yield json.dumps(record, ensure_ascii=False) + "\n"
