"""Pages: the public reports and checker, and the back office (build, edit, publish, oversee)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from gongkai import clock, ratelimit
from gongkai.apps.accounts.permissions import can_read_agency, is_staff_member, visible_agency_ids
from gongkai.apps.audit.middleware import client_ip
from gongkai.apps.audit.selectors import audit_publication_latest
from gongkai.apps.audit.services import chain_for_agency
from gongkai.apps.jobs.models import Job
from gongkai.apps.organizations.models import Agency, AgencyLevel
from gongkai.apps.reporting import selectors, services
from gongkai.apps.reporting.checker_files import CHECK_RULE, UnreadableFile, check_upload
from gongkai.apps.reporting.errors import ReportError, ReportExists, ReportInvalid
from gongkai.apps.reporting.forms import (
    AdjustForm,
    CheckForm,
    EnteredFiguresForm,
    NarrativeForm,
    ReportCreateForm,
)
from gongkai.apps.reporting.models import Report, ReportScope, ReportStatus
from gongkai.apps.reporting.permissions import (
    can_edit_report,
    can_enter_figures,
    can_publish_report,
    can_see_dashboard,
)
from gongkai.apps.reporting.render import (
    docx_bytes,
    html_body,
    html_document,
    pdf_bytes,
    xlsx_bytes,
)
from gongkai.apps.reporting.views_support import report_doc
from gongkai.domain.reports.charts import history_charts, render_svg
from gongkai.domain.reports.model import parse_cell_id

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _charts(agency: Agency, scope: str, year: int, years: int = 5) -> list[dict[str, Any]]:
    summaries = selectors.report_history(agency=agency, scope=scope, year=year, years=years)
    subject = selectors.scope_subject(agency, scope)
    return [
        {"chart": chart, "svg": render_svg(chart)}
        for chart in history_charts(summaries, subject=subject)
    ]


# public


def index(request):
    years = selectors.report_published_years()
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    agency = None
    if request.GET.get("agency"):
        agency = Agency.objects.filter(code=request.GET["agency"]).first()
    reports = selectors.report_list_published(year=year, agency_id=agency.pk if agency else None)
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/index.html",
        {"page": page, "years": years, "year": year, "agency": agency},
    )


def detail(request, code: str, year: int):
    agency = get_object_or_404(Agency, code=code)
    report = selectors.report_published_for(agency, year, request.GET.get("scope"))
    if report is None:
        raise Http404("该年度报告尚未发布")
    others = selectors.report_list_published(agency_id=agency.pk)
    files = {f.kind: f for f in report.files.all()}
    return render(
        request,
        "reporting/detail.html",
        {
            "report": report,
            "agency": agency,
            "files": files,
            "others": others,
            "charts": _charts(agency, report.scope, year),
            "validation": report.validation,
            "audit_head": _audit_head(agency),
        },
    )


def _audit_head(agency: Agency) -> dict[str, Any] | None:
    """The agency's audit chain head as last published (ADR 0083), shown with its report so
    that the report is one more place where the head is kept."""
    publication = audit_publication_latest()
    if publication is None:
        return None
    head = publication.heads.get(chain_for_agency(agency.pk))
    if head is None:
        return None
    return {"on": publication.on, **head, "digest": publication.digest}


def download(request, code: str, year: int, kind: str):
    agency = get_object_or_404(Agency, code=code)
    report = selectors.report_published_for(agency, year, request.GET.get("scope"))
    if report is None or kind not in CONTENT_TYPES:
        raise Http404
    try:
        record = services.report_file_ensure(report, kind)
    except ReportError as exc:
        raise Http404 from exc
    response = FileResponse(record.file.open("rb"), content_type=CONTENT_TYPES[kind])
    filename = f"{report.title}.{kind}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def check(request):
    """Anyone may check a published report saved from any site."""
    result = None
    status = 200
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        if not ratelimit.hit(CHECK_RULE, client_ip(request)).allowed:
            form.add_error(None, f"核对过于频繁，请 {CHECK_RULE.minutes} 分钟后再试。")
            status = 429
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = check_upload(upload.name, upload.read())
            except UnreadableFile as exc:
                form.add_error("file", str(exc))
    else:
        form = CheckForm()
    return render(request, "reporting/check.html", {"form": form, "result": result}, status=status)


# back office


def _staff(request) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied


def _editable_agencies(user) -> list[Agency]:
    candidates: list[Agency] = []
    if user.agency_id:
        candidates.append(user.agency)
        if user.agency.parent_id:
            candidates.append(user.agency.parent)
    return [a for a in candidates if can_edit_report(user, a)]


@login_required
def bo_list(request):
    _staff(request)
    user = request.user
    agencies = _editable_agencies(user)
    form = ReportCreateForm(request.POST or None, agencies=agencies)
    if request.method == "POST":
        if not agencies:
            raise PermissionDenied
        if form.is_valid():
            agency = form.cleaned_data["agency"]
            if not can_edit_report(user, agency):
                raise PermissionDenied
            try:
                report = services.report_create(
                    actor=user,
                    agency=agency,
                    year=form.cleaned_data["year"],
                    scope=form.cleaned_data["scope"],
                )
            except ReportExists as exc:
                url = reverse("reporting:bo_detail", args=[exc.report_id])
                form.add_error(None, format_html('{}：<a href="{}">打开该报告</a>', str(exc), url))
            except ReportError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已由平台记录生成《{report.title}》草稿。")
                return redirect("reporting:bo_detail", pk=report.pk)
    reports = selectors.report_list_for_staff(agency_ids=visible_agency_ids(user))
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/bo/list.html",
        {"page": page, "form": form if agencies else None, "agencies": agencies},
    )


def _report_for(request, pk: int) -> Report:
    _staff(request)
    report = get_object_or_404(Report.objects.select_related("agency", "agency__parent"), pk=pk)
    if not can_read_agency(request.user, report.agency_id):
        raise Http404
    return report


@login_required
def bo_detail(request, pk: int):
    report = _report_for(request, pk)
    fmt = selectors.report_format(report)
    doc = report_doc(report)
    editable = report.status == ReportStatus.DRAFT and can_edit_report(request.user, report.agency)
    drill = None
    cell_param = request.GET.get("cell")
    if cell_param:
        try:
            cell = parse_cell_id(cell_param)
            fmt.column(cell)
        except (ValueError, KeyError):
            messages.error(request, "没有这个单元格。")
        else:
            found = selectors.report_drilldown(
                report, cell, readable=visible_agency_ids(request.user)
            )
            drill = {
                "cell": cell_param,
                "label": fmt.cell_label(cell),
                "value": doc.values.get(cell),
                "entered": fmt.is_entered(cell),
                "rows": found.rows,
                "records": found.records,
                "total": found.total,
                "hidden": found.hidden,
            }
    return render(
        request,
        "reporting/bo/detail.html",
        {
            "report": report,
            "fmt": fmt,
            "body": html_body(doc, links=True),
            "validation": report.validation or {},
            "editable": editable,
            "can_publish": report.status == ReportStatus.DRAFT
            and can_publish_report(request.user, report.agency),
            "narrative_form": NarrativeForm(fmt=fmt, initial_text=report.narrative or {})
            if editable
            else None,
            "adjust_form": AdjustForm(fmt=fmt) if editable else None,
            "adjustments": [
                (fmt.cell_label(parse_cell_id(a.cell)), a) for a in report.adjustments.all()
            ],
            "drill": drill,
            "deadline": selectors.deadline_for(report.agency, report.year),
            "publish_job": _latest_publish_job(report),
        },
    )


def _latest_publish_job(report: Report) -> Any:
    return (
        Job.objects.filter(kind=services.PUBLISH_JOB, params__report_id=report.pk)
        .order_by("-id")
        .first()
    )


def _editable(request, pk: int) -> Report:
    report = _report_for(request, pk)
    if not can_edit_report(request.user, report.agency):
        raise PermissionDenied
    return report


@login_required
@require_POST
def bo_narrative(request, pk: int):
    report = _editable(request, pk)
    fmt = selectors.report_format(report)
    form = NarrativeForm(request.POST, fmt=fmt, initial_text=report.narrative or {})
    form.is_valid()
    try:
        report = services.report_narrative_save(
            actor=request.user, report=report, narrative=dict(form.cleaned_data)
        )
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "文字部分已保存，并已重新校验。" + _validity(report))
    return redirect("reporting:bo_detail", pk=pk)


def _validity(report: Report) -> str:
    if report.is_valid:
        return "报告已通过校验。"
    errors = len(report.validation.get("errors", []))
    narrative = len(report.validation.get("narrative", []))
    parts = []
    if errors:
        parts.append(f"{errors} 项勾稽关系不成立")
    if narrative:
        parts.append(f"{narrative} 处文字待完善")
    return "尚未通过校验：" + "，".join(parts) + "。"


@login_required
@require_POST
def bo_refresh(request, pk: int):
    report = _editable(request, pk)
    try:
        report = services.report_refresh(actor=request.user, report=report)
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已按最新记录重新计算。" + _validity(report))
    return redirect("reporting:bo_detail", pk=pk)


@login_required
@require_POST
def bo_adjust(request, pk: int):
    report = _editable(request, pk)
    fmt = selectors.report_format(report)
    form = AdjustForm(request.POST, fmt=fmt)
    if not form.is_valid():
        messages.error(
            request,
            "调整未保存：" + "；".join(str(e) for errs in form.errors.values() for e in errs),
        )
        return redirect("reporting:bo_detail", pk=pk)
    try:
        report = services.report_adjust(actor=request.user, report=report, **form.cleaned_data)
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "调整已保存，并已重新校验。" + _validity(report))
    return redirect("reporting:bo_detail", pk=pk)


@login_required
@require_POST
def bo_adjust_remove(request, pk: int):
    report = _editable(request, pk)
    try:
        services.report_adjustment_remove(
            actor=request.user, report=report, cell=request.POST.get("cell", "")
        )
    except ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已撤销该调整。")
    return redirect("reporting:bo_detail", pk=pk)


@login_required
@require_POST
def bo_publish(request, pk: int):
    report = _report_for(request, pk)
    if not can_publish_report(request.user, report.agency):
        raise PermissionDenied
    try:
        job = services.report_publish_request(actor=request.user, report=report)
    except ReportInvalid as exc:
        messages.error(request, str(exc))
        for problem in exc.problems[:10]:
            messages.error(request, problem)
        return redirect("reporting:bo_detail", pk=pk)
    except ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:bo_detail", pk=pk)
    job.refresh_from_db()
    if job.finished:
        if job.status == "done":
            messages.success(request, f"《{report.title}》已发布。")
        else:
            messages.error(request, "发布失败，报告已退回草稿，请查看任务详情。")
        return redirect("reporting:bo_detail", pk=pk)
    messages.info(request, "正在生成网页、DOCX、PDF、XLSX 文件并发布……")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def bo_preview(request, pk: int, kind: str):
    report = _report_for(request, pk)
    doc = report_doc(report)
    makers = {
        "html": lambda: html_document(doc).encode("utf-8"),
        "docx": lambda: docx_bytes(doc),
        "xlsx": lambda: xlsx_bytes(doc),
        "pdf": lambda: pdf_bytes(doc),
    }
    if kind not in makers:
        raise Http404
    response = HttpResponse(makers[kind](), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quote(report.title + '（草稿）.' + kind)}"
    )
    return response


@login_required
def bo_figures(request):
    """Figures agencies enter by hand (行政许可、行政处罚、行政强制决定数, 收费金额)."""
    _staff(request)
    user = request.user
    agencies = [a for a in _editable_agencies(user) if can_enter_figures(user, a)]
    if not agencies:
        raise PermissionDenied
    today = clock.today()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year - 1)
    except ValueError:
        year = today.year - 1
    year = min(max(year, 2008), today.year)
    agency = agencies[0]
    wanted = request.GET.get("agency") or request.POST.get("agency")
    for candidate in agencies:
        if candidate.code == wanted:
            agency = candidate
    specs = list(services.entered_figure_keys(year).values())
    current = selectors.entered_figures(agency_ids=[agency.pk], year=year).get(agency.pk, {})
    form = EnteredFiguresForm(request.POST or None, specs=specs, current=current)
    if request.method == "POST" and form.is_valid():
        errors = []
        for spec in specs:
            try:
                services.entered_figure_set(
                    actor=user,
                    agency=agency,
                    year=year,
                    key=spec.key,
                    value=form.cleaned_data.get(spec.key, ""),
                    note=form.cleaned_data.get("note", ""),
                )
            except ReportError as exc:
                errors.append(f"{spec.label}：{exc}")
        if errors:
            for error in errors:
                form.add_error(None, error)
        else:
            messages.success(
                request, f"{agency.name}{year}年度填报数据已保存，相关报告草稿已重新计算。"
            )
            return redirect(f"{request.path}?year={year}&agency={agency.code}")
    return render(
        request,
        "reporting/bo/figures.html",
        {
            "form": form,
            "agency": agency,
            "agencies": agencies,
            "year": year,
            "years": range(today.year, 2018, -1),
        },
    )


@login_required
def dashboard(request):
    if not can_see_dashboard(request.user):
        raise PermissionDenied
    today = clock.today()
    try:
        year = int(request.GET.get("year") or selectors.current_report_year(today))
    except ValueError:
        year = selectors.current_report_year(today)
    due = selectors.reports_due(year=year)
    level = request.GET.get("level", "")
    if level in AgencyLevel.values:
        due = [d for d in due if d.agency.level == level]
    status = request.GET.get("status", "")
    counts = {
        "all": len(due),
        "on_time": sum(1 for d in due if d.status == "按时发布"),
        "late": sum(1 for d in due if d.status == "逾期发布"),
        "draft": sum(1 for d in due if d.status == "草稿未发布"),
        "missing": sum(1 for d in due if d.status == "未建立"),
    }
    shown = [d for d in due if not status or d.status == status]
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    root = selectors.agency_tree_root()
    charts = _charts(root, ReportScope.CITY, year, years=8) if root is not None else []
    return render(
        request,
        "reporting/bo/dashboard.html",
        {
            "year": year,
            "years": range(today.year - 1, 2017, -1),
            "page": page,
            "counts": counts,
            "status": status,
            "statuses": ["按时发布", "逾期发布", "草稿未发布", "未建立"],
            "level": level,
            "levels": AgencyLevel.choices,
            "charts": charts,
            "root": root,
            "today": today,
        },
    )
