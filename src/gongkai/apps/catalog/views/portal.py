"""Public pages: search, browse lists, document pages, attachments, gazette, sitemap."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai import clock
from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.catalog import pagetags as tags
from gongkai.apps.catalog.models import Column, ColumnKindChoice, CountDimension, Genre, Topic
from gongkai.apps.catalog.selectors import browse
from gongkai.apps.catalog.selectors.search import SearchParams, catalog_search
from gongkai.apps.catalog.services.gazette import gazette_issue_render_pdf
from gongkai.apps.organizations.models import Agency
from gongkai.apps.searchwords.views import count_search
from gongkai.documents.sniff import inline_safe
from gongkai.domain.catalogmeta import SAME_CONTENT
from gongkai.pagecache import anonymous_page, fragment

SITEMAP_PAGE = 50_000  # the sitemap protocol's limit per file


@require_GET
@anonymous_page(
    tags.search_tags, timeout=settings.GONGKAI_SEARCH_PAGE_SECONDS, ready=tags.index_ready
)
def search(request):
    params = SearchParams.from_query(request.GET)
    has_input = bool(params.q.strip()) or any(
        [params.agency, params.column, params.topic, params.genre, params.year, params.validity]
    )
    result = catalog_search(params) if has_input else None
    if result is not None and params.q.strip() and params.page == 1:
        count_search(params.q, result)
    if (
        result is not None
        and len(result.exact) == 1
        and result.total <= 1
        and request.GET.get("go") == "1"
    ):
        return redirect(result.exact[0])
    return render(
        request,
        "catalog/search.html",
        # the columns are shown only when nothing was found: the template calls the function
        {"result": result, "params": params, "hot_columns": browse.home_columns},
    )


def _list_page(
    request, *, title: str, column_name: str, column_type: str, overrides: dict, context: dict
):
    params = SearchParams.from_query(request.GET, facets=False, **overrides)
    if not params.sort:
        params.sort = "date"
    result = catalog_search(params)
    return render(
        request,
        "catalog/list.html",
        {
            "title": title,
            "meta_column_name": column_name,
            "meta_column_type": column_type,
            "result": result,
            "params": params,
            **context,
        },
    )


@require_GET
@anonymous_page(tags.catalog_tags)
def browse_home(request):
    return render(
        request,
        "catalog/browse.html",
        {
            "columns": browse.column_tree(),
            "topics": browse.topic_tree(),
            "genres": browse.genres_with_counts(),
            "years": browse.counts_by_year(),
            "agencies": browse.agencies_with_counts(),
            "total": browse.total_published(),
        },
    )


@require_GET
@anonymous_page(tags.column_tags, ready=tags.index_ready)
def column(request, slug: str):
    # the column, its sub-columns and its years with their counts, read once per change of
    # the column (the page's own tags), also when whole pages are not kept (ADR 0110)
    found = fragment(
        f"catalog:column:{slug}", tags.column_tags(request, slug), lambda: _column_parts(slug)
    )
    if found is None:
        raise Http404
    col = found["column"]
    if col.kind == ColumnKindChoice.GAZETTE and not found["has_children"]:
        return redirect("catalog:gazette")  # the gazette is browsed by issue
    if col.slug in SAME_CONTENT:  # the content is filed in another column
        return redirect("catalog:column", slug=SAME_CONTENT[col.slug])
    return _list_page(
        request,
        title=col.name,
        column_name=col.name,
        column_type=col.get_kind_display(),
        overrides={"column": col.slug},
        context={
            "column": col,
            "children": found["children"],
            "years": found["years"],
            "feed_base": reverse("catalog:column", args=[col.slug]),
            "is_guide": col.kind == ColumnKindChoice.GUIDE,
        },
    )


def _column_parts(slug: str) -> dict | None:
    col = browse.column_get(slug)
    if col is None:
        return None
    children = browse.column_children(col)
    return {
        "column": col,
        "children": children,
        "has_children": bool(children) or col.children.exists(),
        "years": browse.counts_by_year(CountDimension.COLUMN, col.pk),
    }


@require_GET
def interpretations(request):
    col = (
        Column.objects.filter(kind=ColumnKindChoice.INTERPRETATION, is_active=True)
        .order_by("sort_order")
        .first()
    )
    if col is None:
        raise Http404
    return redirect("catalog:column", slug=col.slug)


@require_GET
@anonymous_page(tags.agency_tags, ready=tags.index_ready)
def agency(request, code: str):
    ag = get_object_or_404(Agency, code=code, is_active=True)
    return _list_page(
        request,
        title=f"{ag.name}主动公开的政府信息",
        column_name=ag.name,
        column_type="机关",
        overrides={"agency": ag.code},
        context={
            "agency": ag,
            "years": browse.counts_by_year(CountDimension.AGENCY, ag.pk),
            "feed_base": reverse("catalog:agency", args=[ag.code]),
        },
    )


@require_GET
@anonymous_page(tags.topic_tags, ready=tags.index_ready)
def topic(request, pk: int):
    tp = get_object_or_404(Topic, pk=pk, is_active=True)
    return _list_page(
        request,
        title=f"主题分类：{tp.path}",
        column_name=tp.name,
        column_type="主题分类",
        overrides={"topic": tp.pk},
        context={"topic": tp, "years": browse.counts_by_year(CountDimension.TOPIC, tp.pk)},
    )


@require_GET
@anonymous_page(tags.genre_tags, ready=tags.index_ready)
def genre(request, pk: int):
    gn = get_object_or_404(Genre, pk=pk, is_active=True)
    return _list_page(
        request,
        title=f"体裁：{gn.name}",
        column_name=gn.name,
        column_type="体裁分类",
        overrides={"genre": gn.pk},
        context={"genre": gn, "years": browse.counts_by_year(CountDimension.GENRE, gn.pk)},
    )


@require_GET
@anonymous_page(tags.catalog_tags, ready=tags.index_ready)
def year(request, year: int):
    if not 1949 <= year <= 2100:
        raise Http404
    return _list_page(
        request,
        title=f"{year}年公开的政府信息",
        column_name=f"{year}年",
        column_type="年份",
        overrides={"year": year},
        context={"year": year, "years": browse.counts_by_year()},
    )


@require_GET
@anonymous_page(tags.document_tags)
def document(request, pk: int):
    # the published rendition with what its page lists, loaded once per change of the
    # document (the page's own tags), shared by signed-in and anonymous visitors (ADR 0110)
    doc = browse.document_public_shared(pk)
    if doc is None:
        raise Http404
    template = (
        "catalog/document_print.html"
        if request.resolver_match.url_name == "document_print"
        else "catalog/document.html"
    )
    return render(request, template, {"doc": doc})


@require_GET
def by_index_no(request, index_no: str):
    doc = browse.document_by_index_no(index_no.strip().upper())
    if doc is None:
        raise Http404
    return redirect("catalog:document", pk=doc.pk)


def _inline_safe(att) -> bool:
    """Shown in the browser only when its bytes are what it claims (ADR 0081): files stored
    before uploads were sniffed are checked here once, by content hash."""
    from django.core.cache import cache

    key = f"catalog:inline-safe:{att.sha256}"
    known = cache.get(key)
    if known is None:
        with att.file.open("rb") as handle:
            known = inline_safe(handle.read())
        cache.set(key, known, timeout=None)
        att.file.close()
    return bool(known)


@require_GET
def attachment(request, pk: int, attachment_id: int, filename: str):
    """An attachment as the public receives it: the published rendition's file (ADR 0032).
    Originals are served only in the back office (``bo_attachment``)."""
    doc = browse.document_public_get(pk)
    if doc is None:
        raise Http404
    att = next((f for f in doc.attachments.all() if f.attachment_id == attachment_id), None)
    if att is None:
        raise Http404
    return serve_file(att)


def serve_file(att) -> FileResponse:
    content_type = (
        att.content_type or mimetypes.guess_type(att.filename)[0] or "application/octet-stream"
    )
    inline = content_type in ("application/pdf", "image/jpeg", "image/png") and _inline_safe(att)
    if not inline:
        content_type = "application/octet-stream"
    response = FileResponse(att.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = (
        f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(att.filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@anonymous_page(tags.gazette_tags)
def gazette(request):
    issues = browse.gazette_issues()
    years = sorted({i.year for i in issues}, reverse=True)
    return render(request, "catalog/gazette.html", {"issues": issues, "years": years})


@require_GET
@anonymous_page(tags.gazette_tags)
def gazette_issue(request, pk: int):
    issue = browse.gazette_issue_get(pk)
    if issue is None:
        raise Http404
    return render(
        request,
        "catalog/gazette_issue.html",
        {"issue": issue, "documents": browse.gazette_issue_documents(issue)},
    )


@require_GET
def gazette_pdf(request, pk: int):
    """The issue's PDF; rendered on first request when the background job has not run yet."""
    issue = browse.gazette_issue_get(pk)
    if issue is None:
        raise Http404
    if not issue.pdf:
        issue = gazette_issue_render_pdf(actor=SYSTEM, issue=issue)
    response = FileResponse(issue.pdf.open("rb"), content_type="application/pdf")
    name = f"政府公报{issue.year}年第{issue.number}期.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    return response


