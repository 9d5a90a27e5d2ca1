"""Reads of the credit context. Public reads touch only published rows and their masked
columns (``PUBLIC_COLUMNS``); raw party data is read by the deciding agency's staff only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.db.models.expressions import RawSQL

from gongkai.apps.accounts.permissions import visible_agency_ids
from gongkai.apps.credit.models import CreditRecord, ListEntry
from gongkai.apps.credit.namesearch import NameMatches, matching_names
from gongkai.apps.inspections.models import DrawSelection, Inspector, MarketEntity, TaskStatus
from gongkai.apps.organizations.models import Agency
from gongkai.domain.codes import is_valid_uscc
from gongkai.domain.credit import (
    CreditState,
    PartyKind,
    RecordKind,
    normalize_certificate,
    officer_districts,
)

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
    "due_date",
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
    *,
    today: dt.date,
    q: str = "",
    kind: str = "",
    agency_id: int | None = None,
    matches: NameMatches | None = None,
) -> QuerySet[CreditRecord]:
    """Public records by code or name fragment; ``matches``: the fragment's names when the
    caller has looked them up already (the page shows whether they were cut short)."""
    rows = public_records(today=today)
    q = q.strip()
    if q:
        code = q.upper()
        if len(code) == 18 and is_valid_uscc(code):
            rows = _public_by_ids(_record_ids(uscc=code), today=today)
        else:
            # by index, never a LIKE scan of the records (ADR 0152)
            names = (matches or matching_names(q)).names
            rows = _public_by_ids(_name_record_ids(names), today=today)
    if kind in RecordKind.__members__.values() or kind in {k.value for k in RecordKind}:
        rows = rows.filter(kind=kind)
    if agency_id:
        rows = rows.filter(agency_id=agency_id)
    return rows.order_by("-decided_on", "-pk")


def _public_by_ids(ids: list[int] | RawSQL, *, today: dt.date) -> QuerySet[CreditRecord]:
    """``public_records`` among known ids. The same conditions, written so that no index but
    the primary key's can serve them: without statistics SQLite's planner would otherwise walk
    the ``state`` or ``public_until`` index over every published record (ADR 0152)."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce, Concat

    return (
        CreditRecord.objects.filter(pk__in=ids)
        .alias(
            shown_state=Concat("state", Value("")),
            shown_until=Coalesce("public_until", Value(dt.date.max)),
        )
        .filter(shown_state=CreditState.PUBLISHED, minor=False, shown_until__gte=today)
        .only(*[c for c in PUBLIC_COLUMNS if c != "pk"])
    )


# the most records one code or one set of names is answered from
MAX_RECORDS = 5000


def _record_ids(**lookup: Any) -> list[int]:
    """The records of one code or of the names found, read by that column's own index first.

    Combined with the public filter in one statement, SQLite's planner (no statistics) walks
    the ``state`` index over every published record instead; reading the ids alone lets it
    use the ``uscc`` or ``public_name`` index, and the public filter then checks those rows."""
    return list(CreditRecord.objects.filter(**lookup).values_list("pk", flat=True)[:MAX_RECORDS])


def _name_record_ids(names: list[str]) -> list[int] | RawSQL:
    """The records of the names found, by the ``public_name`` index (at most
    ``MAX_RECORDS``). On PostgreSQL a subquery of the statements that read the records, the
    names bound as one array: there the database answers a common fragment in about 2 ms,
    and building and sending hundreds of names and ids one by one cost more (ADR 0192)."""
    if connection.vendor != "postgresql":
        return _record_ids(public_name__in=names)
    quote = connection.ops.quote_name
    return RawSQL(
        f"SELECT {quote('id')} FROM {quote(CreditRecord._meta.db_table)}"
        f" WHERE {quote('public_name')} = ANY(%s) LIMIT {MAX_RECORDS}",
        (list(names),),
    )


def entity_records(*, uscc: str, today: dt.date) -> QuerySet[CreditRecord]:
    return _public_by_ids(_record_ids(uscc=uscc), today=today).order_by("kind", "-decided_on")


def entity_inspections(*, uscc: str) -> list[Any]:
    """The entity's published 双随机 results."""
    return list(
        DrawSelection.objects.filter(
            entity__uscc=uscc, task__status=TaskStatus.PUBLISHED, is_standby=False
        )
        .exclude(result="")
        .select_related("task", "task__agency")
        .order_by("-checked_on")
    )


