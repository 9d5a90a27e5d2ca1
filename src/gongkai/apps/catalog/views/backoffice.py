"""Back-office pages under /backoffice/catalog/: thin views over the services."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.apps.accounts.permissions import is_staff_member, is_supervisor, visible_agency_ids
from gongkai.apps.catalog import forms, privacy_gate, services
from gongkai.apps.catalog.errors import CatalogError, CatalogValidationError
from gongkai.apps.catalog.exports import export_csv_rows, export_jsonl_rows, export_queryset
from gongkai.apps.catalog.models import (
    ChannelRecord,
    ChannelTally,
    Document,
    DocumentState,
    GazetteIssue,
    ImportBatch,
    PublicationChannelChoices,
)
from gongkai.apps.catalog.permissions import (
    can_edit_for,
    can_enter_tallies_for,
    can_manage_gazette,
    can_manage_index,
    can_publish_for,
    can_read_document,
    can_review_for,
    can_withdraw_for,
)
from gongkai.apps.catalog.richtext import sanitise_pasted_html
from gongkai.apps.catalog.search import ENGINE_LABELS, get_engine
from gongkai.apps.catalog.search.follow import index_pending
from gongkai.apps.catalog.search.indexing import REBUILD_JOB
from gongkai.apps.catalog.selectors.reports import deadline_items, deadline_summary
from gongkai.apps.catalog.services.documents import index_pattern_for
from gongkai.apps.catalog.services.imports import import_batch_create
from gongkai.apps.catalog.views.portal import serve_file
from gongkai.apps.jobs.imports import error_table
from gongkai.apps.jobs.models import Job, NodeRole
from gongkai.apps.jobs.selectors import nodes_live
from gongkai.apps.jobs.services import job_enqueue
from gongkai.apps.organizations.models import Agency
from gongkai.apps.organizations.selectors import agency_root
from gongkai.apps.privacy.selectors import privacy_findings_open
from gongkai.documents.tabular import csv_writer


def _staff(request) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied


def _blocked_class() -> type[Exception]:
    try:
        return privacy_gate.blocked_error()
    except ImportError:  # pragma: no cover - the privacy app is part of the platform

        class _Never(Exception):
            pass

        return _Never


def _run(request, action: Callable[[], Any], success: str, form=None) -> Any:
    """Call a service; show its Chinese error (on the form when there is one) and return None."""
    try:
        result = action()
    except CatalogValidationError as exc:
        if form is not None:
            for field, msgs in exc.errors.items():
                for msg in msgs:
                    form.add_error(field if field in form.fields else None, msg)
        else:
            messages.error(request, str(exc))
        return None
    except CatalogError as exc:
        messages.error(request, str(exc))
        return None
    except _blocked_class() as exc:
        messages.error(request, f"隐私审查未通过：{exc}")
        return None
    messages.success(request, success)
    return result if result is not None else True


def _visible_document(request, pk: int) -> Document:
    doc = get_object_or_404(
        Document.objects.select_related(
            "agency", "column", "topic", "genre", "interprets", "superseded_by"
        ),
        pk=pk,
    )
    if not can_read_document(request.user, doc.agency_id):
        raise PermissionDenied
    return doc


def _uploads(form) -> list[tuple[str, bytes]]:
    return [(f.name, f.read()) for f in form.cleaned_data.get("attachments") or []]


# lists -------------------------------------------------------------------------------------


@login_required
@require_POST
def richtext_clean(request):
    """The editor's paste: HTML from Word, WPS or a web page through the sanitiser."""
    _staff(request)
    raw = request.POST.get("html", "")
    if len(raw) > 2_000_000:
        return JsonResponse({"error": "粘贴的内容过大"}, status=413)
    return JsonResponse({"html": sanitise_pasted_html(raw)})


@login_required
def document_list(request):
    _staff(request)
    agency_ids = visible_agency_ids(request.user)
    qs = Document.objects.select_related("agency", "column").order_by("-id")
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    state = request.GET.get("state", "")
    if state in DocumentState.values:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(index_no=q.upper()) | Q(doc_number=q))
    agency = request.GET.get("agency", "").strip()
    if agency and agency_ids is None:
        qs = qs.filter(agency__code=agency)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    state_counts: dict[str, int] = {}
    if (
        agency_ids is not None
    ):  # per-state counts for one agency (cheap); supervisors filter instead
        rows = (
            Document.objects.filter(agency_id__in=agency_ids)
            .values("state")
            .annotate(n=Count("id"))
        )
        state_counts = {r["state"]: r["n"] for r in rows}
    return render(
        request,
        "catalog/bo/list.html",
        {
            "page": page,
            "state": state,
            "q": q,
            "states": DocumentState.choices,
            "state_counts": state_counts,
            "can_create": bool(request.user.agency_id)
            and can_edit_for(request.user, request.user.agency_id),
        },
    )