# sitemap --------------------------------------------------------------------------------------


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


@require_GET
@anonymous_page(tags.catalog_tags)
def sitemap_index(request):
    total = browse.published().count()
    pages = max(1, -(-total // SITEMAP_PAGE))
    now = clock.now().date().isoformat()
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ]
    parts.append(
        f"<sitemap><loc>{_absolute(request, reverse('catalog:sitemap_pages'))}</loc><lastmod>{now}</lastmod></sitemap>"
    )
    for n in range(1, pages + 1):
        loc = _absolute(request, reverse("catalog:sitemap_part", args=[n]))
        parts.append(f"<sitemap><loc>{loc}</loc><lastmod>{now}</lastmod></sitemap>")
    parts.append("</sitemapindex>")
    return HttpResponse("\n".join(parts), content_type="application/xml; charset=utf-8")


@require_GET
@anonymous_page(tags.catalog_tags)
def sitemap_pages(request):
    """The site's list pages: home, browse, every column, agency and year."""
    urls = ["/", reverse("catalog:browse"), reverse("catalog:gazette"), reverse("catalog:search")]
    urls += [c.get_absolute_url() for c in Column.objects.filter(is_active=True)]
    urls += [
        reverse("catalog:agency", args=[code])
        for code in Agency.objects.filter(is_active=True).values_list("code", flat=True)
    ]
    urls += [reverse("catalog:year", args=[y]) for y, _ in browse.counts_by_year()]
    body = "".join(f"<url><loc>{_absolute(request, u)}</loc></url>" for u in urls)
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


@require_GET
def sitemap_part(request, n: int):
    """Up to 50,000 documents per file, streamed in id order."""
    if n < 1:
        raise Http404
    base = _absolute(request, "/").rstrip("/")
    ids = browse.published().order_by("pk").values_list("pk", "updated_at")
    start = (n - 1) * SITEMAP_PAGE
    if not ids[start : start + 1].exists():
        raise Http404

    def rows():
        yield '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        for pk, updated in ids[start : start + SITEMAP_PAGE].iterator(chunk_size=5000):
            path = reverse("catalog:document", args=[pk])
            yield f"<url><loc>{base}{path}</loc><lastmod>{updated.date().isoformat()}</lastmod></url>\n"
        yield "</urlset>\n"

    return StreamingHttpResponse(rows(), content_type="application/xml; charset=utf-8")
