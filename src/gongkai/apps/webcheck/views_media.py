"""Back office pages of the 政务新媒体 checks and the exports of the check results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.apps.webcheck import exports, media, selectors
from gongkai.apps.webcheck.errors import WebcheckError
from gongkai.apps.webcheck.forms import RegistryImportForm
from gongkai.apps.webcheck.models import MediaAccount, MediaCheck
from gongkai.apps.webcheck.permissions import can_manage
from gongkai.apps.webcheck.views import staff_required
from gongkai.domain.webcheck.indicators import Outcome

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _may_see(user, account: MediaAccount) -> bool:
    return can_manage(user) or user.agency_id == account.sponsor_id


@staff_required
def accounts(request):
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    stats = None
    if request.method == "POST":
        if not can_manage(request.user):
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                stats = media.import_records(
                    actor=request.user,
                    content=upload.read(),
                    file_name=upload.name,
                    now=clock.now(),
                )
            except WebcheckError as exc:
                form.add_error("file", str(exc))
    rows = list(selectors.accounts_for(request.user))
    latest = selectors.latest_media_checks(rows)
    return render(
        request,
        "webcheck/bo/accounts.html",
        {
            "rows": [
                {
                    "account": a,
                    "check": latest.get(a.pk),
                    "verdict": exports.verdict_label(latest[a.pk].verdict)
                    if a.pk in latest
                    else "未检查",
                    "vetoes": exports.veto_text(latest[a.pk].vetoes) if a.pk in latest else "",
                }
                for a in rows
            ],
            "form": form,
            "stats": stats,
            "can_manage": can_manage(request.user),
        },
    )


@staff_required
def account_detail(request, pk: int):
    account = get_object_or_404(MediaAccount.objects.select_related("sponsor"), pk=pk)
    if not _may_see(request.user, account):
        raise PermissionDenied
    if request.method == "POST":
        if not can_manage(request.user):
            raise PermissionDenied
        try:
            if request.POST.get("action") == "pull":
                new = media.pull_archive(account, now=clock.now())
                messages.success(request, f"已读取账号主页，新增发布记录{new}条")
            else:
                media.media_check(actor=request.user, account=account, now=clock.now())
                messages.success(request, "已按发布和留言记录完成检查")
        except WebcheckError as exc:
            messages.error(request, str(exc))
        return redirect("webcheck:account", pk=pk)
    return render(
        request,
        "webcheck/bo/account.html",
        {
            "account": account,
            "checks": account.checks.all()[:20],
            "posts": account.posts.order_by("-published_on", "-pk")[:20],
            "post_count": account.posts.count(),
            "tasks": account.rectifications.order_by("-opened_on", "pk")[:50],
            "can_manage": can_manage(request.user),
        },
    )


@staff_required
def media_check_detail(request, pk: int):
    check = get_object_or_404(MediaCheck.objects.select_related("account"), pk=pk)
    if not _may_see(request.user, check.account):
        raise PermissionDenied
    rows = [
        {**r, "outcome_label": Outcome(r["outcome"]).label}
        for r in (check.result or {}).get("results", [])
    ]
    return render(
        request,
        "webcheck/bo/media_check.html",
        {
            "check": check,
            "verdict": exports.verdict_label(check.verdict),
            "vetoes": exports.veto_text(check.vetoes),
            "rows": rows,
        },
    )


def _download(body: bytes, ctype: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
def export_xlsx(request):
    today = clock.today()
    body = exports.xlsx_bytes(exports.gather(request.user, today))
    return _download(body, XLSX, f"webcheck-{today.isoformat()}.xlsx")


@staff_required
def export_docx(request):
    today = clock.today()
    body = exports.docx_bytes(exports.gather(request.user, today))
    return _download(body, DOCX, f"webcheck-{today.isoformat()}.docx")


@staff_required
@require_POST
def check_accounts(request):
    if not can_manage(request.user):
        raise PermissionDenied
    done = media.check_all_accounts(actor=request.user, now=clock.now())
    messages.success(request, f"已检查政务新媒体账号{len(done)}个")
    return redirect("webcheck:accounts")