@login_required
def document_create(request):
    _staff(request)
    agency = request.user.agency
    if agency is None or not can_edit_for(request.user, agency.pk):
        raise PermissionDenied
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        title = fields.pop("title")
        body = fields.pop("body_html")
        doc = _run(
            request,
            lambda: services.document_draft_create(
                actor=request.user,
                agency=agency,
                title=title,
                body_html=body,
                attachments=_uploads(form),
                **fields,
            ),
            "草稿已保存",
            form,
        )
        if doc:
            return redirect("catalog:bo_detail", pk=doc.pk)
    return render(request, "catalog/bo/form.html", {"form": form, "doc": None, "revising": False})


@login_required
def document_attachment(request, pk: int, attachment_id: int, filename: str):
    """An original attachment, for staff who may read the document (the public receives the
    published rendition's copy)."""
    _staff(request)
    doc = _visible_document(request, pk)
    att = doc.attachments.filter(pk=attachment_id).first()
    if att is None:
        raise Http404
    return serve_file(att)


@login_required
def document_detail(request, pk: int):
    _staff(request)
    doc = _visible_document(request, pk)
    user = request.user
    review = None
    open_findings = None
    try:
        review = privacy_gate.latest_review(doc)
        open_findings = privacy_findings_open(doc).count()
    except ImportError:
        pass
    context = {
        "doc": doc,
        "attachments": list(doc.attachments.all()),
        "published_files": list(doc.published_files.all()),
        "joint": list(doc.joint_agencies.all()),
        "versions": list(doc.versions.select_related("created_by")),
        "channels": list(doc.channel_records.all()),
        "interpretations": list(doc.interpretations.all()),
        "review": review,
        "open_findings": open_findings,
        "can_edit": can_edit_for(user, doc.agency_id),
        "can_review": can_review_for(user, doc.agency_id),
        "can_publish": can_publish_for(user, doc.agency_id),
        "can_withdraw": can_withdraw_for(user, doc.agency_id),
        "approve_form": forms.ApproveForm(),
        "reason_form": forms.ReasonForm(),
        "validity_form": forms.ValidityForm(
            initial={"validity": doc.validity, "on": doc.validity_on}
        ),
        "channel_form": forms.ChannelForm(initial={"published_on": clock.today()}),
    }
    return render(request, "catalog/bo/detail.html", context)


def _initial(doc: Document) -> dict[str, Any]:
    return {
        "title": doc.title,
        "column": doc.column_id or "",
        "topic": doc.topic_id or "",
        "genre": doc.genre_id or "",
        "doc_number": doc.doc_number,
        "written_on": doc.written_on,
        "legal_kind": doc.legal_kind,
        "joint_agencies": "、".join(doc.joint_agencies.values_list("name", flat=True)),
        "keywords": doc.keywords,
        "summary": doc.summary,
        "body_html": doc.body_html,
        "interprets": doc.interprets.index_no
        if doc.interprets is not None and doc.interprets.index_no
        else "",
        "interpretation_form": doc.interpretation_form,
        "media_url": doc.media_url,
        "disclosure_method": doc.disclosure_method,
        "disclosure_scope": doc.disclosure_scope,
    }


@login_required
def document_edit(request, pk: int):
    _staff(request)
    doc = _visible_document(request, pk)
    revising = doc.state == DocumentState.PUBLISHED
    if doc.state not in (DocumentState.DRAFT, DocumentState.PUBLISHED):
        messages.error(request, f"“{doc.get_state_display()}”状态的文件不能修改；请先退回为草稿")
        return redirect("catalog:bo_detail", pk=doc.pk)
    if not (
        can_publish_for(request.user, doc.agency_id)
        if revising
        else can_edit_for(request.user, doc.agency_id)
    ):
        raise PermissionDenied
    form = forms.DocumentForm(
        request.POST or None, request.FILES or None, initial=_initial(doc), revising=revising
    )
    attachments = list(doc.attachments.all())
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        remove = [int(v) for v in request.POST.getlist("remove_attachment") if v.isdigit()]
        if revising:
            result = _run(
                request,
                lambda: services.document_revise(
                    actor=request.user,
                    document=doc,
                    reason=form.cleaned_data["reason"],
                    attachments_add=_uploads(form),
                    attachments_remove=remove,
                    **fields,
                ),
                "已保存为新版本，旧版本和修改理由已留存",
                form,
            )
        else:
            result = _run(
                request,
                lambda: services.document_draft_update(
                    actor=request.user,
                    document=doc,
                    attachments_add=_uploads(form),
                    attachments_remove=remove,
                    **fields,
                ),
                "草稿已保存",
                form,
            )
        if result:
            return redirect("catalog:bo_detail", pk=doc.pk)
    return render(
        request,
        "catalog/bo/form.html",
        {"form": form, "doc": doc, "revising": revising, "attachments": attachments},
    )


