"""Back-office pages: the work queue, intake, the case page and its actions, oversight."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.apps.accounts.models import Role, User
from gongkai.apps.accounts.permissions import is_supervisor, visible_agency_ids
from gongkai.apps.applications import forms as f
from gongkai.apps.applications import selectors as sel
from gongkai.apps.applications import services as svc
from gongkai.apps.applications.actions import CASE_ACTIONS, STEP_KEYS, CaseActionSpec
from gongkai.apps.applications.errors import ApplicationError, NotAllowed, NotFound
from gongkai.apps.applications.letterfiles import FORMATS, download_name, letter_file
from gongkai.apps.applications.models import CaseDocument, CaseLetter, DocumentKind
from gongkai.apps.applications.permissions import (
    can_act,
    can_intake,
    can_use_case_office,
    is_case_staff,
)
from gongkai.apps.applications.services.common import facts, today
from gongkai.apps.applications.services.workflow import ALL_DECISION_CODES
from gongkai.apps.audit.services import audit_record
from gongkai.apps.notifications.delivery import deliveries_for
from gongkai.apps.organizations.selectors import agency_list_active
from gongkai.apps.workcalendar.selectors import ruleset_for_date
from gongkai.charts import Series, bar_chart, data_table
from gongkai.documents.tabular import xlsx_append
from gongkai.domain.casestates import ApplicationAction, CaseState, allowed_decisions
from gongkai.domain.decisions import DECISIONS_BY_CODE

PAGE_SIZE = 50


def _office_user(request):
    if not can_use_case_office(request.user):
        raise PermissionDenied
    return request.user


def _case(request, pk: int):
    _office_user(request)
    try:
        return sel.application_get_for_staff(request.user, pk)
    except NotFound:
        raise Http404 from None


def _filters(request) -> sel.QueueFilters:
    g = request.GET
    agency_id = g.get("agency", "")
    year = g.get("year", "")
    return sel.QueueFilters(
        state=g.get("state", ""),
        due=g.get("due", "") if g.get("due", "") in sel.DUE_FILTERS else "",
        mine=g.get("mine") == "1",
        agency_id=int(agency_id) if agency_id.isdigit() else None,
        q=g.get("q", "").strip()[:50],
        year=int(year) if year.isdigit() else None,
    )


@login_required
def queue(request):
    user = _office_user(request)
    filters = _filters(request)
    on = today()
    paginator = Paginator(sel.application_queue(user, filters, on), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = sel.queue_rows(page.object_list, on)

    agencies = (
        list(agency_list_active().select_related(None).only("id", "name"))
        if is_supervisor(user)
        else []
    )
    intake_agency = user.agency_id if user.agency_id and can_intake(user, user.agency_id) else None
    return render(
        request,
        "applications/bo/queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "due_filters": sel.DUE_FILTERS,
            "due_label": sel.DUE_FILTERS.get(filters.due, ""),
            "states": [(s.value, s.label) for s in CaseState],
            "agencies": agencies,
            "today": on,
            "can_intake": intake_agency is not None,
            "supervisor": is_supervisor(user),
        },
    )


@login_required
def intake(request):
    user = _office_user(request)
    if not user.agency_id or not can_intake(user, user.agency_id):
        raise PermissionDenied
    form = f.StaffIntakeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            attachments = [
                (name, content, DocumentKind.APPLICATION_FORM)
                for name, content in f.read_files(data["scans"])
            ] + [
                (name, content, DocumentKind.ENVELOPE)
                for name, content in f.read_files(data["envelope"])
            ]
            try:
                app = svc.application_register(
                    actor=user,
                    agency=user.agency,
                    channel=data["channel"],
                    applicant=form.applicant(),
                    description=data["description"],
                    purpose=data["purpose"],
                    form=data["provide_form"],
                    delivery=data["delivery"],
                    submitted_on=data["submitted_on"],
                    letter_kind=data.get("letter_kind") or "",
                    signed_for_on=data.get("signed_for_on"),
                    confirmed_on=data.get("confirmed_on")
                    or (data["submitted_on"] if data["channel"] == "in_person" else None),
                    attachments=attachments,
                )
            except ApplicationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"已登记：{app.number}。查询码 {app.query_code}（只显示这一次，请告知申请人或打印回执）。",  # type: ignore[attr-defined]
                )
                request.session["receipt_code"] = {str(app.pk): app.query_code}  # type: ignore[attr-defined]
                return redirect("applications:staff_detail", pk=app.pk)
        status = 400
    return render(request, "applications/bo/intake.html", {"form": form}, status=status)


def _add_errors(form, exc: ApplicationError) -> None:
    mapped = False
    aliases = {
        "applicant_type": "applicant_type",
        "received_on": "submitted_on",
        "attachments": "scans",
        "form": "provide_form",
        "on": "on",
    }
    for key, message in exc.field_errors.items():
        target = aliases.get(key, key)
        if target in form.fields:
            form.add_error(target, message)
            mapped = True
    if not mapped:
        form.add_error(None, exc.message)


def _officers(app):
    return (
        User.objects.filter(
            agency_id=app.agency_id, is_active=True, role_grants__role__in=[Role.OFFICER, Role.HEAD]
        )
        .distinct()
        .order_by("id")
    )


def _action_forms(request, app, bound: dict | None = None) -> dict:
    """One form per next step this user may take (bound ones carry errors)."""
    bound = bound or {}
    actions = sel.application_actions(request.user, app)
    out: dict[str, forms.Form] = {}

    def pick(key):
        form = bound.get(key) or _form(key, app)
        form.auto_id = f"id_{key}_%s"  # several forms on one page: ids stay unique
        out[key] = form

    for action in actions:
        for key in STEP_KEYS.get(action, ()):
            pick(key)
    if is_case_staff(request.user, app.agency_id) and can_act(
        request.user, app, CASE_ACTIONS["document"].step
    ):
        pick("document")
    if "reply_draft" in out:  # htmx: the letter text follows the chosen decision
        attrs = {
            "hx-get": f"/backoffice/applications/{app.pk}/preview/",
            "hx-trigger": "change, keyup changed delay:800ms",
            "hx-target": "#reply-preview",
            "hx-include": "closest form",
        }
        for name in ("decision", "text"):
            out["reply_draft"].fields[name].widget.attrs.update(attrs)
    return out


def _delivery_default(app) -> str:
    return {"post": "post", "email": "email", "pickup": "pickup", "online": "online"}.get(
        app.delivery, "post"
    )


def _hints(app) -> dict[str, str]:
    """What the step forms say of the 条例's limits, from the rule set the case is handled under."""
    law = ruleset_for_date(app.received_on)
    return {
        "correction_request": f"应在收到申请之日起{law.correction_notice_days}个工作日内发出；"
        "答复期限自收到补正后的申请之日起重新计算。",
        "extension_request": "须经政府信息公开工作机构负责人同意，"
        f"延长期限最长不超过{law.extension_max_days}个工作日。",
    }


