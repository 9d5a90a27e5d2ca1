"""The public catalogue: list, search and detail of published documents; bulk export.

Everything here is public (only published documents appear). Dates are ISO 8601."""

from __future__ import annotations

import datetime as dt

from django.http import StreamingHttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from gongkai import clock
from gongkai.api.paging import page_field, size_field
from gongkai.apps.catalog.exports import export_csv_rows, export_jsonl_rows, export_queryset
from gongkai.apps.catalog.models import Column, Genre, Topic
from gongkai.apps.catalog.selectors import browse
from gongkai.apps.catalog.selectors.search import MAX_PER_PAGE, SearchParams, catalog_search

PREFIX = "/catalog/"
router = Router(tags=["主动公开目录"])


class Filters(Schema):
    agency: str = ""  # 机关代码
    column: str = ""  # 栏目代码
    topic: int | None = None
    genre: int | None = None
    year: int | None = None
    validity: str = ""  # valid | expired | repealed
    page: int = page_field()
    per_page: int = size_field(20, MAX_PER_PAGE)


class DocumentSummary(Schema):
    id: int
    title: str
    index_no: str
    doc_number: str
    agency: str
    agency_code: str
    column: str | None
    genre: str | None
    written_on: dt.date | None
    published_at: dt.datetime
    validity: str
    url: str


class FragmentOut(Schema):
    text: str
    hit: bool


class SearchHit(DocumentSummary):
    title_fragments: list[FragmentOut]
    snippet: list[FragmentOut]


class FacetOut(Schema):
    key: str
    label: str
    count: int


class ListOut(Schema):
    total: int
    page: int
    per_page: int
    pages: int
    items: list[DocumentSummary]


class SearchOut(Schema):
    query: str
    terms: list[str]
    sort: str
    total: int
    total_exact: bool  # false: at least ``total`` matches (PostgreSQL engine, very large results)
    page: int
    per_page: int
    pages: int
    exact: list[DocumentSummary]
    items: list[SearchHit]
    facets: dict[str, list[FacetOut]]
    notes: list[str]


class AttachmentOut(Schema):
    filename: str
    size: int
    sha256: str
    url: str


class VersionOut(Schema):
    version: int
    replaced_at: dt.datetime
    reason: str


class ChannelOut(Schema):
    channel: str
    label: str
    published_on: dt.date


class LinkOut(Schema):
    id: int
    title: str
    url: str


class DocumentDetail(DocumentSummary):
    joint_agencies: list[str]
    topic: str | None
    legal_kind: str
    validity_on: dt.date | None
    superseded_by: LinkOut | None
    keywords: str
    summary: str
    body_html: str
    disclosure_method: str
    disclosure_scope: str
    interprets: LinkOut | None
    interpretations: list[LinkOut]
    attachments: list[AttachmentOut]
    version: int
    versions: list[VersionOut]
    channels: list[ChannelOut]


class VocabularyOut(Schema):
    id: int
    code: str
    name: str
    parent: int | None


def _summary(doc) -> dict:
    return {
        "id": doc.pk,
        "title": doc.title,
        "index_no": doc.index_no or "",
        "doc_number": doc.doc_number,
        "agency": doc.agency.name,
        "agency_code": doc.agency.code,
        "column": doc.column.name if doc.column_id else None,
        "genre": doc.genre.name if doc.genre_id else None,
        "written_on": doc.written_on,
        "published_at": doc.published_at,
        "validity": doc.validity,
        "url": doc.get_absolute_url(),
    }


def _link(doc) -> dict | None:
    return {"id": doc.pk, "title": doc.title, "url": doc.get_absolute_url()} if doc else None


def _params(filters: Filters, **extra) -> SearchParams:
    if filters.per_page < 1 or filters.per_page > MAX_PER_PAGE:
        raise HttpError(400, f"每页条数应在1至{MAX_PER_PAGE}之间")
    if filters.page < 1:
        raise HttpError(400, "页码从1开始")
    return SearchParams(
        agency=filters.agency,
        column=filters.column,
        topic=filters.topic,
        genre=filters.genre,
        year=filters.year,
        validity=filters.validity,
        page=filters.page,
        per_page=filters.per_page,
        **extra,
    )


@router.get("documents", response=ListOut, summary="已公开的政府信息列表（按发布日期倒序，可筛选）")
def documents(request, filters: Query[Filters]):
    page = catalog_search(_params(filters, sort="date", facets=False))
    return {
        "total": page.total,
        "page": page.page,
        "per_page": page.params.per_page,
        "pages": page.num_pages,
        "items": [_summary(h.document) for h in page.hits],
    }


