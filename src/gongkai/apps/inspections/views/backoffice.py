"""Back office: the 一单两库一细则 registers, tasks from creation to published results, imports,
and housing lotteries. Views parse input, check permission and call one service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.apps.accounts.permissions import can_read_agency, is_staff_member, visible_agency_ids
from gongkai.apps.inspections import selectors, services
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.forms import (
    ConflictForm,
    DrawForm,
    EntityImportForm,
    FinishForm,
    FreezeForm,
    InspectorForm,
    ItemForm,
    LotteryForm,
    ReasonForm,
    ResultForm,
    RuleSetForm,
    TaskForm,
    UploadForm,
    district_text,
)
from gongkai.apps.inspections.models import (
    DrawSelection,
    EntityImport,
    HousingLottery,
    InspectionItem,
    InspectionRuleSet,
    InspectionTask,
    Inspector,
    InspectorConflict,
    LotteryStatus,
    MarketEntity,
    ResultCategory,
    TaskStatus,
)
from gongkai.apps.inspections.permissions import (
    can_manage,
    can_manage_directory,
    can_manage_ruleset,
    can_record_results,
    can_see_applicant_identity,
    can_see_inspector_private,
    can_see_task,
)
from gongkai.apps.organizations.models import Agency

PAGE = 50


def staff_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _page(request, qs, size: int = PAGE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _own_agency(request) -> Agency:
    if request.user.agency_id is None:
        raise PermissionDenied
    return request.user.agency


def _fail(request, exc: InspectionError) -> None:
    messages.error(request, str(exc))


def _simple_form(
    request,
    form,
    save: Callable[[], Any],
    *,
    done: str,
    title: str,
    back: str,
    then: Callable[[Any], str] | None = None,
):
    """A form saved through one service: on success ``done`` and a redirect to ``then(saved)``
    (else back to ``back``); otherwise the form again, with the service's refusal on it."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(then(saved) if then else back)
    return render(
        request, "inspections/bo/simple_form.html", {"form": form, "title": title, "back": back}
    )


# ---- dashboard -------------------------------------------------------------------------------


@staff_required
def dashboard(request):
    user = request.user
    tasks = selectors.task_list_for_user(user)
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    counts = {s: selectors.task_list_for_user(user, status=s).count() for s in TaskStatus.values}
    return render(
        request,
        "inspections/bo/dashboard.html",
        {
            "page": _page(request, tasks, 30),
            "counts": [(v, label, counts[v]) for v, label in TaskStatus.choices],
            "status": status,
            "can_create": user.agency_id is not None and can_manage(user, user.agency_id),
            "today": clock.today(),
        },
    )


# ---- tasks -----------------------------------------------------------------------------------


def _task_for(request, pk: int) -> InspectionTask:
    task = get_object_or_404(InspectionTask.objects.select_related("agency", "ruleset"), pk=pk)
    if not (can_see_task(request.user, task) and is_staff_member(request.user)):
        raise PermissionDenied
    return task


def _require_manage(request, task: InspectionTask) -> None:
    if not can_manage(request.user, task.agency_id):
        raise PermissionDenied


@staff_required
def task_new(request):
    agency = _own_agency(request)
    if not can_manage(request.user, agency.pk):
        raise PermissionDenied
    form = TaskForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(actor=request.user, agency=agency, **form.service_data())
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已创建{task.number}，请核对名单后固化并公布承诺")
            return redirect(task.get_backoffice_url())
    return render(request, "inspections/bo/task_form.html", {"form": form, "task": None})