def _detail_context(request, app, bound=None) -> dict:
    deadline = sel.application_deadline(app) if app.is_open else None
    receipt = request.session.pop("receipt_code", {}).get(str(app.pk))
    action_forms = _action_forms(request, app, bound)
    steps = [key for key in action_forms if key != "document"]
    return {
        "open_action": steps[0] if len(steps) == 1 else "",
        "app": app,
        "deadline": deadline,
        "forms": action_forms,
        "letters": sel.application_letters(app),
        "case_steps": sel.application_steps(app),
        "documents": sel.application_documents(app),
        "appeals": list(app.appeals.all()),
        "timeline": sel.application_timeline(app),
        "today": today(),
        "receipt_code": receipt,
        "masked_id": sel.mask_id(app.applicant_id_number),
        "draft_preview": svc.preview_letter(app, "reply", app.draft_decision)
        if app.state == CaseState.REVIEW and app.draft_decision
        else "",
        "correction_lapsed": facts(app).correction_lapsed,
        "fee_lapsed": facts(app).fee_lapsed,
        "fee_period": svc.fee_period(app) if app.state == CaseState.FEE else None,
        "reasons_period": svc.reasons_period(app) if app.state == CaseState.REASONS else None,
        "hints": _hints(app),
        "deliveries": deliveries_for(app),
    }


