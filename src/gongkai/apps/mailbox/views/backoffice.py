"""Back-office pages: letter lists, the dispatch queue, a letter's handling page, 12345
imports, statistics with exports, and the classifier."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.apps.accounts.permissions import is_staff_member, visible_agency_ids
from gongkai.apps.jobs.services import job_enqueue
from gongkai.apps.mailbox import integration, permissions, selectors
from gongkai.apps.mailbox.charts import monthly_chart
from gongkai.apps.mailbox.errors import MailboxError, MailboxPermissionDenied
from gongkai.apps.mailbox.forms import (
    AssignForm,
    ConvertForm,
    EmptyForm,
    ImportForm,
    PublicationForm,
    ReasonForm,
    RedirectForm,
    ReplyForm,
    SendBackForm,
    TrainForm,
)
from gongkai.apps.mailbox.importing import detect_format, line_word
from gongkai.apps.mailbox.models import (
    ClassifierModel,
    HotlineImport,
    Letter,
    LetterAttachment,
    LetterCategory,
    LetterStatus,
    PublishStatus,
)
from gongkai.apps.mailbox.services import (
    hotline_import_create,
    letter_answer,
    letter_assign,
    letter_convert,
    letter_draft_save,
    letter_mark_invalid,
    letter_publication_prepare,
    letter_publication_refuse,
    letter_publish,
    letter_redirect,
    letter_return,
    letter_send_back,
    letter_submit_for_review,
    routing_suggestions,
)
from gongkai.apps.mailbox.services.publication import publication_texts
from gongkai.apps.mailbox.services.routing import JOB_KIND as TRAIN_JOB_KIND
from gongkai.apps.organizations.models import Agency
from gongkai.documents.tabular import csv_writer, xlsx_append
from gongkai.domain.mailbox import due_state, percent_text

PAGE_SIZE = 30


def _require_staff(request) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied


def _staff_letter(request, number: str) -> Letter:
    _require_staff(request)
    letter = get_object_or_404(
        Letter.objects.select_related("agency", "addressee", "writer_user", "replied_by"),
        number=number.upper(),
    )
    if not permissions.can_read_letter(request.user, letter):
        raise PermissionDenied
    return letter


# lists -----------------------------------------------------------------------------------------


@login_required
def letter_list(request):
    _require_staff(request)
    today = clock.today()
    status = request.GET.get("status", "open")
    if status not in {"", "open", *LetterStatus.values}:
        status = "open"
    category = request.GET.get("category", "")
    if category not in LetterCategory.values:
        category = ""
    agency_id = None
    ids = visible_agency_ids(request.user)
    agency_code = request.GET.get("agency", "")
    if agency_code and ids is None:
        agency = Agency.objects.filter(code=agency_code).first()
        agency_id = agency.pk if agency else None
    qs = selectors.letter_list(
        request.user,
        status=status,
        q=request.GET.get("q", "")[:50],
        agency_id=agency_id,
        category=category,
        due=request.GET.get("due", ""),
        today=today,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (letter, due_state(letter.due_date, today, closed=not letter.is_open)) for letter in page
    ]
    return render(
        request,
        "mailbox/bo/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": LetterStatus.choices,
            "category": category,
            "categories": LetterCategory.choices,
            "q": request.GET.get("q", ""),
            "due": request.GET.get("due", ""),
            "all_agencies": ids is None,
            "agency_code": agency_code,
            "is_dispatcher": permissions.is_dispatcher(request.user),
        },
    )


@login_required
def dispatch_queue(request):
    _require_staff(request)
    if not permissions.is_dispatcher(request.user):
        raise PermissionDenied
    office = selectors.dispatch_agency()
    qs = selectors.dispatch_queue(office.pk) if office else Letter.objects.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(letter, routing_suggestions(letter, limit=1)) for letter in page]
    return render(
        request, "mailbox/bo/dispatch.html", {"page": page, "rows": rows, "office": office}
    )


# one letter --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    form: type
    run: Callable[[Any, Letter, dict], Any]
    allowed: Callable[[Any, Letter], bool]
    done: str


def _agency(data: dict) -> Agency:
    return data["agency"]


ACTIONS: dict[str, Action] = {
    "assign": Action(
        AssignForm,
        lambda u, lt, d: letter_assign(actor=u, letter=lt, agency=_agency(d), note=d["note"]),
        permissions.can_route,
        "已分办。",
    ),
    "return": Action(
        ReasonForm,
        lambda u, lt, d: letter_return(actor=u, letter=lt, reason=d["reason"]),
        permissions.can_return,
        "已退回分办机关。",
    ),
    "draft": Action(
        ReplyForm,
        lambda u, lt, d: letter_draft_save(actor=u, letter=lt, text=d["text"]),
        permissions.can_draft,
        "草稿已保存。",
    ),
    "submit": Action(
        ReplyForm,
        lambda u, lt, d: letter_submit_for_review(actor=u, letter=lt, text=d["text"]),
        permissions.can_draft,
        "已提交审核。",
    ),
    "send-back": Action(
        SendBackForm,
        lambda u, lt, d: letter_send_back(actor=u, letter=lt, note=d["note"]),
        permissions.can_approve,
        "已退回修改。",
    ),
    "answer": Action(
        ReplyForm,
        lambda u, lt, d: letter_answer(actor=u, letter=lt, text=d["text"]),
        permissions.can_approve,
        "答复已签发。",
    ),
    "redirect": Action(
        RedirectForm,
        lambda u, lt, d: letter_redirect(
            actor=u, letter=lt, channel=d["channel"], reply=d["reply"]
        ),
        permissions.can_divert,
        "已告知写信人应当通过的渠道。",
    ),
    "convert": Action(
        ConvertForm,
        lambda u, lt, d: letter_convert(
            actor=u, letter=lt, note=d["note"], id_number=d["id_number"]
        ),
        permissions.can_divert,
        "已转为政府信息公开申请。",
    ),
    "invalid": Action(
        ReasonForm,
        lambda u, lt, d: letter_mark_invalid(actor=u, letter=lt, reason=d["reason"]),
        permissions.can_mark_invalid,
        "已认定为无效信件。",
    ),
    "prepare": Action(
        PublicationForm,
        lambda u, lt, d: letter_publication_prepare(
            actor=u, letter=lt, subject=d["subject"], content=d["content"], reply=d["reply"]
        ),
        permissions.can_publish,
        "公开稿已保存并完成隐私审查。",
    ),
    "prepare-auto": Action(
        EmptyForm,
        lambda u, lt, d: letter_publication_prepare(actor=u, letter=lt),
        permissions.can_publish,
        "已生成遮蔽个人信息的公开稿并完成隐私审查。",
    ),
    "publish": Action(
        EmptyForm,
        lambda u, lt, d: letter_publish(actor=u, letter=lt),
        permissions.can_publish,
        "已在信箱公开栏目公开。",
    ),
    "refuse": Action(
        ReasonForm,
        lambda u, lt, d: letter_publication_refuse(actor=u, letter=lt, reason=d["reason"]),
        permissions.can_publish,
        "已决定不予公开。",
    ),
}


def _privacy_state(letter: Letter) -> dict[str, Any]:
    if letter.public_prepared_at is None:
        return {}
    return {
        "reason": integration.privacy_blocking_reason(letter, publication_texts(letter)),
        "url": integration.privacy_review_url(letter),
    }


def _detail_context(request, letter: Letter, bound: dict[str, Any] | None = None) -> dict:
    user = request.user
    bound = bound or {}
    today = clock.today()
    forms: dict[str, Any] = {}

    def offer(name: str, factory: Callable[[], Any]) -> None:
        key = name.replace("-", "_")
        if ACTIONS[name].allowed(user, letter):
            forms[key] = bound.get(key) or factory()

    suggestions = routing_suggestions(letter) if permissions.can_route(user, letter) else []
    offer(
        "assign",
        lambda: AssignForm(
            initial={"agency": suggestions[0].agency.pk}
            if suggestions and suggestions[0].preselect
            else None
        ),
    )
    offer("return", ReasonForm)
    offer("draft", lambda: ReplyForm(initial={"text": letter.draft_reply}))
    offer("answer", lambda: ReplyForm(initial={"text": letter.draft_reply}))
    if letter.status == LetterStatus.REVIEW:
        offer("send-back", SendBackForm)
    offer("redirect", RedirectForm)
    offer("convert", lambda: ConvertForm(initial={"id_number": letter.writer_id_number}))
    offer("invalid", ReasonForm)
    publishing = letter.consent_publish and letter.publish_status in (
        PublishStatus.PENDING,
        PublishStatus.REFUSED,
    )
    if publishing:
        offer(
            "prepare",
            lambda: PublicationForm(
                initial={
                    "subject": letter.public_subject,
                    "content": letter.public_content,
                    "reply": letter.public_reply,
                }
            ),
        )
        offer("refuse", ReasonForm)
    elif letter.publish_status == PublishStatus.PUBLISHED:
        offer("refuse", ReasonForm)
    handling_keys = {
        "assign",
        "return",
        "draft",
        "answer",
        "send_back",
        "redirect",
        "convert",
        "invalid",
    }
    return {
        "letter": letter,
        "handling": bool(handling_keys & set(forms)),
        "events": selectors.letter_events(letter),
        "attachments": list(letter.attachments.all()),
        "forms": forms,
        "suggestions": suggestions,
        "due_state": due_state(letter.due_date, today, closed=not letter.is_open),
        "can_publish": publishing and permissions.can_publish(user, letter),
        "privacy": _privacy_state(letter),
        "public": getattr(letter, "public", None)
        if letter.publish_status == PublishStatus.PUBLISHED
        else None,
    }


@login_required
def letter_detail(request, number: str):
    letter = _staff_letter(request, number)
    return render(request, "mailbox/bo/detail.html", _detail_context(request, letter))


@login_required
@require_POST
def letter_action(request, number: str, action: str):
    letter = _staff_letter(request, number)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not spec.allowed(request.user, letter):
        raise PermissionDenied
    form = spec.form(request.POST)
    if form.is_valid():
        try:
            spec.run(request.user, letter, form.cleaned_data)
        except MailboxPermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except MailboxError as exc:
            if action in {"publish", "prepare-auto"}:
                messages.error(request, exc.message)
                return redirect("mailbox:bo_detail", number=letter.number)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, spec.done)
            if action == "assign" and request.POST.get("next") == "dispatch":
                return redirect("mailbox:bo_dispatch")
            return redirect("mailbox:bo_detail", number=letter.number)
    letter.refresh_from_db()
    key = {"submit": "draft", "prepare-auto": "prepare"}.get(action, action).replace("-", "_")
    context = _detail_context(request, letter, bound={key: form})
    context["error_action"] = key
    return render(request, "mailbox/bo/detail.html", context, status=400)


@login_required
def attachment_download(request, number: str, pk: int):
    letter = _staff_letter(request, number)
    attachment = get_object_or_404(LetterAttachment, pk=pk, letter=letter)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name
    )
    response["Content-Type"] = attachment.content_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# 12345 imports -------------------------------------------------------------------------------------


@login_required
def imports(request):
    _require_staff(request)
    if not permissions.can_import_hotline(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 200 * 1024 * 1024:
            form.add_error("file", "文件超过 200MB，请分批导入")
        else:
            try:
                record = hotline_import_create(
                    actor=request.user, file_name=upload.name, content=upload.read()
                )
            except MailboxError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, "文件已上传，正在后台导入。")
                return redirect("mailbox:bo_import", pk=record.pk)
    page = Paginator(HotlineImport.objects.select_related("created_by", "job"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "mailbox/bo/imports.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


@login_required
def import_detail(request, pk: int):
    _require_staff(request)
    if not permissions.can_import_hotline(request.user):
        raise PermissionDenied
    record = get_object_or_404(HotlineImport.objects.select_related("job", "created_by"), pk=pk)
    word = line_word(detect_format(record.file_name, b""))
    return render(request, "mailbox/bo/import_detail.html", {"record": record, "word": word})


# statistics ----------------------------------------------------------------------------------------


def _stats_scope(request) -> tuple[list[int] | None, str]:
    ids = visible_agency_ids(request.user)
    if ids is None:
        code = request.GET.get("agency", "")
        agency = Agency.objects.filter(code=code).first() if code else None
        return ([agency.pk], agency.name) if agency else (None, "全市")
    agency = request.user.agency
    return sorted(ids), agency.name if agency else ""


@login_required
def statistics(request):
    _require_staff(request)
    today = clock.today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    by = request.GET.get("by", "month")
    if by not in {"month", "agency", "category"}:
        by = "month"
    agency_ids, scope = _stats_scope(request)
    rows = selectors.mailbox_figures(year=year, agency_ids=agency_ids, by=by)
    total = selectors.mailbox_total(year=year, agency_ids=agency_ids)
    fmt = request.GET.get("format", "")
    if fmt in {"csv", "xlsx"}:
        return _export(fmt, year, scope, by, rows, total)
    months = (
        rows
        if by == "month"
        else selectors.mailbox_figures(year=year, agency_ids=agency_ids, by="month")
    )
    overdue = selectors.unanswered_too_long(
        today=today, agency_ids=set(agency_ids) if agency_ids is not None else None
    )
    return render(
        request,
        "mailbox/bo/stats.html",
        {
            "year": year,
            "years": sorted({today.year, *selectors.mailbox_years()}, reverse=True),
            "by": by,
            "rows": rows,
            "total": total,
            "scope": scope,
            "chart": monthly_chart(year, months),
            "overdue_count": overdue.count(),
            "all_agencies": visible_agency_ids(request.user) is None,
            "agency_code": request.GET.get("agency", ""),
            "months_alert": selectors.mailbox_settings().unanswered_alert_months,
        },
    )


EXPORT_HEADERS = [
    "分组",
    "收到来信",
    "已答复",
    "按期答复",
    "答复率",
    "按期率",
    "平均办理工作日",
    "评价数",
    "满意及基本满意",
    "满意率",
]


def _export_rows(rows, total) -> list[list[Any]]:
    def line(label, f):
        return [
            label,
            f.received,
            f.answered,
            f.answered_on_time,
            percent_text(f.reply_rate),
            percent_text(f.on_time_rate),
            str(f.average_handling_days) if f.average_handling_days is not None else "",
            f.rated,
            f.satisfied,
            percent_text(f.satisfaction_rate),
        ]

    return [line(r.label, r.figures) for r in rows] + [line("合计", total)]


def _export(fmt: str, year: int, scope: str, by: str, rows, total) -> HttpResponse:
    group = {"month": "按月", "agency": "按机关", "category": "按类别"}[by]
    filename = f"政府信箱统计-{scope}-{year}年-{group}"
    data = _export_rows(rows, total)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv_writer(buffer)
        writer.writerow([f"{scope}{year}年政府信箱统计（{group}）"])
        writer.writerow(EXPORT_HEADERS)
        writer.writerows(data)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = _disposition(f"{filename}.csv")
        return response
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年{group}"
    sheet.append([f"{scope}{year}年政府信箱统计（{group}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(EXPORT_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in data:
        xlsx_append(sheet, row)
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _disposition(f"{filename}.xlsx")
    return response


def _disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(filename)}"


# classifier ----------------------------------------------------------------------------------------


@login_required
def classifier(request):
    _require_staff(request)
    if not permissions.can_train_classifier(request.user):
        raise PermissionDenied

    form = TrainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = job_enqueue(
            kind=TRAIN_JOB_KIND,
            title="训练政府信箱分办分类模型",
            params={"holdout": form.cleaned_data["holdout"] / 100},
            actor=request.user,
            agency=request.user.agency,
        )
        messages.success(request, "已开始训练，可在任务页查看进度。")
        return redirect(reverse("jobs:detail", args=[job.pk]))
    history = ClassifierModel.objects.defer("params").order_by("-id")[:20]
    return render(
        request,
        "mailbox/bo/classifier.html",
        {"form": form, "active": selectors.classifier_active(), "history": history},
    )