@staff_required
def task_edit(request, pk: int):
    task = _task_for(request, pk)
    _require_manage(request, task)
    initial = {
        "title": task.title,
        "year": task.year,
        "items": task.items.all(),
        "joint_agencies": task.joint_agencies.all(),
        "ruleset": task.ruleset,
        "mode": task.mode,
        "count": task.count,
        "filter_districts": district_text(task.filter_districts),
        "filter_industries": task.filter_industries,
        "filter_types": task.filter_types,
        "filter_risks": task.filter_risks,
        "check_start": task.check_start,
        "check_end": task.check_end,
    }
    form = TaskForm(request.POST or None, agency=task.agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        data.pop("year")
        try:
            services.task_update(actor=request.user, task=task, **data)
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存")
            return redirect(task.get_backoffice_url())
    return render(request, "inspections/bo/task_form.html", {"form": form, "task": task})


@staff_required
def task_detail(request, pk: int):
    task = _task_for(request, pk)
    manage = can_manage(request.user, task.agency_id)
    context: dict[str, Any] = {
        "task": task,
        "manage": manage,
        "record_results": can_record_results(request.user, task),
        "items": task.items.all(),
        "departments": [task.agency, *task.joint_agencies.all()],
        "today": clock.today(),
    }
    if task.status == TaskStatus.DRAFT:
        context["population"] = services.task_candidates(task).count()
        context["freeze_form"] = FreezeForm(expected_on=clock.today() + dt.timedelta(days=2))
        context["inspector_count"] = Inspector.objects.filter(
            agency__in=context["departments"], is_active=True
        ).count()
    if task.status == TaskStatus.FROZEN:
        context["draw_form"] = DrawForm(sources=task.sources)
    if task.status in (TaskStatus.DRAWN, TaskStatus.PUBLISHED):
        context["progress"] = selectors.task_progress(task)
        context["finish_form"] = FinishForm(initial={"finished_on": clock.today()})
        context["unfilled"] = task.selections.filter(is_standby=False).exclude(unfilled="").count()
    if task.status in (TaskStatus.DRAFT, TaskStatus.FROZEN, TaskStatus.DRAWN):
        context["reason_form"] = ReasonForm()
    return render(request, "inspections/bo/task_detail.html", context)


@staff_required
@require_POST
def task_freeze(request, pk: int):
    task = _task_for(request, pk)
    _require_manage(request, task)
    form = FreezeForm(request.POST)
    if form.is_valid():
        try:
            specs = services.source_specs_from(form.source_rows())
            services.task_freeze(actor=request.user, task=task, sources=specs)
        except InspectionError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "名单已固化，承诺已公开。随机源公布后即可录入数值进行抽取。")
    else:
        messages.error(
            request,
            "请确认并完整填写随机源："
            + "；".join(e for errs in form.errors.values() for e in errs),
        )
    return redirect(task.get_backoffice_url())


@staff_required
@require_POST
def task_draw(request, pk: int):
    task = _task_for(request, pk)
    _require_manage(request, task)
    form = DrawForm(request.POST, sources=task.sources)
    if form.is_valid():
        try:
            task = services.draw_execute(actor=request.user, task=task, observed=form.observed())
        except InspectionError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"抽取完成：抽中 {task.selected_count} 户，抽取记录已公开")
    else:
        messages.error(request, "请填写全部随机源的公布值")
    return redirect(task.get_backoffice_url())


def _post_action(
    request, pk: int, action: Callable[[InspectionTask], Any], done: str, *, results: bool = False
):
    task = _task_for(request, pk)
    allowed = (
        can_record_results(request.user, task)
        if results
        else can_manage(request.user, task.agency_id)
    )
    if not allowed:
        raise PermissionDenied
    try:
        outcome = action(task)
    except InspectionError as exc:
        _fail(request, exc)
        return redirect(task.get_backoffice_url())
    messages.success(request, done)
    if isinstance(outcome, InspectionTask):
        return redirect(outcome.get_backoffice_url())
    return redirect(task.get_backoffice_url())


@staff_required
@require_POST
def task_finish(request, pk: int):
    form = FinishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写实际检查结束日期")
        return redirect(reverse("inspections:bo_task", args=[pk]))
    return _post_action(
        request,
        pk,
        lambda t: services.task_finish_checks(
            actor=request.user, task=t, finished_on=form.cleaned_data["finished_on"]
        ),
        "已登记检查结束日期，结果公示期限已重新计算",
    )


@staff_required
@require_POST
def task_publish(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda t: services.task_results_publish(actor=request.user, task=t),
        "检查结果已向社会公示",
    )


@staff_required
@require_POST
def task_cancel(request, pk: int):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤销理由")
        return redirect(reverse("inspections:bo_task", args=[pk]))
    return _post_action(
        request,
        pk,
        lambda t: services.task_cancel(
            actor=request.user, task=t, reason=form.cleaned_data["reason"]
        ),
        "任务已撤销",
    )