@login_required
def detail(request, pk: int):
    app = _case(request, pk)
    return render(request, "applications/bo/detail.html", _detail_context(request, app))


def _form(key: str, app, request=None):
    """The form of one action: empty with its initial values, or bound to what was posted."""
    kwargs: dict[str, Any] = {}
    if key in ("accept", "assign"):
        kwargs["officers"] = _officers(app)
    elif key == "reply_draft":
        kwargs["decisions"] = allowed_decisions(facts(app), ALL_DECISION_CODES)
    if request is not None:
        return CASE_ACTIONS[key].form(request.POST, request.FILES, **kwargs)
    if key == "reply_draft" and app.draft_decision:
        kwargs["initial"] = {"decision": app.draft_decision, "text": app.draft_text}
    elif key == "deliver":
        kwargs["initial"] = {"method": _delivery_default(app)}
    return CASE_ACTIONS[key].form(**kwargs)


def _run(action: CaseActionSpec, request, app, form):
    """The action's service, with the form's fields as its arguments (uploads read)."""
    data = dict(form.cleaned_data)
    if "files" in data:
        data["files"] = f.read_files(data["files"])
    return action.run(actor=request.user, application=app, **data)


@login_required
@require_POST
def act(request, pk: int, action: str):
    app = _case(request, pk)
    spec = CASE_ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not can_act(request.user, app, spec.step):
        raise PermissionDenied
    form = _form(action, app, request)
    if form.is_valid():
        try:
            _run(spec, request, app, form)
        except NotAllowed as exc:
            messages.error(request, exc.message)
            return redirect("applications:staff_detail", pk=app.pk)
        except ApplicationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, spec.done)
            if action == "correction_request":
                app.refresh_from_db()
                if app.correction_notice_due and app.correction_sent_on > app.correction_notice_due:
                    messages.warning(
                        request,
                        f"补正告知晚于法定期限（应在{app.correction_notice_due:%Y年%m月%d日}前发出，"
                        "条例第三十条），已记录在办理记录中。",
                    )
            return redirect("applications:staff_detail", pk=app.pk)
    app.refresh_from_db()
    context = _detail_context(request, app, bound={action: form})
    context["error_action"] = action
    return render(request, "applications/bo/detail.html", context, status=400)


@login_required
def reply_preview(request, pk: int):
    """The reply text as it would be issued (htmx fragment or page)."""
    app = _case(request, pk)
    decision = request.GET.get("decision") or app.draft_decision or "other.other"
    if decision not in ALL_DECISION_CODES:
        raise Http404
    values = {"依据": DECISIONS_BY_CODE[decision].basis}
    if "text" in request.GET:
        values["答复意见"] = request.GET.get("text", "").strip()
    text = svc.preview_letter(app, "reply", decision, **values)
    template = "_preview.html" if request.headers.get("HX-Request") else "preview.html"
    return render(request, f"applications/bo/{template}", {"text": text, "app": app})


def _letter_response(letter: CaseLetter, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    content = letter_file(letter, fmt)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(download_name(letter, fmt))}"
    )
    return response


