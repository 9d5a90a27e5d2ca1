"""Public pages: apply online, follow a case with the query code, the applicant's own list.

No page or URL here carries the applicant's personal data: cases are addressed by a random
id, and a visitor sees a case only as its applicant (account, or registration number + query
code given in this session).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai import clock, ratelimit
from gongkai.apps.applications import forms as f
from gongkai.apps.applications import limits
from gongkai.apps.applications import selectors as sel
from gongkai.apps.applications import services as svc
from gongkai.apps.applications.blankform import FORMATS as BLANK
from gongkai.apps.applications.blankform import TITLE, blank_form
from gongkai.apps.applications.errors import ApplicationError
from gongkai.apps.applications.letterfiles import FORMATS, download_name, letter_file
from gongkai.apps.applications.models import Application, DocumentKind
from gongkai.apps.applications.permissions import is_applicant_of
from gongkai.apps.applications.services.common import facts
from gongkai.apps.audit.middleware import client_ip
from gongkai.apps.notifications.delivery import deliveries_for
from gongkai.apps.organizations.models import Agency
from gongkai.charts import Series, bar_chart
from gongkai.domain.casestates import PUBLIC_STATE_LABELS, CaseAction, CaseState, can

SESSION_TRACKED = "applications_tracked"
SESSION_TOKENS = "applications_form_tokens"
SESSION_DONE = "applications_done"


@dataclass(frozen=True)
class ApplicantActor:
    """Who acts when an applicant without an account uses the query code."""

    audit_label: str = "申请人（凭查询码）"
    is_authenticated: bool = False
    pk: None = None


def home_section(request):
    return {"template": "applications/_home_section.html"}


def _client(request) -> str:
    return client_ip(request) or "unknown"


def apply_home(request):
    return render(request, "applications/apply_home.html")


def stats(request):
    """各机关依申请公开办理情况: received, answered, on time and outcomes by year, as charts
    beside the mailbox's statistics (counts only)."""
    today = clock.today()
    agency = None
    code = request.GET.get("agency", "")
    if code:
        agency = Agency.objects.filter(code=code, is_active=True).first()
        if agency is None:
            raise Http404
    try:
        year = int(request.GET.get("year") or today.year - 1)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= today.year:
        raise Http404
    key = f"applications:public-stats:{year}:{code}:{today.isoformat()}"
    data = cache.get(key)
    if data is None:
        data = sel.application_public_stats(year=year, agency_id=agency.pk if agency else None)
        cache.set(key, data, 600)
    subject = agency.name if agency else "全市各机关"
    labels = [f"{row['year']}年" for row in data.by_year]
    history = bar_chart(
        f"{subject}历年收到和办结的政府信息公开申请",
        labels,
        [
            Series("收到申请", [row["received"] for row in data.by_year]),
            Series("办结", [row["closed"] for row in data.by_year]),
            Series("按时办结", [row["on_time"] for row in data.by_year]),
        ],
        unit="件",
    )
    outcome_chart = bar_chart(
        f"{subject}{year}年办结申请的处理结果",
        [label for label, _n in data.outcomes],
        [Series("件数", [n for _label, n in data.outcomes])],
        unit="件",
    )
    this_year = next((row for row in data.by_year if row["year"] == year), None)
    return render(
        request,
        "applications/stats.html",
        {
            "year": year,
            "years": list(reversed(data.years)) or [year],
            "agency": agency,
            "subject": subject,
            "agencies": Agency.objects.filter(is_active=True).order_by("sort_order", "id"),
            "stats": data,
            "this_year": this_year,
            "history_chart": history,
            "outcome_chart": outcome_chart,
        },
    )