@staff_required
@require_POST
def task_correct(request, pk: int):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写更正理由")
        return redirect(reverse("inspections:bo_task", args=[pk]))
    return _post_action(
        request,
        pk,
        lambda t: services.task_correct(
            actor=request.user, task=t, reason=form.cleaned_data["reason"]
        ),
        "原抽取已标记为更正，已生成新的草稿任务（承诺中将载明原记录哈希）",
    )


@staff_required
def task_results(request, pk: int):
    task = _task_for(request, pk)
    if task.status not in (TaskStatus.DRAWN, TaskStatus.PUBLISHED, TaskStatus.CANCELLED):
        raise Http404("尚未抽取")
    selections = selectors.task_selections(task)
    only = request.GET.get("only", "")
    if only == "missing":
        selections = selections.filter(result="")
    return render(
        request,
        "inspections/bo/task_results.html",
        {
            "task": task,
            "page": _page(request, selections),
            "standby": selectors.task_selections(task, standby=True)[:200],
            "only": only,
            "record_results": can_record_results(request.user, task)
            and task.status in (TaskStatus.DRAWN, TaskStatus.PUBLISHED),
            "results": ResultCategory.choices,
            "standby_strata": selectors.task_strata_with_standby(task)
            if task.status == TaskStatus.DRAWN
            else set(),
            "upload_form": UploadForm(),
            "progress": selectors.task_progress(task),
            "today": clock.today(),
        },
    )


def _selection_for_results(
    request, pk: int, selection_pk: int
) -> tuple[InspectionTask, DrawSelection]:
    """A drawn entity of a task whose results the user may record (and change)."""
    task = _task_for(request, pk)
    if not can_record_results(request.user, task):
        raise PermissionDenied
    selection = get_object_or_404(
        DrawSelection.objects.select_related("entity"), pk=selection_pk, task=task
    )
    return task, selection


def _back_to_results(request, task: InspectionTask):
    return redirect(
        reverse("inspections:bo_task_results", args=[task.pk])
        + f"?page={request.POST.get('page', 1)}"
    )


@staff_required
@require_POST
def result_record(request, pk: int, selection_pk: int):
    task, selection = _selection_for_results(request, pk, selection_pk)
    form = ResultForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            selection = services.task_result_record(
                actor=request.user,
                selection=selection,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
                checked_on=form.cleaned_data["checked_on"],
            )
        except InspectionError as exc:
            error = str(exc)
    else:
        error = "请选择检查结果；检查日期格式如 2026-11-27"
    if request.headers.get("HX-Request"):
        return render(
            request,
            "inspections/bo/_result_row.html",
            {
                "s": selection,
                "task": task,
                "record_results": True,
                "results": ResultCategory.choices,
                "standby_strata": selectors.task_strata_with_standby(task) if error else set(),
                "error": error,
                "saved": not error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"已录入 {selection.entity.name} 的检查结果")
    return _back_to_results(request, task)


@staff_required
@require_POST
def selection_substitute(request, pk: int, selection_pk: int):
    task, selection = _selection_for_results(request, pk, selection_pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写替换原因，如：已注销、已迁出本辖区")
    else:
        try:
            substitute = services.task_substitute(
                actor=request.user, selection=selection, reason=form.cleaned_data["reason"]
            )
        except InspectionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"{selection.entity.name}已由候补对象{substitute.entity.name}"
                f"（分层排序第 {substitute.rank} 位）递补，检查组已重新确定",
            )
    return _back_to_results(request, task)


@staff_required
@require_POST
def results_import(request, pk: int):
    task = _task_for(request, pk)
    if not can_record_results(request.user, task):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            n = services.task_results_import(
                actor=request.user, task=task, content=upload.read(), file_name=upload.name
            )
        except InspectionError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"已导入 {n} 户的检查结果")
    else:
        messages.error(request, "请选择要导入的文件")
    return redirect(reverse("inspections:bo_task_results", args=[task.pk]))


# ---- items -----------------------------------------------------------------------------------


