"""Public pages (search, record, entity, red/black lists, feed, CSV) and the back office
(list, entry form, import with its row report, publish / 信用修复 / revoke)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.apps.accounts.permissions import can_read_agency, is_supervisor
from gongkai.apps.credit import exchange, importing, namesearch, selectors, services
from gongkai.apps.credit.errors import CreditError
from gongkai.apps.credit.forms import ImportForm, ReasonForm, record_form
from gongkai.apps.credit.models import Channel, CreditRecord, ExchangeBatch, ListKind
from gongkai.apps.credit.permissions import can_enter, can_see_backoffice
from gongkai.apps.organizations.models import Agency
from gongkai.apps.workcalendar.errors import CalendarEmpty
from gongkai.apps.workcalendar.selectors import calendar_current
from gongkai.documents.tabular import csv_writer
from gongkai.domain.codes import is_valid_uscc
from gongkai.domain.credit import (
    FIELDS,
    OFFICER_PUBLIC_FIELDS,
    CreditState,
    RecordKind,
    explain_publication,
)

PAGE = 30
EXPORT_LIMIT = 50_000


def _page(request, qs, size: int = PAGE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


# ── public ──────────────────────────────────────────────────────────────────────────────


def index(request):
    today = clock.today()
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    agency = request.GET.get("agency", "")
    code = q.upper()
    entity_url = ""
    matches = None
    if len(code) == 18 and is_valid_uscc(code):
        entity_url = f"/credit/entity/{code}/"
    elif q:
        matches = namesearch.matching_names(q)  # looked up once: the rows and the note
    rows = selectors.public_search(
        today=today,
        q=q,
        kind=kind,
        agency_id=int(agency) if agency.isdigit() else None,
        matches=matches,
    )
    return render(
        request,
        "credit/index.html",
        {
            "page": _page(request, rows),
            "q": q,
            "kind": kind,
            "kinds": RecordKind.choices(),
            "entity_url": entity_url,
            "many_names": bool(matches and matches.truncated),
            "max_names": namesearch.MAX_NAMES,
        },
    )


def record(request, pk: int):
    today = clock.today()
    # not .first(): ordering a primary-key lookup by the key costs the page for nothing
    found = list(selectors.public_records(today=today).filter(pk=pk)[:1])
    if not found:
        raise Http404("该信息不存在或已撤下")
    row = found[0]
    # the publication deadline counted day by day, and whether it was kept
    late = None
    if row.published_at and row.due_date:
        late = clock.local_date(row.published_at) > row.due_date
    return render(request, "credit/record.html", {"r": row, "explain": _explain(row), "late": late})


def entity(request, uscc: str):
    uscc = uscc.upper()
    if not is_valid_uscc(uscc):
        raise Http404("统一社会信用代码无效")
    today = clock.today()
    records = list(selectors.entity_records(uscc=uscc, today=today))
    inspections = selectors.entity_inspections(uscc=uscc)
    name = selectors.entity_name(uscc, today, records)
    if name is None and not records and not inspections:
        raise Http404("未找到该主体的公示信息")
    # the red list first, then the black list, as the page has always shown them
    lists = sorted(
        selectors.public_lists(kind=(ListKind.RED, ListKind.BLACK), today=today).filter(uscc=uscc),
        key=lambda entry: entry.kind != ListKind.RED,
    )
    return render(
        request,
        "credit/entity.html",
        {
            "uscc": uscc,
            "name": name or uscc,
            "licences": [r for r in records if r.kind == RecordKind.LICENCE],
            "penalties": [r for r in records if r.kind == RecordKind.PENALTY],
            "coercions": [r for r in records if r.kind == RecordKind.COERCION],
            "inspections": inspections,
            "lists": lists,
        },
    )


def lists(request, kind: str):
    if kind not in ListKind.values:
        raise Http404
    rows = selectors.public_lists(kind=kind, today=clock.today())
    return render(
        request,
        "credit/lists.html",
        {
            "page": _page(request, rows),
            "kind": kind,
            "title": ListKind(kind).label,
        },
    )


def feed(request):
    today = clock.today()
    rss = Rss201rev2Feed(
        title="双公示信息",
        link=request.build_absolute_uri("/credit/"),
        description="行政许可、行政处罚、行政强制决定公示",
        language="zh-cn",
    )
    for row in selectors.public_search(today=today)[:50]:
        rss.add_item(
            title=f"{row.get_kind_display()}：{row.public_name} {row.doc_number}",
            link=request.build_absolute_uri(row.get_absolute_url()),
            description=f"{row.authority_name} {row.decided_on.isoformat()} {row.category}",
            pubdate=row.published_at,
            unique_id=f"credit-{row.pk}",
        )
    return HttpResponse(rss.writeString("utf-8"), content_type="application/rss+xml; charset=utf-8")


PUBLIC_EXPORT = (
    ("kind", "类型"),
    ("public_name", "行政相对人名称"),
    ("uscc", "统一社会信用代码"),
    ("public_id_number", "证件号码"),
    ("doc_name", "决定文书名称"),
    ("doc_number", "决定文书号"),
    ("category", "类别"),
    ("content", "内容"),
    ("fine_wan", "罚款金额（万元）"),
    ("confiscated_wan", "没收金额（万元）"),
    ("decided_on", "决定日期"),
    ("valid_to", "有效期至"),
    ("authority_name", "决定机关"),
    ("public_until", "公示截止期"),
)


def export_csv(request):
    today = clock.today()
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    rows = selectors.public_search(today=today, q=q, kind=kind)[:EXPORT_LIMIT]
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow([label for _k, label in PUBLIC_EXPORT])
    for row in rows:
        writer.writerow(
            [
                row.get_kind_display()
                if key == "kind"
                else ("" if getattr(row, key) is None else getattr(row, key))
                for key, _label in PUBLIC_EXPORT
            ]
        )
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="credit.csv"'
    return response


# ── 行政执法公示: 执法主体 and 执法人员 ─────────────────────────────────────────────────


def _year(request, today: dt.date) -> int:
    year = request.GET.get("year", "")
    if year.isdigit() and 2000 <= int(year) <= today.year:
        return int(year)
    return today.year


def enforcement(request):
    """执法主体 with their officers in post and the year's decisions; certificate look-up."""
    today = clock.today()
    year = _year(request, today)
    number = request.GET.get("no", "").strip()[:40]
    checked = selectors.officer_by_certificate(number) if number else None
    return render(
        request,
        "credit/enforcement.html",
        {
            "bodies": selectors.enforcement_bodies(year=year),
            "year": year,
            "years": range(today.year, today.year - 8, -1),
            "number": number,
            "checked": checked,
            "fields": OFFICER_PUBLIC_FIELDS,
        },
    )