@router.get(
    "search",
    response=SearchOut,
    summary="全文检索：关键词、发文字号、索引号，带筛选、分面计数和摘要",
)
def search(request, q: str, filters: Query[Filters], sort: str = ""):
    if not q.strip():
        raise HttpError(400, "请提供检索词 q")
    if sort and sort not in ("relevance", "date"):
        raise HttpError(400, "排序 sort 应为 relevance 或 date")
    page = catalog_search(_params(filters, q=q, sort=sort))
    return {
        "query": page.query,
        "terms": page.terms,
        "sort": page.sort,
        "total": page.total,
        "total_exact": page.total_exact,
        "page": page.page,
        "per_page": page.params.per_page,
        "pages": page.num_pages,
        "exact": [_summary(d) for d in page.exact],
        "items": [
            {
                **_summary(h.document),
                "title_fragments": [{"text": f.text, "hit": f.hit} for f in h.title],
                "snippet": [
                    {"text": f.text, "hit": f.hit}
                    for f in (h.snippet.fragments if h.snippet else ())
                ],
            }
            for h in page.hits
        ],
        "facets": {
            name: [{"key": v.key, "label": v.label, "count": v.count} for v in values]
            for name, values in page.facets.items()
        },
        "notes": page.notes,
    }


@router.get(
    "documents/{doc_id}", response=DocumentDetail, summary="一条政府信息的元数据、正文、附件和解读"
)
def document(request, doc_id: int):
    doc = browse.document_public_shared(doc_id)
    if doc is None:
        raise HttpError(404, "没有这条已公开的政府信息")
    return {
        **_summary(doc),
        "joint_agencies": [a.name for a in doc.joint_agencies.all()],
        "topic": doc.topic.path if doc.topic_id else None,
        "legal_kind": doc.legal_kind,
        "validity_on": doc.validity_on,
        "superseded_by": _link(doc.superseded_by),
        "keywords": doc.keywords,
        "summary": doc.summary,
        "body_html": doc.body_html,
        "disclosure_method": doc.disclosure_method,
        "disclosure_scope": doc.disclosure_scope,
        "interprets": _link(doc.interprets)
        if doc.interprets and doc.interprets.is_public
        else None,
        "interpretations": [_link(i) for i in doc.public_interpretations],
        "attachments": [
            {
                "filename": a.filename,
                "size": a.size,
                "sha256": a.sha256,
                "url": a.get_absolute_url(),
            }
            for a in doc.attachments.all()
        ],
        "version": doc.version,
        "versions": [
            {"version": v.version, "replaced_at": v.created_at, "reason": v.reason}
            for v in doc.versions.all()
        ],
        "channels": [
            {"channel": c.channel, "label": c.get_channel_display(), "published_on": c.published_on}
            for c in doc.channel_records.all()
        ],
    }


def _export_qs(agency: str):
    qs = export_queryset()
    if agency:
        qs = qs.filter(agency__code=agency)
    return qs


def _download(rows, content_type: str, ext: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(rows, content_type=content_type)
    stamp = clock.today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="catalog-{stamp}.{ext}"'
    return response


@router.get(
    "export.csv", summary="导出目录（CSV，UTF-8 带 BOM，列名与批量导入一致）", response={200: None}
)
def export_csv(request, agency: str = ""):
    base = request.build_absolute_uri("/").rstrip("/")
    return _download(
        export_csv_rows(_export_qs(agency), base_url=base), "text/csv; charset=utf-8", "csv"
    )


@router.get("export.jsonl", summary="导出目录（JSON Lines，每行一条）", response={200: None})
def export_jsonl(request, agency: str = ""):
    base = request.build_absolute_uri("/").rstrip("/")
    return _download(
        export_jsonl_rows(_export_qs(agency), base_url=base),
        "application/x-ndjson; charset=utf-8",
        "jsonl",
    )


@router.get("columns", response=list[VocabularyOut], summary="栏目")
def columns(request):
    return [
        {"id": c.pk, "code": c.slug, "name": c.name, "parent": c.parent_id}
        for c in Column.objects.filter(is_active=True).order_by("sort_order", "id")
    ]


@router.get("topics", response=list[VocabularyOut], summary="主题分类")
def topics(request):
    return [
        {"id": t.pk, "code": t.path, "name": t.name, "parent": t.parent_id}
        for t in Topic.objects.filter(is_active=True).order_by("sort_order", "id")
    ]


@router.get("genres", response=list[VocabularyOut], summary="体裁分类")
def genres(request):
    return [
        {"id": g.pk, "code": g.name, "name": g.name, "parent": None}
        for g in Genre.objects.filter(is_active=True).order_by("sort_order", "id")
    ]