@staff_required
def item_list(request):
    ids = visible_agency_ids(request.user)
    qs = InspectionItem.objects.select_related("agency")
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    return render(
        request,
        "inspections/bo/items.html",
        {
            "page": _page(request, qs.order_by("agency__sort_order", "code")),
            "can_create": request.user.agency_id is not None
            and can_manage(request.user, request.user.agency_id),
        },
    )


@staff_required
def item_form(request, pk: int | None = None):
    item = get_object_or_404(InspectionItem, pk=pk) if pk else None
    agency = item.agency if item else _own_agency(request)
    if not can_manage(request.user, agency.pk):
        raise PermissionDenied
    initial = {f: getattr(item, f) for f in services.directory.ITEM_FIELDS} if item else {}
    form = ItemForm(request.POST or None, initial=initial)

    def save() -> InspectionItem:
        if item:
            return services.item_update(actor=request.user, item=item, **form.cleaned_data)
        return services.item_create(actor=request.user, agency=agency, **form.cleaned_data)

    return _simple_form(
        request,
        form,
        save,
        done="随机抽查事项已保存",
        title="编辑抽查事项" if item else "新增抽查事项",
        back=reverse("inspections:bo_items"),
    )


@staff_required
@require_POST
def item_toggle(request, pk: int):
    item = get_object_or_404(InspectionItem, pk=pk)
    if not can_manage(request.user, item.agency_id):
        raise PermissionDenied
    services.item_set_active(actor=request.user, item=item, active=not item.is_active)
    messages.success(request, f"“{item.name}”已{'启用' if not item.is_active else '停用'}")
    return redirect("inspections:bo_items")


# ---- entity directory ------------------------------------------------------------------------


@staff_required
def entity_list(request):
    q = request.GET.get("q", "").strip()
    qs = MarketEntity.objects.order_by("uscc")
    if q:
        qs = qs.filter(uscc=q.upper()) if len(q) == 18 else qs.filter(name__icontains=q)
    return render(
        request,
        "inspections/bo/entities.html",
        {
            "page": _page(request, qs),
            "q": q,
            "total": MarketEntity.objects.count(),
            "can_import": can_manage_directory(request.user),
            "imports": EntityImport.objects.select_related("job", "created_by")[:10],
        },
    )


@staff_required
def entity_import(request):
    if not can_manage_directory(request.user):
        raise PermissionDenied
    form = EntityImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.entity_import_start(
                actor=request.user,
                agency=request.user.agency,
                file_name=upload.name,
                content=upload.read(),
                strict=form.cleaned_data["strict"],
            )
        except InspectionError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, "文件已提交，正在后台导入；本页显示进度和逐行错误")
            return redirect("inspections:bo_import", pk=run.pk)
    return render(request, "inspections/bo/entity_import.html", {"form": form})


@staff_required
def entity_import_detail(request, pk: int):
    run = get_object_or_404(EntityImport.objects.select_related("job", "created_by"), pk=pk)
    if not (can_manage_directory(request.user) or run.created_by_id == request.user.pk):
        raise PermissionDenied
    errors = run.errors[:100]
    context = {"run": run, "job": run.job, "errors": errors}
    if request.headers.get("HX-Request"):
        return render(request, "inspections/bo/_import_status.html", context)
    return render(request, "inspections/bo/import_detail.html", context)