def enforcement_body(request, code: str):
    agency = get_object_or_404(Agency, code=code, is_active=True)
    today = clock.today()
    year = _year(request, today)
    officers = selectors.public_officers(agency_id=agency.pk)
    history = [
        (y, selectors.year_figures(agency_ids=[agency.pk], year=y).get(agency.pk))
        for y in range(today.year, today.year - 5, -1)
    ]
    if not officers and not any(f for _y, f in history):
        raise Http404("该机关未公示执法信息")
    return render(
        request,
        "credit/enforcement_body.html",
        {
            "agency": agency,
            "officers": officers,
            "history": history,
            "year": year,
            "fields": OFFICER_PUBLIC_FIELDS,
        },
    )


# ── back office ─────────────────────────────────────────────────────────────────────────


def _staff(request) -> None:
    if not can_see_backoffice(request.user):
        raise PermissionDenied


@login_required
def bo_list(request):
    _staff(request)
    rows = selectors.backoffice_records(request.user)
    state = request.GET.get("state", "")
    if state in {s.value for s in CreditState}:
        rows = rows.filter(state=state)
    late, soon = selectors.late_and_due(request.user, today=clock.today())
    return render(
        request,
        "credit/bo/list.html",
        {
            "page": _page(request, rows),
            "state": state,
            "states": CreditState.choices(),
            "late": late,
            "soon": soon,
            "kinds": RecordKind.choices(),
        },
    )


def _explain(row: CreditRecord) -> list[str]:
    try:
        return explain_publication(calendar_current(), row.kind, row.decided_on)
    except (CalendarEmpty, ValueError) as exc:
        return [str(exc)]