def _document_response(document: CaseDocument):
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(document.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def letter_download(request, pk: int, letter_id: int, fmt: str):
    app = _case(request, pk)
    letter = app.letters.filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    return _letter_response(letter, fmt)


@login_required
def document_download(request, pk: int, document_id: int):
    app = _case(request, pk)
    document = app.documents.filter(pk=document_id).first()
    if document is None or document.withdrawn:
        raise Http404
    return _document_response(document)


@login_required
def export(request):
    """The case register (登记簿) of the current filters as XLSX — no ID numbers or phones."""
    from openpyxl import Workbook

    user = _office_user(request)
    filters = _filters(request)
    qs = sel.application_queue(user, filters).select_related("agency", "officer")[:100_000]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("依申请公开登记簿")
    sheet.append(
        [
            "登记号",
            "机关",
            "收到申请之日",
            "渠道",
            "申请人类型",
            "申请人",
            "所需信息",
            "状态",
            "承办人",
            "答复期限",
            "答复类型",
            "办结日期",
            "按时办结",
            "延期",
        ]
    )
    count = 0
    for app in qs.iterator(chunk_size=2000):
        xlsx_append(
            sheet,
            [
                app.number,
                app.agency.name,
                app.received_on,
                app.get_channel_display(),
                app.get_applicant_type_display(),
                app.applicant_name,
                app.description[:500],
                app.get_state_display(),
                str(app.officer) if app.officer_id else "",
                app.due_date,
                app.get_decision_display() if app.decision else "",
                app.closed_on,
                {True: "是", False: "否"}.get(app.on_time, ""),
                "是" if app.extension_status == "approved" else "",
            ],
        )
        count += 1
    with transaction.atomic():
        audit_record(
            actor=user,
            action=ApplicationAction.EXPORT,
            agency_id=user.agency_id,
            object_type="applications.application",
            object_label="依申请公开登记簿导出",
            after={"rows": count, "filters": filters.__dict__},
        )
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote('依申请公开登记簿.xlsx')}"
    )
    return response


@login_required
def overview(request):
    """Supervisors: every agency's overdue cases and on-time rates."""
    user = _office_user(request)
    if not is_supervisor(user):
        raise PermissionDenied

    on = today()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 < int(year_text) <= on.year else on.year
    rows = sel.application_overview(year=year, on=on)
    top = sorted(rows, key=lambda r: -r.closed)[:15]
    labels = [r.name.replace("示例市", "") for r in top]
    rates = [round((r.on_time_rate or 0) * 100, 1) for r in top]
    chart = bar_chart(
        f"{year}年按时办结率（办结量前15的机关）", labels, [Series("按时办结率", rates)], unit="%"
    )
    table = data_table(f"{year}年按时办结率", labels, [Series("按时办结率", rates)], unit="%")
    totals: dict[str, Any] = {
        "open": sum(r.open for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "closed": sum(r.closed for r in rows),
        "on_time": sum(r.on_time for r in rows),
    }
    totals["rate"] = totals["on_time"] / totals["closed"] if totals["closed"] else None
    return render(
        request,
        "applications/bo/overview.html",
        {
            "rows": rows,
            "year": year,
            "years": list(range(on.year, 2017, -1)),
            "chart": chart,
            "table": table,
            "totals": totals,
            "overdue": sel.overdue_cases(user, limit=50, on=on),
            "today": on,
        },
    )


@login_required
def suggestions(request):
    """条例第四十四条: information released to several applicants → 主动公开 (one click)."""
    user = _office_user(request)
    agency_ids = visible_agency_ids(user)
    acting = user.agency_id if user.agency_id and can_intake(user, user.agency_id) else None
    if request.method == "POST":
        form = f.ProactiveForm(request.POST)
        if acting is None:
            raise PermissionDenied
        if form.is_valid():
            ids = form.application_ids()
            try:
                if form.cleaned_data["verdict"] == "create":
                    suggestion = svc.proactive_create_draft(
                        actor=user,
                        agency=user.agency,
                        application_ids=ids,
                        title=form.cleaned_data["title"],
                    )
                    messages.success(
                        request, "已在主动公开目录中生成草稿，请完善元数据后提交审核并发布。"
                    )
                    if suggestion.catalog_ref.isdigit():
                        return redirect(f"/backoffice/catalog/{suggestion.catalog_ref}/")
                else:
                    svc.proactive_dismiss(
                        actor=user,
                        agency=user.agency,
                        application_ids=ids,
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, "已记录不予采纳。")
            except ApplicationError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, "提交的内容不完整")
        return redirect("applications:staff_suggestions")
    groups = sel.proactive_candidates(agency_ids)
    return render(
        request,
        "applications/bo/suggestions.html",
        {"groups": groups, "can_act": acting is not None},
    )
