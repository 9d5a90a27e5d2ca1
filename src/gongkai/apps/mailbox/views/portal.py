"""Public pages: the Q&A column, writing a letter, following it with number + query code,
and the monthly figures."""

from __future__ import annotations

import secrets
from functools import cached_property
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai import clock, ratelimit
from gongkai.apps.audit.middleware import client_ip
from gongkai.apps.mailbox import selectors
from gongkai.apps.mailbox.charts import monthly_chart
from gongkai.apps.mailbox.errors import DuplicateSubmission, MailboxError
from gongkai.apps.mailbox.forms import MAYOR, LetterForm, QueryForm, RateForm
from gongkai.apps.mailbox.models import Letter, LetterCategory, LetterEventKind
from gongkai.apps.mailbox.services import (
    letter_consent_withdraw,
    letter_rate,
    letter_submit,
    query_code_matches,
)
from gongkai.apps.organizations.models import Agency

TOKEN_SALT = "gongkai.mailbox.write"
TOKEN_MAX_AGE = 24 * 3600
SESSION_ACCESS = "mailbox_access"
SESSION_RECEIPTS = "mailbox_receipts"
PAGE_SIZE = 20
MAX_PUBLIC_PAGE = 500
QUERY_FAILURES = ratelimit.Rule("mailbox-query", 10, 15 * 60)  # wrong query codes per address
# events the writer sees on the query page (internal drafting steps are not shown)
WRITER_EVENTS = {
    LetterEventKind.ASSIGN,
    LetterEventKind.TRANSFER,
    LetterEventKind.RETURN,
    LetterEventKind.ANSWER,
    LetterEventKind.REDIRECT,
    LetterEventKind.CONVERT,
    LetterEventKind.INVALID,
    LetterEventKind.RATE,
    LetterEventKind.PUBLISH,
    LetterEventKind.PUBLISH_REFUSE,
    LetterEventKind.UNPUBLISH,
    LetterEventKind.DUE_RECOMPUTE,
}


class CountedPaginator(Paginator):
    """A paginator whose total comes from a cached count instead of a COUNT(*) per request."""

    def __init__(self, object_list, per_page, *, total: int) -> None:
        super().__init__(object_list, per_page)
        self._total = total

    @cached_property
    def count(self) -> int:
        return self._total


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _agency_from(request) -> Agency | None:
    code = request.GET.get("agency", "").strip()
    if not code:
        return None
    return Agency.objects.filter(code=code, is_active=True).first()


def index(request):
    """政府信箱 public column: answered letters published with their writers' consent."""
    agency = _agency_from(request)
    category = request.GET.get("category", "")
    if category not in LetterCategory.values:
        category = ""
    q = request.GET.get("q", "").strip()[:50]
    filters = {"agency_id": agency.pk if agency else None, "category": category, "q": q}
    qs = selectors.public_letters(**filters).only(
        "number",
        "subject",
        "category",
        "received_on",
        "replied_on",
        "agency__name",
        "agency__short_name",
    )
    number = min(_page_number(request), MAX_PUBLIC_PAGE)
    page = None
    has_next = False
    if q:
        # keyword search: no total (a full count would scan every letter); next page if any
        rows = list(qs[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
        has_next = len(rows) > PAGE_SIZE
        letters = rows[:PAGE_SIZE]
    else:
        paginator = CountedPaginator(qs, PAGE_SIZE, total=selectors.public_letter_count(**filters))
        try:
            page = paginator.page(number)
        except (EmptyPage, PageNotAnInteger):
            page = paginator.page(paginator.num_pages)
        letters = list(page.object_list)
    departments = Agency.objects.filter(is_active=True, level="city").order_by("sort_order", "id")
    return render(
        request,
        "mailbox/index.html",
        {
            "letters": letters,
            "page": page,
            "page_number": number,
            "has_next": has_next,
            "max_page": MAX_PUBLIC_PAGE,
            "agency": agency,
            "category": category,
            "q": q,
            "categories": LetterCategory.choices,
            "departments": departments,
        },
    )


def public_detail(request, number: str):
    letter = selectors.public_letter_get(number)
    if letter is None:
        raise Http404
    return render(request, "mailbox/public_detail.html", {"letter": letter})


def _new_token() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=TOKEN_SALT)


def _token_value(token: str) -> str | None:
    try:
        return str(signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE))
    except signing.BadSignature:
        return None


def write(request):
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        form = LetterForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            token = _token_value(data["token"])
            if token is None:
                form = _refresh_token(form)
                form.add_error(
                    None, "页面已过期，请核对后再次提交（您填写的内容已保留，附件需重新选择）"
                )
                return render(request, "mailbox/write.html", {"form": form}, status=400)
            addressee = None
            if data["addressee"] != MAYOR:
                addressee = Agency.objects.filter(code=data["addressee"], is_active=True).first()
            try:
                submitted = letter_submit(
                    actor=user,
                    category=data["category"],
                    addressee=addressee,
                    subject=data["subject"],
                    content=data["content"],
                    writer_name=data["writer_name"],
                    writer_phone=data["writer_phone"],
                    writer_email=data["writer_email"],
                    writer_address=data["writer_address"],
                    writer_id_number=data["writer_id_number"],
                    consent_publish=data["consent_publish"],
                    attachments=data["attachments"],
                    submit_token=token,
                    writer_user=user,
                )
            except DuplicateSubmission as dup:
                messages.info(request, dup.message)
                return redirect("mailbox:done", number=dup.letter.number)
            except MailboxError as exc:
                form = _refresh_token(form, keep=True)
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                return render(request, "mailbox/write.html", {"form": form}, status=400)
            receipts = request.session.get(SESSION_RECEIPTS, {})
            receipts[submitted.letter.number] = submitted.query_code
            request.session[SESSION_RECEIPTS] = dict(list(receipts.items())[-20:])
            _grant(request, submitted.letter.number)
            return redirect("mailbox:done", number=submitted.letter.number)
        return render(request, "mailbox/write.html", {"form": form}, status=400)
    initial = {
        "token": _new_token(),
        "consent_publish": selectors.mailbox_settings().publish_default_on,
    }
    if user is not None and not getattr(user, "is_agency_staff", False):
        initial.update(
            writer_name=user.display_name, writer_phone=user.phone, writer_email=user.email
        )
    addressee = request.GET.get("to", "")
    if addressee:
        initial["addressee"] = addressee
    return render(request, "mailbox/write.html", {"form": LetterForm(initial=initial)})