@login_required
def bo_record(request, pk: int):
    _staff(request)
    row = get_object_or_404(CreditRecord.objects.select_related("agency"), pk=pk)
    if not can_read_agency(request.user, row.agency_id):
        raise PermissionDenied
    fields = [
        (rule.label, getattr(row, rule.key))
        for rule in FIELDS
        if RecordKind(row.kind) in rule.kinds
    ]
    return render(
        request,
        "credit/bo/record.html",
        {
            "r": row,
            "fields": fields,
            "explain": _explain(row),
            "reason_form": ReasonForm(),
            "may": can_enter(request.user, row.agency_id),
            "history": _history(row),
        },
    )


def _history(row: CreditRecord) -> list[CreditRecord]:
    out: list[CreditRecord] = []
    current = row.replaces
    while current is not None and len(out) < 20:
        out.append(current)
        current = current.replaces
    return out


@login_required
def bo_new(request, kind: str):
    _staff(request)
    if kind not in {k.value for k in RecordKind}:
        raise Http404
    agency = request.user.agency
    if agency is None or not can_enter(request.user, agency.pk):
        raise PermissionDenied
    form = record_form(RecordKind(kind), request.POST or None)
    if request.method == "POST" and form.is_valid():
        raw: dict[str, Any] = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            saved = services.record_save(
                actor=request.user,
                agency=agency,
                kind=kind,
                raw=raw,
                channel=Channel.FORM,
                now=clock.now(),
                publish=False,
            )
        except CreditError as exc:
            form.add_error(None, str(exc))
        else:
            if saved.record is not None and saved.outcome != "refused":
                messages.success(request, "已登记，请核对后公示")
                return redirect(saved.record.get_backoffice_url())
            for problem in saved.problems:
                form.add_error(None, f"{problem.field}：{problem.message}")
    return render(
        request,
        "credit/bo/form.html",
        {
            "form": form,
            "title": f"登记{RecordKind(kind).label}决定",
        },
    )


ACTS: dict[str, tuple[str, Callable[..., Any]]] = {
    "publish": ("公示", services.record_publish),
    "repair": ("信用修复撤下", services.record_repair),
    "revoke": ("决定撤销撤下", services.record_revoke),
}


@login_required
@require_POST
def bo_act(request, pk: int, act: str):
    _staff(request)
    row = get_object_or_404(CreditRecord, pk=pk)
    if act not in ACTS:
        raise Http404
    label, service = ACTS[act]
    try:
        if act == "publish":
            service(actor=request.user, record=row, now=clock.now())
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise CreditError("请填写理由")
            service(
                actor=request.user, record=row, reason=form.cleaned_data["reason"], now=clock.now()
            )
    except CreditError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已{label}")
    return redirect(row.get_backoffice_url())


@login_required
def bo_import(request):
    _staff(request)
    agency = request.user.agency
    if agency is None or not can_enter(request.user, agency.pk):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importing.import_file(
                actor=request.user,
                agency=agency,
                kind=form.cleaned_data["kind"],
                content=upload.read(),
                file_name=upload.name,
                now=clock.now(),
            )
        except CreditError as exc:
            form.add_error(None, str(exc))
        else:
            if request.POST.get("format") == "csv":
                response = HttpResponse(report.error_csv(), content_type="text/csv")
                response["Content-Disposition"] = 'attachment; filename="errors.csv"'
                return response
    return render(request, "credit/bo/import.html", {"form": form, "report": report})


@login_required
def bo_exchange(request):
    if not is_supervisor(request.user):
        raise PermissionDenied
    batches = ExchangeBatch.objects.defer("rows")[:60]
    return render(request, "credit/bo/exchange.html", {"batches": batches})


EXCHANGE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xml": "application/xml",
}


@login_required
def bo_exchange_file(request, day: str, fmt: str):
    """A day's exchange file (made and logged on first request if the job has not yet)."""
    if not is_supervisor(request.user):
        raise PermissionDenied
    if fmt not in EXCHANGE_TYPES:
        raise Http404
    try:
        on = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    try:
        batch = exchange.exchange_batch(day=on, now=clock.now(), actor=request.user)
    except CreditError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(exchange.render(batch, fmt), content_type=EXCHANGE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="credit-{on.isoformat()}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
