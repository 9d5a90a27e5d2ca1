"""Back office pages of webcheck: the registry and its import, a site with its checks and
tasks, a check's report with evidence, samples, rectification tasks, period reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.apps.accounts.permissions import is_staff_member
from gongkai.apps.webcheck import selectors, services
from gongkai.apps.webcheck.errors import WebcheckError
from gongkai.apps.webcheck.forms import DrawForm, RegistryImportForm, SampleForm
from gongkai.apps.webcheck.models import Check, Sample, Site
from gongkai.apps.webcheck.permissions import can_manage, can_see_site
from gongkai.charts import Series, data_table, line_chart
from gongkai.domain.webcheck.indicators import (
    SITE_VETOES,
    VETO_LABELS,
    Outcome,
    Verdict,
    veto_text,
)
from gongkai.domain.webcheck.states import RectifyState


def staff_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _verdict_label(value: str) -> str:
    try:
        return Verdict(value).label
    except ValueError:
        return "—"


@staff_required
def dashboard(request):
    sites = list(selectors.sites_for(request.user))
    latest = selectors.latest_checks(sites)
    rows = [
        {
            "site": s,
            "check": latest.get(s.pk),
            "verdict": _verdict_label(latest[s.pk].verdict) if s.pk in latest else "未检查",
            "vetoes": veto_text(latest[s.pk].vetoes) if s.pk in latest else "",
        }
        for s in sites
    ]
    return render(
        request,
        "webcheck/bo/dashboard.html",
        {"rows": rows, "can_manage": can_manage(request.user), "nav": "sites"},
    )


@staff_required
def site_detail(request, pk: int):
    site = get_object_or_404(Site.objects.select_related("sponsor", "operator"), pk=pk)
    if not can_see_site(request.user, site):
        raise PermissionDenied
    checks = list(site.checks.defer("observations", "crawl_state", "result")[:20])
    for c in checks:
        c.verdict_label = _verdict_label(c.verdict)  # type: ignore[attr-defined]
    tasks = site.rectifications.order_by("-opened_on", "pk")[:50]
    return render(
        request,
        "webcheck/bo/site.html",
        {
            "site": site,
            "checks": checks,
            "tasks": tasks,
            "can_manage": can_manage(request.user),
            "today": clock.today(),
        },
    )


@staff_required
@require_POST
def site_check(request, pk: int):
    site = get_object_or_404(Site, pk=pk)
    try:
        services.check_start(actor=request.user, site=site, now=clock.now())
    except WebcheckError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "检查已加入后台任务队列，完成后本页显示结果")
    return redirect("webcheck:site", pk=pk)


@staff_required
def check_detail(request, pk: int):
    check = get_object_or_404(Check.objects.select_related("site", "sample"), pk=pk)
    if not can_see_site(request.user, check.site):
        raise PermissionDenied
    result = check.result or {}
    rows = []
    for r in result.get("results", []):
        rows.append({**r, "outcome_label": Outcome(r["outcome"]).label})
    return render(
        request,
        "webcheck/bo/check.html",
        {
            "check": check,
            "verdict": _verdict_label(check.verdict),
            "rows": rows,
            "vetoes": [VETO_LABELS.get(v, v) for v in check.vetoes.split(",") if v],
        },
    )


@staff_required
def registry_import(request):
    if not can_manage(request.user):
        raise PermissionDenied
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    stats = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stats = services.import_registry(
                actor=request.user, content=upload.read(), file_name=upload.name, now=clock.now()
            )
        except WebcheckError as exc:
            form.add_error("file", str(exc))
    return render(request, "webcheck/bo/import.html", {"form": form, "stats": stats})


@staff_required
def tasks(request):
    today = clock.today()
    qs = selectors.tasks_for(request.user)
    state = request.GET.get("state", "open")
    if state == "overdue":
        qs = qs.filter(state=RectifyState.OPEN, due_date__lt=today)
    elif state == "open":
        qs = qs.filter(state=RectifyState.OPEN)
    return render(
        request,
        "webcheck/bo/tasks.html",
        {"tasks": qs.order_by("due_date", "pk")[:500], "today": today, "state": state},
    )


@staff_required
def samples(request):
    form = SampleForm(request.POST or None)
    if request.method == "POST":
        if not can_manage(request.user):
            raise PermissionDenied
        if form.is_valid():
            on = clock.today()
            kind = form.cleaned_data["kind"]
            start, end = (
                selectors.quarter_of(on) if kind == "quarter" else selectors.half_month_of(on)
            )
            try:
                sample = services.sample_freeze(
                    actor=request.user,
                    kind=kind,
                    period_start=start,
                    period_end=end,
                    sources=services.sources_default(on),
                    ratio=Fraction(form.cleaned_data["ratio"]) / 100,
                    now=clock.now(),
                )
            except WebcheckError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("webcheck:sample", pk=sample.pk)
    return render(
        request,
        "webcheck/bo/samples.html",
        {
            "samples": Sample.objects.all()[:100],
            "form": form,
            "can_manage": can_manage(request.user),
        },
    )


@staff_required
def sample_detail(request, pk: int):
    sample = get_object_or_404(Sample, pk=pk)
    form = DrawForm(request.POST or None)
    if request.method == "POST":
        if not can_manage(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.sample_draw(
                    actor=request.user,
                    sample=sample,
                    observed=[form.cleaned_data["observed"]],
                    now=clock.now(),
                )
            except WebcheckError as exc:
                form.add_error("observed", str(exc))
            else:
                messages.success(request, "已抽取；抽中的网站已加入检查队列")
                return redirect("webcheck:sample", pk=pk)
    drawn = set(sample.drawn_codes)
    sites = Site.objects.filter(site_code__in=drawn).order_by("site_code")
    checks = {c.site_id: c for c in sample.checks.all()}
    rows = [
        {
            "site": s,
            "check": checks.get(s.pk),
            "verdict": _verdict_label(checks[s.pk].verdict) if s.pk in checks else "待检查",
        }
        for s in sites
    ]
    return render(
        request,
        "webcheck/bo/sample.html",
        {
            "sample": sample,
            "rows": rows,
            "form": form,
            "can_manage": can_manage(request.user),
            "total": len(sample.commitment["groups"][0]["applicants"]),
        },
    )


@staff_required
def sample_record(request, pk: int):
    sample = get_object_or_404(Sample, pk=pk)
    if not sample.record:
        raise PermissionDenied
    body = json.dumps(sample.record, ensure_ascii=False, indent=1).encode("utf-8")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{sample.number}-record.json"'
    return response


@staff_required
def report(request):
    kind = "quarter" if request.GET.get("period") == "quarter" else "half_month"
    rows = selectors.period_rows(kind, until=clock.today(), count=6 if kind == "half_month" else 4)
    labels = [r.label for r in rows]
    series = [
        Series("合格率（%）", [r.pass_rate for r in rows]),
        Series(
            "检查覆盖率（%）", [round(100 * r.checked / r.sites, 1) if r.sites else 0 for r in rows]
        ),
    ]
    chart = line_chart("网站检查合格率趋势", labels, series, unit="%")
    table = data_table("网站检查合格率趋势（数据）", labels, series, unit="%")
    veto_keys = SITE_VETOES
    return render(
        request,
        "webcheck/bo/report.html",
        {
            "rows": rows,
            "chart": chart,
            "table": table,
            "kind": kind,
            "veto_heads": [VETO_LABELS[k] for k in veto_keys],
            "veto_rows": [[r.vetoes.get(k, 0) for k in veto_keys] for r in rows],
        },
    )