def _refresh_token(form: LetterForm, keep: bool = False) -> LetterForm:
    """Re-render with the writer's input; a fresh token unless the same one may be retried."""
    data = cast(QueryDict, form.data).copy()
    if not keep:
        data["token"] = _new_token()
    fresh = LetterForm(data)
    fresh.is_valid()
    return fresh


def done(request, number: str):
    receipts = request.session.get(SESSION_RECEIPTS, {})
    if number not in receipts and number not in request.session.get(SESSION_ACCESS, []):
        return redirect("mailbox:query")
    letter = Letter.objects.select_related("agency", "addressee").filter(number=number).first()
    if letter is None:
        raise Http404
    return render(
        request, "mailbox/done.html", {"letter": letter, "query_code": receipts.get(number, "")}
    )


def _grant(request, number: str) -> None:
    access = [n for n in request.session.get(SESSION_ACCESS, []) if n != number]
    request.session[SESSION_ACCESS] = [*access, number][-20:]


def query(request):
    form = QueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.check(QUERY_FAILURES, client_ip(request)).allowed:
            form.add_error(None, f"查询失败次数过多，请 {QUERY_FAILURES.minutes} 分钟后再试")
            return render(request, "mailbox/query.html", {"form": form}, status=429)
        letter = Letter.objects.filter(number=form.cleaned_data["number"]).first()
        if letter is not None and query_code_matches(letter, form.cleaned_data["code"]):
            _grant(request, letter.number)
            return redirect("mailbox:query_detail", number=letter.number)
        ratelimit.hit(QUERY_FAILURES, client_ip(request))
        form.add_error(None, "信件编号或查询码不正确")
        return render(request, "mailbox/query.html", {"form": form}, status=400)
    return render(request, "mailbox/query.html", {"form": form})


def _writer_letter(request, number: str) -> Letter:
    """The letter, if this visitor proved to be its writer (query code) or owns it (account)."""
    letter = (
        Letter.objects.select_related("agency", "addressee").filter(number=number.upper()).first()
    )
    if letter is None:
        raise Http404
    owns = request.user.is_authenticated and letter.writer_user_id == request.user.pk
    if not owns and letter.number not in request.session.get(SESSION_ACCESS, []):
        raise Http404
    return letter


def query_detail(request, number: str):
    letter = _writer_letter(request, number)
    events = [e for e in selectors.letter_events(letter) if e.kind in WRITER_EVENTS]
    rate_form = RateForm() if letter.is_closed_with_reply and not letter.satisfaction else None
    return render(
        request,
        "mailbox/query_detail.html",
        {"letter": letter, "events": events, "rate_form": rate_form},
    )


@require_POST
def rate(request, number: str):
    letter = _writer_letter(request, number)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            letter_rate(
                letter=letter,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
                actor=request.user if request.user.is_authenticated else None,
            )
        except MailboxError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "感谢您的评价。")
        return redirect("mailbox:query_detail", number=letter.number)
    events = [e for e in selectors.letter_events(letter) if e.kind in WRITER_EVENTS]
    return render(
        request,
        "mailbox/query_detail.html",
        {"letter": letter, "events": events, "rate_form": form},
        status=400,
    )


@require_POST
def withdraw_consent(request, number: str):
    letter = _writer_letter(request, number)
    try:
        letter_consent_withdraw(
            letter=letter, actor=request.user if request.user.is_authenticated else None
        )
    except MailboxError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤回公开同意，本信不会在公开栏目显示。")
    return redirect("mailbox:query_detail", number=letter.number)


@login_required
def mine(request):
    qs = selectors.letters_of_writer(request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mailbox/mine.html", {"page": page})


def stats(request):
    """Public monthly figures with a chart (received, answered, reply rate)."""
    years = selectors.mailbox_years()
    today = clock.today()
    try:
        year = int(request.GET.get("year") or (years[0] if years else today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        raise Http404
    key = f"mailbox:public-stats:{year}:{selectors.public_count_version()}:{today}"
    data = cache.get(key)
    if data is None:
        data = {
            "months": selectors.mailbox_figures(year=year, by="month"),
            "categories": selectors.mailbox_figures(year=year, by="category"),
            "total": selectors.mailbox_total(year=year),
        }
        cache.set(key, data, timeout=300 if not settings.DEBUG else 1)
    return render(
        request,
        "mailbox/stats.html",
        {
            "year": year,
            "years": years or [today.year],
            "chart": monthly_chart(year, data["months"]),
            **data,
        },
    )