def blank_form_download(request, fmt: str):
    """The blank 申请表 for letter, fax and in-person applications."""
    if fmt not in BLANK:
        raise Http404
    key = f"applications:blank-form:{fmt}"
    content = cache.get(key)
    if content is None:
        content = blank_form(fmt)
        cache.set(key, content, 24 * 3600)
    response = HttpResponse(content, content_type=BLANK[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(TITLE)}.{fmt}"
    return response


def _new_token(request) -> str:
    token = secrets.token_urlsafe(16)
    tokens = request.session.get(SESSION_TOKENS, [])[-9:]
    request.session[SESSION_TOKENS] = [*tokens, token]
    return token


@never_cache
@require_http_methods(["GET", "POST"])
def apply_form(request):
    user = request.user
    if request.method == "GET":
        initial: dict[str, Any] = {"form_token": _new_token(request)}
        code = request.GET.get("agency", "")
        if code:
            agency = Agency.objects.filter(code=code, is_active=True).first()
            if agency is not None:
                initial["agency"] = agency.pk
        if user.is_authenticated and not getattr(user, "is_agency_staff", False):
            initial.update({"name": user.display_name, "phone": user.phone, "email": user.email})
        return render(
            request, "applications/apply_form.html", {"form": f.ApplyForm(initial=initial)}
        )
    form = f.ApplyForm(request.POST, request.FILES)
    token = request.POST.get("form_token", "")
    tokens = request.session.get(SESSION_TOKENS, [])
    if token and token not in tokens and request.session.get(SESSION_DONE):
        messages.info(request, "该申请已经提交，请勿重复提交。")
        return redirect("applications:apply_done")
    if not ratelimit.check(limits.APPLY, _client(request)).allowed:
        form.add_error(None, "提交过于频繁，请稍后再试。")
        return render(request, "applications/apply_form.html", {"form": form}, status=429)
    if form.is_valid():
        data = form.cleaned_data
        try:
            app = svc.application_register(
                actor=user if user.is_authenticated else ApplicantActor("申请人（网上申请）"),
                agency=data["agency"],
                channel="online",
                applicant=form.applicant(),
                description=data["description"],
                purpose=data["purpose"],
                form=data["provide_form"],
                delivery=data["delivery"],
                attachments=f.read_files(data["attachments"]),
                applicant_user=user if user.is_authenticated else None,
                notify_by=data["notify_by"],
            )
        except ApplicationError as exc:
            for field, message in exc.field_errors.items():
                target = {"applicant_type": "applicant_type", "form": "provide_form"}.get(
                    field, field
                )
                form.add_error(target if target in form.fields else None, message)
            if not exc.field_errors:
                form.add_error(None, exc.message)
            _ask_files_again(form, request)
        else:
            ratelimit.hit(limits.APPLY, _client(request))
            request.session[SESSION_TOKENS] = [t for t in tokens if t != token]
            request.session[SESSION_DONE] = {
                "number": app.number,
                "code": app.query_code,  # type: ignore[attr-defined]  # set by the intake
                "public_id": str(app.public_id),
                "agency": app.agency.name,
                "received": app.received_on.isoformat(),
                "due": app.due.label if app.due else "",
                "due_reason": app.due_reason if app.due_provisional else "",
            }
            _grant(request, app)
            return redirect("applications:apply_done")
    _ask_files_again(form, request)
    return render(request, "applications/apply_form.html", {"form": form}, status=400)


def _ask_files_again(form, request) -> None:
    """A browser cannot refill a file input: files chosen before a validation error are
    named, and the applicant is asked to choose them again (nothing was stored)."""
    names = [upload.name for upload in request.FILES.getlist("attachments")]
    if names and "attachments" not in form.errors:
        form.add_error(
            "attachments",
            f"您选择的附件（{'、'.join(names)}）尚未保存，请更正其他内容后重新选择附件再提交。",
        )


@never_cache
def apply_done(request):
    done = request.session.get(SESSION_DONE)
    if not done:
        return redirect("applications:track")
    code = done.get("code")
    if code:  # the query code is shown once: a reload shows the rest without it
        request.session[SESSION_DONE] = {**done, "code": ""}
    return render(request, "applications/apply_done.html", {"done": done, "code": code})


def _grant(request, app: Application) -> None:
    tracked = [t for t in request.session.get(SESSION_TRACKED, []) if t != str(app.public_id)]
    request.session[SESSION_TRACKED] = [*tracked[-19:], str(app.public_id)]


def _locked_message(number: str, retry_after: int) -> str:
    from datetime import timedelta

    when = clock.localtime(clock.now() + timedelta(seconds=retry_after)).strftime("%H:%M")
    return (
        f"登记号{number}的查询码已连续输错{limits.TRACK_NUMBER.limit}次。为保护申请人的信息，"
        f"该登记号的查询已暂停（{when}后可再试）。"
        "忘记查询码的，请携带身份证明联系受理机关的政府信息公开工作机构。"
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    form = f.TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not ratelimit.check(limits.TRACK, _client(request)).allowed:
            form.add_error(None, f"查询失败次数过多，请{limits.TRACK.minutes}分钟后再试。")
            return render(request, "applications/track.html", {"form": form}, status=429)
        if form.is_valid():
            number = form.cleaned_data["number"].strip().upper()
            locked = ratelimit.check(limits.TRACK_NUMBER, number)
            if not locked.allowed:
                form.add_error(None, _locked_message(number, locked.retry_after))
                return render(request, "applications/track.html", {"form": form}, status=429)
            app = sel.application_find_by_code(number, form.cleaned_data["code"])
            if app is not None:
                _grant(request, app)
                return redirect("applications:track_case", public_id=app.public_id)
            ratelimit.hit(limits.TRACK, _client(request))
            wrong = ratelimit.hit(limits.TRACK_NUMBER, number)
            if not wrong.allowed or wrong.count >= limits.TRACK_NUMBER.limit:
                form.add_error(None, _locked_message(number, wrong.retry_after))
                return render(request, "applications/track.html", {"form": form}, status=429)
            left = limits.TRACK_NUMBER.limit - wrong.count
            form.add_error(
                None, f"登记号或查询码不正确，请核对后重试（该登记号还可尝试{left}次）。"
            )
        status = 400
    return render(request, "applications/track.html", {"form": form}, status=status)


def _visible_case(request, public_id) -> Application:
    app = (
        Application.objects.select_related("agency", "agency__parent")
        .filter(public_id=public_id)
        .first()
    )
    if app is None:
        raise Http404
    if is_applicant_of(request.user, app) or str(app.public_id) in request.session.get(
        SESSION_TRACKED, []
    ):
        return app
    raise Http404


def _actor(request, app):
    return request.user if is_applicant_of(request.user, app) else ApplicantActor()


@never_cache
def case(
    request, public_id, correction_form=None, withdraw_form=None, contacts_form=None, status=200
):
    app = _visible_case(request, public_id)
    result = sel.application_deadline(app) if app.is_open else None
    facts_now = facts(app)
    return render(
        request,
        "applications/track_case.html",
        {
            "app": app,
            "state_label": PUBLIC_STATE_LABELS[CaseState(app.state)],
            "deadline": result,
            "letters": sel.application_letters(app, applicant=True),
            "documents": sel.application_documents(app, applicant=True),
            "timeline": sel.application_timeline(app, public=True),
            "can_correct": app.state == CaseState.CORRECTION,
            "can_withdraw": can(facts_now, CaseAction.WITHDRAW),
            "correction_form": correction_form or f.SupplyCorrectionForm(),
            "withdraw_form": withdraw_form or f.WithdrawForm(),
            "contacts_form": contacts_form
            or f.NoticeContactsForm(initial={"phone": app.notice_phone, "email": app.notice_email}),
            "deliveries": deliveries_for(app),
        },
        status=status,
    )


@require_http_methods(["POST"])
def notice_contacts(request, public_id):
    app = _visible_case(request, public_id)
    form = f.NoticeContactsForm(request.POST)
    if form.is_valid():
        try:
            svc.application_notice_contacts_set(
                actor=_actor(request, app),
                application=app,
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "通知方式已保存。")
            return redirect("applications:track_case", public_id=app.public_id)
    return case(request, public_id, contacts_form=form, status=400)


@require_http_methods(["POST"])
def supply_correction(request, public_id):
    app = _visible_case(request, public_id)
    form = f.SupplyCorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            svc.application_correction_receive(
                actor=_actor(request, app),
                application=app,
                files=f.read_files(form.cleaned_data["files"]),
                note=form.cleaned_data["note"],
                applicant_verified=True,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "补正材料已提交，答复期限自今日起重新计算。")
            return redirect("applications:track_case", public_id=app.public_id)
    return case(request, public_id, correction_form=form, status=400)


@require_http_methods(["GET", "POST"])
def withdraw(request, public_id):
    app = _visible_case(request, public_id)
    if request.method == "GET":
        return redirect("applications:track_case", public_id=app.public_id)
    form = f.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            svc.application_withdraw(
                actor=_actor(request, app),
                application=app,
                reason=form.cleaned_data["reason"],
                applicant_verified=True,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "申请已撤回。")
            return redirect("applications:track_case", public_id=app.public_id)
    return case(request, public_id, withdraw_form=form, status=400)


def letter_download(request, public_id, letter_id: int, fmt: str):
    app = _visible_case(request, public_id)
    letter = app.letters.filter(pk=letter_id, to_applicant=True).first()
    if letter is None or fmt not in FORMATS:
        raise Http404
    response = HttpResponse(letter_file(letter, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(download_name(letter, fmt))}"
    )
    return response


def document_download(request, public_id, document_id: int):
    app = _visible_case(request, public_id)
    document = next(
        (d for d in sel.application_documents(app, applicant=True) if d.pk == document_id), None
    )
    if document is None:
        raise Http404
    stored = document.file
    if document.kind == DocumentKind.RELEASED:
        # released information: only the copy the privacy review made (ADR 0032)
        if not document.released_file:
            raise Http404
        stored = document.released_file
    response = FileResponse(stored.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(document.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def my_list(request):
    page = Paginator(sel.applications_of_user(request.user), 20).get_page(request.GET.get("page"))
    for app in page.object_list:
        app.public_label = PUBLIC_STATE_LABELS[CaseState(app.state)]  # type: ignore[attr-defined]
    return render(request, "applications/my_list.html", {"page": page})