# workflow actions (POST only) -----------------------------------------------------------------


def _action(request, pk: int, run: Callable[[Document], Any], success: str):
    _staff(request)
    doc = _visible_document(request, pk)
    _run(request, lambda: run(doc), success)
    return redirect("catalog:bo_detail", pk=doc.pk)


@login_required
@require_POST
def document_submit(request, pk: int):
    return _action(
        request,
        pk,
        lambda d: services.document_submit(actor=request.user, document=d),
        "已提交审核，隐私审查已完成",
    )


@login_required
@require_POST
def document_approve(request, pk: int):
    form = forms.ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写保密审查意见")
        return redirect("catalog:bo_detail", pk=pk)
    return _action(
        request,
        pk,
        lambda d: services.document_approve(
            actor=request.user, document=d, secrecy_opinion=form.cleaned_data["secrecy_opinion"]
        ),
        "审核通过，可以发布",
    )


@login_required
@require_POST
def document_return(request, pk: int):
    reason = request.POST.get("reason", "")
    return _action(
        request,
        pk,
        lambda d: services.document_return(actor=request.user, document=d, reason=reason),
        "已退回修改",
    )


@login_required
@require_POST
def document_publish(request, pk: int):
    return _action(
        request,
        pk,
        lambda d: services.document_publish(actor=request.user, document=d),
        "已发布到门户网站",
    )


@login_required
@require_POST
def document_withdraw(request, pk: int):
    reason = request.POST.get("reason", "")
    return _action(
        request,
        pk,
        lambda d: services.document_withdraw(actor=request.user, document=d, reason=reason),
        "已撤回",
    )


@login_required
@require_POST
def document_republish(request, pk: int):
    reason = request.POST.get("reason", "")
    return _action(
        request,
        pk,
        lambda d: services.document_republish(actor=request.user, document=d, reason=reason),
        "已重新发布",
    )


@login_required
@require_POST
def document_validity(request, pk: int):
    form = forms.ValidityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请完整填写有效性、日期和理由")
        return redirect("catalog:bo_detail", pk=pk)
    data = form.cleaned_data
    superseded = None
    if data["superseded_by"]:
        superseded = Document.objects.filter(index_no=data["superseded_by"].strip().upper()).first()
        if superseded is None:
            messages.error(request, f"找不到索引号为“{data['superseded_by']}”的替代文件")
            return redirect("catalog:bo_detail", pk=pk)
    return _action(
        request,
        pk,
        lambda d: services.document_validity_set(
            actor=request.user,
            document=d,
            validity=data["validity"],
            on=data["on"],
            superseded_by=superseded,
            reason=data["reason"],
        ),
        "有效性已变更",
    )


@login_required
@require_POST
def document_delete(request, pk: int):
    _staff(request)
    doc = _visible_document(request, pk)
    if _run(
        request,
        lambda: services.document_draft_delete(actor=request.user, document=doc),
        "草稿已删除",
    ):
        return redirect("catalog:bo_list")
    return redirect("catalog:bo_detail", pk=pk)


@login_required
@require_POST
def document_channel(request, pk: int):
    form = forms.ChannelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择渠道并填写发布日期")
        return redirect("catalog:bo_detail", pk=pk)
    data = form.cleaned_data
    return _action(
        request,
        pk,
        lambda d: services.document_channel_set(
            actor=request.user,
            document=d,
            channel=data["channel"],
            published_on=data["published_on"],
            note=data["note"],
        ),
        "发布渠道已登记",
    )


@login_required
@require_POST
def document_channel_remove(request, pk: int, record_id: int):
    _staff(request)
    doc = _visible_document(request, pk)
    record = get_object_or_404(ChannelRecord, pk=record_id, document=doc)
    _run(
        request,
        lambda: services.document_channel_remove(actor=request.user, record=record),
        "已删除该渠道记录",
    )
    return redirect("catalog:bo_detail", pk=pk)