def entity_name(
    uscc: str, today: dt.date, records: Sequence[CreditRecord] | None = None
) -> str | None:
    """The entity's name as its newest public record gives it (``records``: that list, when
    the caller has read it already), else as the market-entity directory holds it."""
    if records is None:
        row = entity_records(uscc=uscc, today=today).values_list("public_name", flat=True).first()
    else:
        row = records[0].public_name if records else None
    if row:
        return row

    return MarketEntity.objects.filter(uscc=uscc).values_list("name", flat=True).first()


def public_lists(*, kind: str | Sequence[str], today: dt.date) -> QuerySet[ListEntry]:
    """Active entries of one list (or of several, ``kind`` a sequence) on ``today``."""
    from django.db.models import Q

    kinds = [kind] if isinstance(kind, str) else list(kind)
    return (
        ListEntry.objects.filter(kind__in=kinds, active=True)
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
    once: superseded rows are left out); 罚没金额 (fines plus confiscations of the year's
    penalties) in 万元 as ``penalty.amount_wan``. One query."""
    out: dict[int, dict[str, Any]] = {}
    rows = (
        CreditRecord.objects.filter(agency_id__in=agency_ids, decided_on__year=year)
        .exclude(state=CreditState.SUPERSEDED)
        .values("agency_id", "kind")
        .annotate(n=Count("pk"), fine=Sum("fine_wan"), confiscated=Sum("confiscated_wan"))
    )
    for row in rows:
        figures = out.setdefault(row["agency_id"], {})
        figures[f"{REPORT_KEYS[row['kind']]}.decisions"] = row["n"]
        if row["kind"] == RecordKind.PENALTY:
            amount = (row["fine"] or Decimal(0)) + (row["confiscated"] or Decimal(0))
            figures["penalty.amount_wan"] = Decimal(amount).quantize(Decimal("0.0001"))
    return out


# the measure names of the report formats (entered.<name>.decisions)
REPORT_KEYS = {"licence": "licensing", "penalty": "penalty", "coercion": "coercion"}


def is_person(record: Any) -> bool:
    return record.party_kind == PartyKind.PERSON


# ── 行政执法公示: 执法主体 and 执法人员 (the 双随机 inspector directory) ─────────────────────


@dataclass(frozen=True)
class PublicOfficer:
    """What of an enforcement officer is public (domain.credit.OFFICER_PUBLIC_FIELDS)."""

    name: str
    certificate_no: str
    agency: str
    agency_code: str
    districts: str


def _officers(**filters: Any) -> list[PublicOfficer]:
    rows = (
        Inspector.objects.filter(is_active=True, agency__is_active=True, **filters)
        .order_by("agency__sort_order", "agency_id", "certificate_no")
        .values_list("name", "certificate_no", "agency__name", "agency__code", "districts")
    )
    return [
        PublicOfficer(name, number, agency, code, officer_districts(districts))
        for name, number, agency, code, districts in rows
    ]


def public_officers(*, agency_id: int) -> list[PublicOfficer]:
    return _officers(agency_id=agency_id)


def officer_by_certificate(number: str) -> PublicOfficer | None:
    """A certificate shown to a person, checked: only officers in post are found."""
    number = normalize_certificate(number)
    if not number:
        return None
    found = _officers(certificate_no__iexact=number)
    return found[0] if found else None


@dataclass
class BodyFigures:
    licences: int = 0
    penalties: int = 0
    coercions: int = 0
    amount_wan: Decimal = Decimal(0)


@dataclass
class EnforcementBody:
    """执法主体: an agency with officers in post or decisions of its own."""

    agency: Any
    officers: int
    figures: BodyFigures


def year_figures(*, agency_ids: list[int], year: int) -> dict[int, BodyFigures]:
    """Decisions of ``year`` per agency and 罚没金额 (万元): the figures of the annual report."""
    out: dict[int, BodyFigures] = {}
    for agency_id, figures in credit_report_figures(agency_ids=agency_ids, year=year).items():
        out[agency_id] = BodyFigures(
            licences=int(figures.get("licensing.decisions", 0)),
            penalties=int(figures.get("penalty.decisions", 0)),
            coercions=int(figures.get("coercion.decisions", 0)),
            amount_wan=Decimal(figures.get("penalty.amount_wan", 0)),
        )
    return out


def enforcement_bodies(*, year: int) -> list[EnforcementBody]:
    officers = dict(
        Inspector.objects.filter(is_active=True)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    deciding = set(CreditRecord.objects.values_list("agency_id", flat=True).distinct())
    agencies = list(
        Agency.objects.filter(is_active=True, pk__in=set(officers) | deciding).order_by(
            "sort_order", "pk"
        )
    )
    figures = year_figures(agency_ids=[a.pk for a in agencies], year=year)
    return [
        EnforcementBody(a, officers.get(a.pk, 0), figures.get(a.pk, BodyFigures()))
        for a in agencies
    ]
