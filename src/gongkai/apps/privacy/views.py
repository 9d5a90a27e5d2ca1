"""Back-office pages of the privacy review: the list, a review with its findings, 自查."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.apps.accounts.permissions import is_staff_member, is_supervisor
from gongkai.apps.organizations.selectors import agency_list_active
from gongkai.apps.privacy.errors import PrivacyActionDenied, PrivacyError
from gongkai.apps.privacy.forms import CheckForm, OverrideForm
from gongkai.apps.privacy.models import KindChoices, PrivacyCheck, PrivacyFinding, PrivacyReview
from gongkai.apps.privacy.permissions import can_mask, can_override, can_use_checks, can_view_review
from gongkai.apps.privacy.selectors import (
    privacy_review_findings,
    privacy_review_latest,
    privacy_reviews_visible,
    privacy_settings,
)
from gongkai.apps.privacy.services import (
    privacy_check_create,
    privacy_check_sources,
    privacy_finding_mask,
    privacy_finding_override,
    privacy_masked_file,
    privacy_review_mask_all,
)
from gongkai.documents.extract import ExtractionError


def _staff(request) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied


@login_required
def review_list(request):
    _staff(request)
    show = request.GET.get("show", "open")
    kind = request.GET.get("kind", "")
    if kind not in KindChoices.values:
        kind = ""
    agency_id = None
    agencies = []
    if is_supervisor(request.user):
        agencies = list(agency_list_active())
        raw = request.GET.get("agency", "")
        agency_id = int(raw) if raw.isdigit() else None
    reviews = privacy_reviews_visible(
        request.user, open_only=show != "all", agency_id=agency_id, kind=kind
    )
    page = Paginator(reviews, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/bo/list.html",
        {
            "page": page,
            "show": show,
            "kind": kind,
            "kinds": KindChoices.choices,
            "agencies": agencies,
            "agency_id": agency_id,
            "can_check": can_use_checks(request.user),
            "threshold": privacy_settings().threshold,
        },
    )


def _review_or_403(request, pk: int) -> PrivacyReview:
    review = get_object_or_404(PrivacyReview.objects.select_related("agency", "created_by"), pk=pk)
    if not can_view_review(request.user, review):
        raise PermissionDenied
    return review


@login_required
def review_detail(request, pk: int):
    _staff(request)
    review = _review_or_403(request, pk)
    findings = list(privacy_review_findings(review))
    sources = list(review.sources.all())
    by_source: dict[int, list[PrivacyFinding]] = {s.pk: [] for s in sources}
    for finding in findings:
        by_source[finding.source_id].append(finding)
    threshold = privacy_settings().threshold
    check = None
    if review.content_type.model_class() is PrivacyCheck:
        check = PrivacyCheck.objects.filter(pk=review.object_id).first()
    return render(
        request,
        "privacy/bo/review.html",
        {
            "review": review,
            "groups": [(s, by_source[s.pk]) for s in sources],
            "threshold": threshold,
            "blocking": sum(1 for f in findings if f.status == "open" and f.score >= threshold),
            "open_count": sum(1 for f in findings if f.status == "open"),
            "may_mask": can_mask(request.user, review),
            "may_override": can_override(request.user, review),
            "check": check,
            "newer": None
            if review.is_current
            else PrivacyReview.objects.filter(
                content_type=review.content_type,
                object_id=review.object_id,
                superseded_at__isnull=True,
            ).first(),
        },
    )


def _finding_response(request, finding: PrivacyFinding, error: str = ""):
    """The row for htmx, or back to the review page (POST/redirect/GET) without JavaScript."""
    if request.headers.get("HX-Request"):
        review = finding.review
        return render(
            request,
            "privacy/bo/_finding.html",
            {
                "f": finding,
                "error": error,
                "threshold": privacy_settings().threshold,
                "may_mask": can_mask(request.user, review),
                "may_override": can_override(request.user, review),
                "review": review,
            },
        )
    if error:
        messages.error(request, error)
    url = reverse("privacy:review", args=[finding.review_id])
    return redirect(f"{url}#finding-{finding.pk}")


def _finding_or_403(request, pk: int) -> PrivacyFinding:
    _staff(request)
    finding = get_object_or_404(PrivacyFinding.objects.select_related("review", "source"), pk=pk)
    if not can_view_review(request.user, finding.review):
        raise PermissionDenied
    return finding


@login_required
@require_POST
def finding_mask(request, pk: int):
    finding = _finding_or_403(request, pk)
    try:
        finding = privacy_finding_mask(actor=request.user, finding=finding)
    except PrivacyActionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except PrivacyError as exc:
        return _finding_response(request, finding, str(exc))
    if not request.headers.get("HX-Request"):
        messages.success(request, f"已遮盖：{finding.get_kind_display()} {finding.masked_value}")
    return _finding_response(request, _reload(finding))


@login_required
@require_POST
def finding_override(request, pk: int):
    finding = _finding_or_403(request, pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _finding_response(request, finding, "放行须写明理由")
    try:
        finding = privacy_finding_override(
            actor=request.user, finding=finding, reason=form.cleaned_data["reason"]
        )
    except PrivacyActionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except PrivacyError as exc:
        return _finding_response(request, finding, str(exc))
    if not request.headers.get("HX-Request"):
        messages.success(request, f"已放行：{finding.get_kind_display()} {finding.masked_value}")
    return _finding_response(request, _reload(finding))


@login_required
@require_POST
def review_mask_all(request, pk: int):
    _staff(request)
    review = _review_or_403(request, pk)
    try:
        count = privacy_review_mask_all(actor=request.user, review=review)
    except PrivacyActionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except PrivacyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已遮盖 {count} 处")
    return redirect("privacy:review", pk=review.pk)


def _reload(finding: PrivacyFinding) -> PrivacyFinding:
    return PrivacyFinding.objects.select_related("review", "source", "resolved_by").get(
        pk=finding.pk
    )


@login_required
def check_create(request):
    _staff(request)
    if not can_use_checks(request.user):
        raise PermissionDenied
    form = CheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            check = privacy_check_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data.get("text") or "",
                filename=upload.name if upload else "",
                content=upload.read() if upload else None,
            )
        except PrivacyError as exc:
            form.add_error(None, str(exc))
        else:
            review = privacy_review_latest(check)
            assert review is not None  # the check just made one
            return redirect("privacy:review", pk=review.pk)
    return render(request, "privacy/bo/check_form.html", {"form": form})


@login_required
def check_masked(request, pk: int):
    """Download the masked copy of a self-check's file, per the review's decisions."""
    _staff(request)
    check = get_object_or_404(PrivacyCheck, pk=pk)

    review = privacy_review_latest(check)
    if review is None or not can_view_review(request.user, review) or not check.file:
        raise PermissionDenied
    source = next(s for s in privacy_check_sources(check) if s.content is not None)
    try:
        data = privacy_masked_file(check.filename, source.content or b"", review=review)
    except ExtractionError as exc:
        messages.error(request, str(exc))
        return redirect("privacy:review", pk=review.pk)
    name = check.filename.rsplit(".", 1)
    masked_name = (
        f"{name[0]}（遮盖件）.{name[1]}" if len(name) == 2 else f"{check.filename}（遮盖件）"
    )
    response = HttpResponse(data, content_type="application/octet-stream")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(masked_name)}"
    return response