@staff_required
def entity_import_errors(request, pk: int):
    run = get_object_or_404(EntityImport, pk=pk)
    if not (can_manage_directory(request.user) or run.created_by_id == request.user.pk):
        raise PermissionDenied
    response = HttpResponse(run.error_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-errors.csv"'
    return response


# ---- inspectors ------------------------------------------------------------------------------


@staff_required
def inspector_list(request):
    ids = visible_agency_ids(request.user)
    qs = selectors.inspector_list(agency_ids=ids, q=request.GET.get("q", "").strip())
    return render(
        request,
        "inspections/bo/inspectors.html",
        {
            "page": _page(request, qs),
            "can_create": request.user.agency_id is not None
            and can_manage(request.user, request.user.agency_id),
        },
    )


@staff_required
def inspector_form(request, pk: int | None = None):
    inspector = get_object_or_404(Inspector, pk=pk) if pk else None
    agency = inspector.agency if inspector else _own_agency(request)
    if not can_manage(request.user, agency.pk):
        raise PermissionDenied
    initial = {}
    if inspector:
        initial = {
            "name": inspector.name,
            "certificate_no": inspector.certificate_no,
            "districts": district_text(inspector.districts),
            "residence_district": inspector.residence_district,
            "extra_recusal_districts": district_text(inspector.extra_recusal_districts),
            "is_active": inspector.is_active,
        }
    form = InspectorForm(request.POST or None, initial=initial)

    def save() -> Inspector:
        if inspector:
            return services.inspector_update(
                actor=request.user, inspector=inspector, **form.cleaned_service_data()
            )
        return services.inspector_create(
            actor=request.user, agency=agency, **form.cleaned_service_data()
        )

    return _simple_form(
        request,
        form,
        save,
        done="执法人员信息已保存",
        then=lambda saved: reverse("inspections:bo_inspector", kwargs={"pk": saved.pk}),
        title="编辑执法人员" if inspector else "新增执法人员",
        back=reverse("inspections:bo_inspectors"),
    )


@staff_required
def inspector_detail(request, pk: int):
    inspector = get_object_or_404(Inspector.objects.select_related("agency"), pk=pk)
    if not can_see_inspector_private(request.user, inspector):
        raise PermissionDenied
    form = ConflictForm(request.POST or None)
    manage = can_manage(request.user, inspector.agency_id)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.conflict_declare(
                    actor=request.user, inspector=inspector, **form.cleaned_data
                )
            except InspectionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "回避申报已登记，将在之后固化的任务中生效")
                return redirect("inspections:bo_inspector", pk=inspector.pk)
    return render(
        request,
        "inspections/bo/inspector_detail.html",
        {
            "inspector": inspector,
            "conflicts": inspector.conflicts.select_related("entity"),
            "form": form,
            "manage": manage,
            "assignments": inspector.assignments.select_related(
                "selection__task", "selection__entity"
            ).order_by("-id")[:50],
        },
    )


@staff_required
@require_POST
def conflict_withdraw(request, pk: int):
    conflict = get_object_or_404(
        InspectorConflict.objects.select_related("inspector", "entity"), pk=pk
    )
    if not can_manage(request.user, conflict.inspector.agency_id):
        raise PermissionDenied
    services.conflict_withdraw(actor=request.user, conflict=conflict)
    messages.success(request, "回避申报已撤回")
    return redirect("inspections:bo_inspector", pk=conflict.inspector_id)


# ---- rule sets -------------------------------------------------------------------------------


@staff_required
def ruleset_list(request):
    agency_id = request.user.agency_id
    return render(
        request,
        "inspections/bo/rulesets.html",
        {
            "rulesets": selectors.ruleset_list(),
            "can_create": agency_id is not None and can_manage(request.user, agency_id),
            "can_create_city": can_manage_ruleset(request.user, None),
        },
    )


@staff_required
def ruleset_form(request, pk: int | None = None):
    ruleset = get_object_or_404(InspectionRuleSet, pk=pk) if pk else None
    city_wide = request.GET.get("city") == "1" or (
        ruleset is not None and ruleset.agency_id is None
    )
    agency = None if city_wide else (ruleset.agency if ruleset else _own_agency(request))
    if not can_manage_ruleset(request.user, getattr(agency, "pk", None)):
        raise PermissionDenied
    initial = {f: getattr(ruleset, f) for f in services.directory.RULESET_FIELDS} if ruleset else {}
    form = RuleSetForm(request.POST or None, initial=initial)

    def save() -> InspectionRuleSet:
        if ruleset:
            return services.ruleset_update(actor=request.user, ruleset=ruleset, **form.cleaned_data)
        return services.ruleset_create(actor=request.user, agency=agency, **form.cleaned_data)

    return _simple_form(
        request,
        form,
        save,
        done="细则已保存；已固化的任务按其承诺中的规则执行，不受影响",
        title="编辑细则" if ruleset else "新增细则",
        back=reverse("inspections:bo_rulesets"),
    )


# ---- housing lotteries -----------------------------------------------------------------------


