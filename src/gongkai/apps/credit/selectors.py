"""Reads of the credit context. Public reads touch only published rows and their masked
columns (``PUBLIC_COLUMNS``); raw party data is read by the deciding agency's staff only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet, Sum

from gongkai.apps.accounts.permissions import visible_agency_ids
from gongkai.apps.credit.models import CreditRecord, ListEntry
from gongkai.domain.codes import is_valid_uscc
from gongkai.domain.credit import CreditState, PartyKind, RecordKind

PUBLIC_COLUMNS = (
    "pk",
    "kind",
    "public_name",
    "party_kind",
    "uscc",
    "public_id_number",
    "doc_name",
    "doc_number",
    "category",
    "licence_name",
    "licence_number",
    "violation_type",
    "facts",
    "basis",
    "content",
    "fine_wan",
    "confiscated_wan",
    "suspended_licence",
    "decided_on",
    "valid_from",
    "valid_to",
    "authority_name",
    "authority_uscc",
    "source_name",
    "source_uscc",
    "public_until",
    "published_at",
    "agency_id",
    "remarks",
    "updated_at",
)


def public_records(*, today: dt.date) -> QuerySet[CreditRecord]:
    """Published and still within their period (the expiry job also withdraws them; this
    guard keeps a late job from showing an expired row)."""
    from django.db.models import Q

    return (
        CreditRecord.objects.filter(state=CreditState.PUBLISHED, minor=False)
        .filter(Q(public_until__isnull=True) | Q(public_until__gte=today))
        .only(*[c for c in PUBLIC_COLUMNS if c != "pk"])
    )


def public_search(
    *, today: dt.date, q: str = "", kind: str = "", agency_id: int | None = None
) -> QuerySet[CreditRecord]:
    rows = public_records(today=today)
    q = q.strip()
    if q:
        code = q.upper()
        if len(code) == 18 and is_valid_uscc(code):
            rows = rows.filter(uscc=code)
        else:
            rows = (
                rows.filter(public_name__startswith=q)
                if len(q) < 2
                else rows.filter(public_name__contains=q)
            )
    if kind in RecordKind.__members__.values() or kind in {k.value for k in RecordKind}:
        rows = rows.filter(kind=kind)
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    return rows.order_by("-decided_on", "-pk")


def entity_records(*, uscc: str, today: dt.date) -> QuerySet[CreditRecord]:
    return public_records(today=today).filter(uscc=uscc).order_by("kind", "-decided_on")


def entity_inspections(*, uscc: str) -> list[Any]:
    """The entity's published 双随机 results."""
    from gongkai.apps.inspections.models import DrawSelection, TaskStatus

    return list(
        DrawSelection.objects.filter(
            entity__uscc=uscc, task__status=TaskStatus.PUBLISHED, is_standby=False
        )
        .exclude(result="")
        .select_related("task", "task__agency")
        .order_by("-checked_on")
    )


def entity_name(uscc: str, today: dt.date) -> str | None:
    row = entity_records(uscc=uscc, today=today).values_list("public_name", flat=True).first()
    if row:
        return row
    from gongkai.apps.inspections.models import MarketEntity

    return MarketEntity.objects.filter(uscc=uscc).values_list("name", flat=True).first()


def public_lists(*, kind: str, today: dt.date) -> QuerySet[ListEntry]:
    from django.db.models import Q

    return (
        ListEntry.objects.filter(kind=kind, active=True)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("agency")
    )


def backoffice_records(user: Any) -> QuerySet[CreditRecord]:
    ids = visible_agency_ids(user)
    rows = CreditRecord.objects.select_related("agency")
    if ids is not None:
        rows = rows.filter(agency_id__in=ids)
    return rows.order_by("-created_at", "-pk")


def late_and_due(user: Any, *, today: dt.date, soon_days: int = 7) -> tuple[list, list]:
    """Drafts past their publication deadline, and those due within ``soon_days`` (calendar days)."""
    drafts = backoffice_records(user).filter(state=CreditState.DRAFT, due_date__isnull=False)
    late = list(drafts.filter(due_date__lt=today).order_by("due_date")[:50])
    soon = list(
        drafts.filter(
            due_date__gte=today, due_date__lte=today + dt.timedelta(days=soon_days)
        ).order_by("due_date")[:50]
    )
    return late, soon


def published_late_counts(user: Any) -> dict[int, int]:
    """Per agency: published records whose publication came after the deadline."""
    from django.db.models import F

    rows = (
        backoffice_records(user)
        .filter(
            published_at__isnull=False, due_date__isnull=False, published_at__date__gt=F("due_date")
        )
        .values("agency_id")
        .annotate(n=Count("pk"))
    )
    return {r["agency_id"]: r["n"] for r in rows}


def credit_report_figures(*, agency_ids: list[int], year: int) -> dict[int, dict[str, Any]]:
    """表二 cells from the records: decisions made in ``year`` per agency (corrections count
    once: superseded rows are left out); 罚没金额 in 万元."""
    out: dict[int, dict[str, Any]] = {}
    rows = (
        CreditRecord.objects.filter(agency_id__in=agency_ids, decided_on__year=year)
        .exclude(state=CreditState.SUPERSEDED)
        .values("agency_id", "kind")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        figures = out.setdefault(row["agency_id"], {})
        figures[f"{REPORT_KEYS[row['kind']]}.decisions"] = row["n"]
    return out


def penalty_amounts_wan(*, agency_ids: list[int], year: int) -> dict[int, Any]:
    """罚没金额 (万元) per agency: fines plus confiscations of the year's penalties."""
    from decimal import Decimal

    rows = (
        CreditRecord.objects.filter(
            agency_id__in=agency_ids, decided_on__year=year, kind=RecordKind.PENALTY
        )
        .exclude(state=CreditState.SUPERSEDED)
        .values("agency_id")
        .annotate(fine=Sum("fine_wan"), confiscated=Sum("confiscated_wan"))
    )
    return {
        r["agency_id"]: ((r["fine"] or Decimal(0)) + (r["confiscated"] or Decimal(0))).quantize(
            Decimal("0.0001")
        )
        for r in rows
    }


# the measure names of the report formats (entered.<name>.decisions)
REPORT_KEYS = {"licence": "licensing", "penalty": "penalty", "coercion": "coercion"}


def is_person(record: Any) -> bool:
    return record.party_kind == PartyKind.PERSON
