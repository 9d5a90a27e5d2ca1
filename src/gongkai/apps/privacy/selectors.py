"""Reads of the privacy review."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet

from gongkai.apps.accounts.permissions import visible_agency_ids
from gongkai.apps.privacy.models import (
    FindingStatus,
    PrivacyCheck,
    PrivacyFinding,
    PrivacyReview,
    PrivacySettings,
)


def privacy_settings() -> PrivacySettings:
    return PrivacySettings.current()


def _target_filter(target: Any) -> Q:
    content_type = ContentType.objects.get_for_model(target)
    return Q(content_type=content_type, object_id=str(target.pk))


def privacy_review_latest(target: Any) -> PrivacyReview | None:
    """The current review of ``target`` (None when it was never reviewed)."""
    return (
        PrivacyReview.objects.filter(_target_filter(target))
        .order_by(F("superseded_at").asc(nulls_first=True), "-created_at", "-id")
        .select_related("agency")
        .first()
    )


def privacy_findings_open(target: Any) -> QuerySet[PrivacyFinding]:
    """Unresolved findings of the target's current review (hints below the threshold too)."""
    review = privacy_review_latest(target)
    if review is None:
        return PrivacyFinding.objects.none()
    return review.findings.filter(status=FindingStatus.OPEN).select_related("source")


def privacy_findings_blocking(
    target: Any, *, threshold: float | None = None
) -> QuerySet[PrivacyFinding]:
    """Unresolved findings at or above the threshold: these block publication."""
    limit = privacy_settings().threshold if threshold is None else threshold
    return privacy_findings_open(target).filter(score__gte=limit)


def privacy_reviews_visible(
    user: Any, *, open_only: bool = True, agency_id: int | None = None, kind: str = ""
) -> QuerySet[PrivacyReview]:
    """Current reviews the user may read, with ``blocking`` and ``open_count`` annotated."""
    threshold = privacy_settings().threshold
    reviews = PrivacyReview.objects.filter(superseded_at__isnull=True).select_related(
        "agency", "created_by"
    )
    ids = visible_agency_ids(user)
    if ids is not None:
        reviews = reviews.filter(agency_id__in=ids)
    if agency_id is not None:
        reviews = reviews.filter(agency_id=agency_id)
    open_q = Q(findings__status=FindingStatus.OPEN)
    reviews = reviews.annotate(
        open_count=Count("findings", filter=open_q),
        blocking=Count("findings", filter=open_q & Q(findings__score__gte=threshold)),
        finding_count=Count("findings"),
    )
    if open_only:
        reviews = reviews.filter(blocking__gt=0)
    if kind:  # a subquery: a second join on findings would multiply the counts above
        with_kind = PrivacyFinding.objects.filter(kind=kind, status=FindingStatus.OPEN)
        reviews = reviews.filter(pk__in=with_kind.values("review_id"))
    return reviews.order_by("-created_at", "-id")


def privacy_review_findings(review: PrivacyReview) -> QuerySet[PrivacyFinding]:
    return review.findings.select_related("source", "resolved_by").order_by(
        "source__position", "id"
    )


def privacy_blocking_count_for_agency(agency_id: int) -> int:
    threshold = privacy_settings().threshold
    return (
        PrivacyReview.objects.filter(
            agency_id=agency_id,
            superseded_at__isnull=True,
            findings__status=FindingStatus.OPEN,
            findings__score__gte=threshold,
        )
        .distinct()
        .count()
    )


def privacy_checks_visible(user: Any) -> QuerySet[PrivacyCheck]:
    checks = PrivacyCheck.objects.select_related("agency", "created_by")
    ids = visible_agency_ids(user)
    if ids is not None:
        checks = checks.filter(agency_id__in=ids)
    return checks