@login_required
def document_version(request, pk: int, version: int):
    _staff(request)
    doc = _visible_document(request, pk)
    kept = get_object_or_404(doc.versions, version=version)
    return render(
        request, "catalog/bo/version.html", {"doc": doc, "kept": kept, "snap": kept.snapshot}
    )


# 条例第二十六条 ----------------------------------------------------------------------------


@login_required
def deadlines(request):
    _staff(request)
    agency_ids = visible_agency_ids(request.user)
    scope = None if agency_ids is None else agency_ids
    kind = request.GET.get("kind", "all")
    items = deadline_items(scope, kind=kind if kind in ("late", "at_risk") else "all")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/bo/deadlines.html",
        {
            "page": page,
            "summary": deadline_summary(scope),
            "kind": kind,
            "today": clock.today(),
        },
    )


# channel tallies -----------------------------------------------------------------------------


def _tally_agency(request):
    code = request.GET.get("agency") or request.POST.get("agency")
    if code and is_supervisor(request.user):
        return get_object_or_404(Agency, code=code)
    if request.user.agency_id is None:
        raise PermissionDenied
    return request.user.agency


@login_required
def tallies(request):
    _staff(request)
    agency = _tally_agency(request)
    if not can_read_document(request.user, agency.pk):
        raise PermissionDenied
    today = clock.today()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        year = today.year
    editable = can_enter_tallies_for(request.user, agency.pk)
    channels = PublicationChannelChoices.choices
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        saved, failed = 0, []
        for month in range(1, 13):
            for value, label in channels:
                raw = request.POST.get(f"c-{month}-{value}", "").strip()
                if raw == "":
                    continue
                if not raw.isdigit():
                    failed.append(f"{month}月{label}：“{raw}”不是整数")
                    continue
                try:
                    services.channel_tally_set(
                        actor=request.user,
                        agency=agency,
                        year=year,
                        month=month,
                        channel=value,
                        count=int(raw),
                    )
                    saved += 1
                except CatalogError as exc:
                    failed.append(f"{month}月{label}：{exc}")
        if failed:
            messages.error(request, "以下数字未保存：" + "；".join(failed[:10]))
        else:
            messages.success(request, "渠道发布统计已保存")
        return redirect(f"{request.path}?year={year}&agency={agency.code}")
    values = {
        (t.month, t.channel): t.count for t in ChannelTally.objects.filter(agency=agency, year=year)
    }
    grid = [
        {
            "month": month,
            "cells": [
                {"channel": value, "label": label, "value": values.get((month, value), "")}
                for value, label in channels
            ],
            "future": (year, month) > (today.year, today.month),
        }
        for month in range(1, 13)
    ]
    totals = [sum(values.get((m, value), 0) for m in range(1, 13)) for value, _ in channels]
    return render(
        request,
        "catalog/bo/tallies.html",
        {
            "agency": agency,
            "year": year,
            "grid": grid,
            "channels": channels,
            "totals": totals,
            "editable": editable,
            "years": list(range(today.year, today.year - 10, -1)),
        },
    )


# gazette -----------------------------------------------------------------------------------


def _gazette_agency():
    root = agency_root()
    if root is None:
        raise Http404
    return root


@login_required
def gazette_list(request):
    _staff(request)
    agency = _gazette_agency()
    allowed = can_manage_gazette(request.user, agency.pk)
    form = forms.GazetteForm(request.POST or None)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            issue = _run(
                request,
                lambda: services.gazette_issue_create(
                    actor=request.user,
                    agency=agency,
                    year=d["year"],
                    number=d["number"],
                    published_on=d["published_on"],
                    total_number=d["total_number"],
                ),
                "公报已新建",
                form,
            )
            if issue:
                return redirect("catalog:bo_gazette_issue", pk=issue.pk)
    issues = (
        GazetteIssue.objects.filter(agency=agency)
        .annotate(n=Count("documents"))
        .order_by("-year", "-number")
    )
    page = Paginator(issues, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/bo/gazette_list.html",
        {"page": page, "form": form, "allowed": allowed, "agency": agency},
    )


