"""The work-queue section “待处理的隐私审查” for staff of an agency with open findings."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.urls import reverse

from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.apps.privacy.models import FindingStatus, KindChoices, PrivacyFinding
from gongkai.apps.privacy.permissions import can_mask
from gongkai.apps.privacy.selectors import privacy_reviews_visible, privacy_settings

SHOWN = 8


def privacy_workqueue(user: Any) -> list[WorkSection]:
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None or not can_mask(user, _AgencyOnly(agency_id)):
        return []
    reviews = privacy_reviews_visible(user, open_only=True, agency_id=agency_id)
    count = reviews.count()
    if not count:
        return []
    shown = list(reviews[:SHOWN])
    threshold = privacy_settings().threshold
    labels = dict(KindChoices.choices)
    kinds: dict[int, Counter[str]] = {r.pk: Counter() for r in shown}
    for review_id, kind in PrivacyFinding.objects.filter(
        review_id__in=kinds, status=FindingStatus.OPEN, score__gte=threshold
    ).values_list("review_id", "kind"):
        kinds[review_id][labels.get(kind, kind)] += 1
    items = [
        WorkItem(
            title=review.target_label,
            url=reverse("privacy:review", args=[review.pk]),
            note="、".join(f"{name} {n} 处" for name, n in kinds[review.pk].most_common()),
            tone="danger",
        )
        for review in shown
    ]
    return [
        WorkSection(
            key="privacy",
            title="待处理的隐私审查",
            count=count,
            items=items,
            more_url=reverse("privacy:list"),
            tone="danger",
            order=30,
        )
    ]


class _AgencyOnly:
    """Just enough of a review for the permission check: the agency it belongs to."""

    def __init__(self, agency_id: int) -> None:
        self.agency_id = agency_id
