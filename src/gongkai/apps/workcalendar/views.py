"""Back-office pages of the working-day calendar (thin: check, call one service, render)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.apps.workcalendar import selectors, services
from gongkai.apps.workcalendar.errors import CalendarError, CalendarImportError
from gongkai.apps.workcalendar.forms import (
    CalculatorForm,
    DeadlineRuleForm,
    EntryForm,
    ImportForm,
    YearConfirmForm,
)
from gongkai.apps.workcalendar.importing import parse_file
from gongkai.apps.workcalendar.models import CalendarEntry, DeadlineRule, EntryKind
from gongkai.apps.workcalendar.permissions import (
    can_edit_calendar,
    can_view_calendar,
    sees_coverage_warning,
)
from gongkai.domain.deadlines import DeadlineInputError
from gongkai.domain.workdays import CalendarNotCovered

WEEK_HEADER = ["一", "二", "三", "四", "五", "六", "日"]


def _require_view(request) -> None:
    if not can_view_calendar(request.user):
        raise PermissionDenied


def _require_edit(request) -> None:
    if not can_edit_calendar(request.user):
        raise PermissionDenied


def _year_url(year: int) -> str:
    return f"{reverse('workcalendar:home')}?year={year}"


@login_required
def home(request):
    _require_view(request)
    today = clock.today()
    span = selectors.covered_years()
    try:
        year = int(
            request.GET.get("year") or (span[1] if span and span[1] < today.year else today.year)
        )
    except ValueError:
        year = today.year
    if not 1990 <= year <= 2200:
        raise Http404
    view = selectors.calendar_year_view(year)
    warning = selectors.calendar_coverage_warning(today)
    can_edit = can_edit_calendar(request.user)
    next_year = span[1] + 1 if span else year
    return render(
        request,
        "workcalendar/bo/home.html",
        {
            "view": view,
            "span": span,
            "drafts": selectors.draft_years(),
            "status": selectors.calendar_status(today),
            "warning": warning if sees_coverage_warning(request.user) or can_edit else None,
            "can_edit": can_edit,
            "week_header": WEEK_HEADER,
            "next_year": next_year,
            "confirm_form": YearConfirmForm(
                initial={
                    "year": next_year,
                    "notice": f"国务院办公厅关于{next_year}年部分节假日安排的通知",
                }
            )
            if can_edit and year == next_year and view.entries
            else None,
        },
    )


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


@login_required
def entry_edit(request, day: str | None = None):
    _require_edit(request)
    original = _parse_day(day) if day else None
    entry = CalendarEntry.objects.filter(day=original).first() if original else None
    if original and entry is None:
        raise Http404
    initial = (
        {"day": entry.day, "kind": entry.kind, "name": entry.name, "source": entry.source}
        if entry
        else {"kind": EntryKind.HOLIDAY, "day": request.GET.get("day") or None}
    )
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.calendar_entry_save(
                actor=request.user, original_day=original, **form.cleaned_data
            )
        except CalendarError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存：{saved}。")
            return redirect(_year_url(saved.day.year))
    return render(request, "workcalendar/bo/entry_form.html", {"form": form, "entry": entry})


@login_required
def entry_delete(request, day: str):
    _require_edit(request)
    entry = CalendarEntry.objects.filter(day=_parse_day(day)).first()
    if entry is None:
        raise Http404
    if request.method == "POST":
        try:
            services.calendar_entry_delete(actor=request.user, day=entry.day)
        except CalendarError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已删除：{entry}。")
        return redirect(_year_url(entry.day.year))
    return render(request, "workcalendar/bo/entry_delete.html", {"entry": entry})


@login_required
def import_view(request):
    _require_edit(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = parse_file(upload.read(), upload.name)
            result = services.calendar_import(
                actor=request.user,
                rows=parsed.rows,
                notice=form.cleaned_data["notice"] or parsed.notice,
                confirm=form.cleaned_data["confirm"],
                replace=form.cleaned_data["replace"],
                filename=upload.name,
            )
        except CalendarImportError as exc:
            errors = exc.errors
            if not errors:
                form.add_error(None, str(exc))
            else:
                form.add_error(
                    None, f"文件有{len(errors)}处错误，未导入任何数据。请改正后重新上传。"
                )
        else:
            if result.changed:
                messages.success(request, f"导入完成：{result.summary()}")
            else:
                messages.info(request, "文件与已载入的数据相同，未作改动。")
            return redirect(_year_url(max(r.day.year for r in parsed.rows)))
    return render(request, "workcalendar/bo/import.html", {"form": form, "errors": errors})


@login_required
@require_POST
def year_confirm(request):
    _require_edit(request)
    form = YearConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写年份和依据通知。")
        return redirect("workcalendar:home")
    year = form.cleaned_data["year"]
    try:
        services.calendar_year_confirm(
            actor=request.user, year=year, notice=form.cleaned_data["notice"]
        )
    except CalendarError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{year}年节假日安排已确认载入，跨年的答复期限已重新计算。")
    return redirect(_year_url(year))


@login_required
def rules(request):
    _require_view(request)
    return render(
        request,
        "workcalendar/bo/rules.html",
        {
            "rules": DeadlineRule.objects.order_by("valid_from"),
            "can_edit": can_edit_calendar(request.user),
        },
    )


@login_required
def rule_edit(request, code: str | None = None):
    _require_edit(request)
    rule = DeadlineRule.objects.filter(code=code).first() if code else None
    if code and rule is None:
        raise Http404
    form = DeadlineRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.deadline_rule_save(
                actor=request.user, original_code=code, **form.cleaned_data
            )
        except CalendarError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存：{saved.name}。")
            return redirect("workcalendar:rules")
    return render(request, "workcalendar/bo/rule_form.html", {"form": form, "rule": rule})


@login_required
def calculator(request):
    _require_view(request)
    choices = [(r.code, r.name) for r in selectors.rulesets()]
    form = CalculatorForm(request.GET or None, rule_choices=choices)
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            rules = selectors.ruleset_by_code(data["regulation"]) if data["regulation"] else None
            result = selectors.deadline_for(
                received=data["received"],
                events=[],
                rules=rules,
                working_days=data["working_days"],
            )
        except (CalendarNotCovered, DeadlineInputError) as exc:
            form.add_error(None, str(exc))
    return render(request, "workcalendar/bo/calculator.html", {"form": form, "deadline": result})