@login_required
def gazette_issue(request, pk: int):
    _staff(request)
    issue = get_object_or_404(GazetteIssue.objects.select_related("agency"), pk=pk)
    allowed = can_manage_gazette(request.user, issue.agency_id)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if request.POST.get("action") == "publish":
            _run(
                request,
                lambda: services.gazette_issue_publish(actor=request.user, issue=issue),
                "公报已发布，PDF 正在后台生成",
            )
        else:
            numbers = [
                n.strip().upper() for n in request.POST.get("index_nos", "").split() if n.strip()
            ]
            docs = list(Document.objects.filter(index_no__in=numbers))
            missing = sorted(set(numbers) - {d.index_no for d in docs})
            if missing:
                messages.error(request, "找不到这些索引号：" + "、".join(missing[:10]))
            else:
                _run(
                    request,
                    lambda: services.gazette_issue_set_documents(
                        actor=request.user, issue=issue, documents=docs
                    ),
                    "刊登的文件已更新",
                )
        return redirect("catalog:bo_gazette_issue", pk=pk)
    documents = list(issue.documents.select_related("agency").order_by("published_at"))
    return render(
        request,
        "catalog/bo/gazette_issue.html",
        {
            "issue": issue,
            "documents": documents,
            "allowed": allowed,
            "index_nos": "\n".join(d.index_no or "" for d in documents),
        },
    )


# import and export --------------------------------------------------------------------------


@login_required
def imports(request):
    _staff(request)
    agency = request.user.agency
    allowed = agency is not None and can_edit_for(request.user, agency.pk)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]

            batch = _run(
                request,
                lambda: import_batch_create(
                    actor=request.user,
                    agency=agency,
                    filename=upload.name,
                    content=upload.read(),
                    as_draft=form.cleaned_data["as_draft"],
                ),
                "文件已上传，正在后台导入",
                form,
            )
            if batch:
                return redirect("catalog:bo_import", pk=batch.pk)
    agency_ids = visible_agency_ids(request.user)
    batches = ImportBatch.objects.select_related("agency", "job").order_by("-id")
    if agency_ids is not None:
        batches = batches.filter(agency_id__in=agency_ids)
    return render(
        request,
        "catalog/bo/imports.html",
        {"form": form, "batches": batches[:50], "allowed": allowed},
    )


def _visible_batch(request, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("agency", "job"), pk=pk)
    if not can_read_document(request.user, batch.agency_id):
        raise PermissionDenied
    return batch


@login_required
def import_detail(request, pk: int):
    _staff(request)
    batch = _visible_batch(request, pk)
    return render(
        request, "catalog/bo/import_detail.html", {"batch": batch, "errors": batch.errors[:500]}
    )


@login_required
def import_errors_csv(request, pk: int):
    _staff(request)
    batch = _visible_batch(request, pk)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerows(error_table(batch.errors))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.csv"'
    return response


@login_required
def export(request):
    _staff(request)
    fmt = request.GET.get("format", "")
    agency_ids = visible_agency_ids(request.user)
    if fmt not in ("csv", "jsonl"):
        return render(request, "catalog/bo/export.html", {"all": agency_ids is None})
    qs = export_queryset(agency_ids=agency_ids)
    rows = export_csv_rows(qs) if fmt == "csv" else export_jsonl_rows(qs)
    content_type = (
        "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    )
    response = StreamingHttpResponse(rows, content_type=content_type)
    stamp = clock.today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="catalog-{stamp}.{fmt}"'
    return response


# search index -----------------------------------------------------------------------------


@login_required
def index_status(request):
    _staff(request)

    allowed = can_manage_index(request.user)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied

        job = job_enqueue(kind=REBUILD_JOB, title="重建全文检索索引", params={}, actor=request.user)
        messages.success(request, "索引重建已在后台开始，期间网站照常检索")
        return redirect("jobs:detail", pk=job.pk)
    engine = get_engine()
    try:
        indexed = engine.count()
    except Exception as exc:  # shown to the administrator, who can rebuild
        indexed = None
        messages.error(request, f"无法读取索引：{exc}")
    return render(
        request,
        "catalog/bo/index.html",
        {
            "engine": ENGINE_LABELS.get(engine.name, engine.name),
            "indexed": indexed,
            "published": Document.objects.filter(state=DocumentState.PUBLISHED).count(),
            "pending": index_pending(engine),
            "nodes": nodes_live(role=NodeRole.WEB, now=clock.now()),
            "jobs": Job.objects.filter(kind=REBUILD_JOB).order_by("-id")[:5],
            "allowed": allowed,
        },
    )


@login_required
def settings_view(request):
    _staff(request)

    agency = request.user.agency
    if agency is None:
        raise PermissionDenied
    form = forms.PatternForm(
        request.POST or None, initial={"index_pattern": index_pattern_for(agency.pk)}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _run(
            request,
            lambda: services.catalog_settings_set_pattern(
                actor=request.user, agency=agency, pattern=form.cleaned_data["index_pattern"]
            ),
            "索引号规则已保存，此后发布的文件按新规则编号",
            form,
        )
    ):
        return redirect("catalog:bo_settings")
    return render(request, "catalog/bo/settings.html", {"form": form, "agency": agency})