def _lottery_for(request, pk: int) -> HousingLottery:
    lottery = get_object_or_404(HousingLottery.objects.select_related("agency"), pk=pk)
    if not can_read_agency(request.user, lottery.agency_id):
        raise PermissionDenied
    return lottery


@staff_required
def lottery_list(request):
    return render(
        request,
        "inspections/bo/lotteries.html",
        {
            "page": _page(request, selectors.lottery_list_for_user(request.user)),
            "can_create": request.user.agency_id is not None
            and can_manage(request.user, request.user.agency_id),
        },
    )


@staff_required
def lottery_new(request):
    agency = _own_agency(request)
    if not can_manage(request.user, agency.pk):
        raise PermissionDenied
    form = LotteryForm(request.POST or None, initial={"year": clock.today().year})
    return _simple_form(
        request,
        form,
        lambda: services.lottery_create(actor=request.user, agency=agency, **form.cleaned_data),
        done="摇号已创建，请导入申请人名单",
        then=lambda lottery: lottery.get_backoffice_url(),
        title="新建保障房摇号",
        back=reverse("inspections:bo_lotteries"),
    )


@staff_required
def lottery_detail(request, pk: int):
    lottery = _lottery_for(request, pk)
    applicants = lottery.applicants.select_related("group").order_by("sequence", "application_no")
    return render(
        request,
        "inspections/bo/lottery_detail.html",
        {
            "lottery": lottery,
            "groups": lottery.groups.all(),
            "page": _page(request, applicants),
            "manage": can_manage(request.user, lottery.agency_id),
            "identity": can_see_applicant_identity(request.user, lottery),
            "upload_form": UploadForm(),
            "freeze_form": FreezeForm(expected_on=clock.today() + dt.timedelta(days=2))
            if lottery.status == LotteryStatus.DRAFT
            else None,
            "draw_form": DrawForm(sources=lottery.sources)
            if lottery.status == LotteryStatus.FROZEN
            else None,
            "reason_form": ReasonForm(),
        },
    )


def _lottery_action(request, pk: int, action: Callable[[HousingLottery], Any], done: str):
    lottery = _lottery_for(request, pk)
    if not can_manage(request.user, lottery.agency_id):
        raise PermissionDenied
    try:
        action(lottery)
    except InspectionError as exc:
        _fail(request, exc)
    else:
        messages.success(request, done)
    return redirect(lottery.get_backoffice_url())


@staff_required
@require_POST
def lottery_import(request, pk: int):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的申请人名单文件")
        return redirect(reverse("inspections:bo_lottery", args=[pk]))
    upload = form.cleaned_data["file"]
    return _lottery_action(
        request,
        pk,
        lambda lot: services.lottery_applicants_import(
            actor=request.user, lottery=lot, content=upload.read(), file_name=upload.name
        ),
        "申请人名单已导入",
    )


@staff_required
@require_POST
def lottery_freeze(request, pk: int):
    form = FreezeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请确认并完整填写随机源")
        return redirect(reverse("inspections:bo_lottery", args=[pk]))

    def act(lottery):
        specs = services.source_specs_from(form.source_rows())
        return services.lottery_freeze(actor=request.user, lottery=lottery, sources=specs)

    return _lottery_action(request, pk, act, "申请人名单已固化，承诺已公开")


@staff_required
@require_POST
def lottery_draw(request, pk: int):
    lottery = _lottery_for(request, pk)
    form = DrawForm(request.POST, sources=lottery.sources)
    if not form.is_valid():
        messages.error(request, "请填写全部随机源的公布值")
        return redirect(lottery.get_backoffice_url())
    return _lottery_action(
        request,
        pk,
        lambda lot: services.lottery_draw(
            actor=request.user, lottery=lot, observed=form.observed()
        ),
        "摇号完成，结果已公示",
    )


@staff_required
@require_POST
def lottery_cancel(request, pk: int):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤销理由")
        return redirect(reverse("inspections:bo_lottery", args=[pk]))
    return _lottery_action(
        request,
        pk,
        lambda lot: services.lottery_cancel(
            actor=request.user, lottery=lot, reason=form.cleaned_data["reason"]
        ),
        "摇号已撤销",
    )
