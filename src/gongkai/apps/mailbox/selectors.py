"""Reads of the mailbox: work lists, the public column, statistics and the annual-report facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from gongkai.apps.accounts.permissions import visible_agency_ids
from gongkai.apps.mailbox.models import (
    CLOSED_WITH_REPLY,
    OPEN_STATUSES,
    ClassifierModel,
    Letter,
    LetterCategory,
    LetterStatus,
    MailboxSettings,
    PublicLetter,
    Satisfaction,
    TimeLimit,
)
from gongkai.apps.organizations.models import Agency
from gongkai.apps.organizations.selectors import agency_root
from gongkai.domain.mailbox import Figures, add_months
from gongkai.domain.reportfacts import MailboxFacts

# settings ---------------------------------------------------------------------------------------


def mailbox_settings() -> MailboxSettings:
    settings_row = MailboxSettings.objects.select_related("dispatch_agency").first()
    return settings_row or MailboxSettings()


def dispatch_agency():
    """The agency that receives 市长信箱 letters and routes them (falls back to the city government)."""
    configured = mailbox_settings().dispatch_agency
    return configured if configured is not None else agency_root()


def time_limit_for(category: str, received_on: dt.date) -> int:
    """Working days to answer a letter of ``category`` received on ``received_on``."""
    row = (
        TimeLimit.objects.filter(category=category, valid_from__lte=received_on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=received_on))
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        raise LookupError(f"类别“{category}”在 {received_on} 没有有效的答复时限，请在后台配置")
    return row.working_days


def time_limit_table(on: dt.date) -> dict[str, int]:
    """Every category's limit valid on a day (one query; for imports and demo data)."""
    rows = (
        TimeLimit.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("category", "-valid_from")
    )
    table: dict[str, int] = {}
    for row in rows:
        table.setdefault(row.category, row.working_days)
    return table


# staff lists -------------------------------------------------------------------------------------


def letters_visible_to(user: Any) -> QuerySet[Letter]:
    """Letters whose details ``user`` may read: their agency's; supervisors see all."""
    ids = visible_agency_ids(user)
    qs = Letter.objects.select_related("agency", "addressee")
    if ids is None:
        return qs
    return qs.filter(agency_id__in=ids)


def letter_list(
    user: Any,
    *,
    status: str = "",
    q: str = "",
    agency_id: int | None = None,
    category: str = "",
    due: str = "",
    today: dt.date | None = None,
) -> QuerySet[Letter]:
    qs = letters_visible_to(user)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if category:
        qs = qs.filter(category=category)
    if q:
        q = q.strip()
        qs = qs.filter(Q(number=q.upper()) | Q(hotline_order_no=q) | Q(subject__contains=q))
    if due and today is not None:
        if due == "overdue":
            qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=today)
        elif due == "soon":
            qs = qs.filter(
                status__in=OPEN_STATUSES,
                due_date__gte=today,
                due_date__lte=today + dt.timedelta(days=2),
            )
    return qs.order_by("-received_at", "-id")


def letter_events(letter: Letter) -> QuerySet:
    return letter.events.select_related("from_agency", "to_agency").order_by("at", "id")


def dispatch_queue(agency_id: int) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(status=LetterStatus.RECEIVED, agency_id=agency_id)
        .select_related("agency", "addressee")
        .order_by("received_at", "id")
    )


def letters_of_writer(user: Any) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(writer_user=user)
        .select_related("agency", "addressee")
        .order_by("-received_at", "-id")
    )


def unanswered_too_long(
    *, today: dt.date, agency_ids: set[int] | None = None, months: int | None = None
) -> QuerySet[Letter]:
    """Valid letters still unanswered more than N months after receipt (website-check veto)."""
    months = months if months is not None else mailbox_settings().unanswered_alert_months
    cutoff = add_months(today, -months)
    qs = Letter.objects.filter(status__in=OPEN_STATUSES, received_on__lt=cutoff)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs.select_related("agency").order_by("received_on", "id")


# the public column -------------------------------------------------------------------------------

PUBLIC_COUNT_VERSION_KEY = "mailbox:public-count-version"


def public_count_version() -> int:
    return int(cache.get(PUBLIC_COUNT_VERSION_KEY) or 0)


def public_letters(
    *, agency_id: int | None = None, category: str = "", q: str = ""
) -> QuerySet[PublicLetter]:
    qs = PublicLetter.objects.select_related("agency")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(subject__contains=q.strip())
    return qs.order_by("-published_at", "-id")


def public_letter_count(*, agency_id: int | None = None, category: str = "", q: str = "") -> int:
    """The number of published letters, cached until the next publication changes it."""
    key = f"mailbox:public-count:{public_count_version()}:{agency_id or 0}:{category}:{q}"
    value = cache.get(key)
    if value is None:
        value = public_letters(agency_id=agency_id, category=category, q=q).count()
        cache.set(key, value, timeout=600)
    return int(value)


# what a public letter's page and API answer show of it
PUBLIC_LETTER_FIELDS = (
    "number",
    "category",
    "source",
    "subject",
    "content",
    "reply",
    "received_on",
    "replied_on",
    "published_at",
)


def public_letter_get(number: str) -> PublicLetter | None:
    # a unique column: no ORDER BY (the model's ordering, or ``first()``'s, would be compiled
    # on every page and API answer for nothing); of the agency only what they show
    found = list(
        PublicLetter.objects.select_related("agency")
        .only(*PUBLIC_LETTER_FIELDS, "agency__code", "agency__name")
        .filter(number=number.upper())
        .order_by()[:1]
    )
    return found[0] if found else None


# statistics ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    key: Any
    label: str
    figures: Figures


def _figures_from(row: Mapping[str, Any]) -> Figures:
    return Figures(
        received=row["received"] or 0,
        answered=row["answered"] or 0,
        answered_on_time=row["on_time"] or 0,
        handling_days_total=row["days_total"] or 0,
        handling_days_counted=row["days_counted"] or 0,
        rated=row["rated"] or 0,
        satisfied=row["satisfied"] or 0,
    )


def _valid_letters(
    year: int, agency_ids: Sequence[int] | None, month: int | None = None
) -> QuerySet[Letter]:
    qs = Letter.objects.exclude(status=LetterStatus.INVALID).filter(
        received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
    )
    if month:
        qs = qs.filter(received_on__month=month)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return qs


def _aggregates(year: int) -> dict[str, Any]:
    """Counts for letters received in ``year``; answered means answered by 31 December."""
    year_end = dt.date(year, 12, 31)
    answered = Q(status__in=CLOSED_WITH_REPLY, replied_on__lte=year_end)
    return {
        "received": Count("id"),
        "answered": Count("id", filter=answered),
        "on_time": Count("id", filter=answered & Q(on_time=True)),
        "days_total": Sum("handling_days", filter=answered & Q(handling_days__isnull=False)),
        "days_counted": Count("id", filter=answered & Q(handling_days__isnull=False)),
        "rated": Count("id", filter=~Q(satisfaction="")),
        "satisfied": Count(
            "id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])
        ),
    }


def mailbox_figures(
    *, year: int, agency_ids: Sequence[int] | None = None, by: str = "month"
) -> list[FigureRow]:
    """Figures of letters received in ``year`` grouped by ``month``, ``agency`` or ``category``."""
    qs = _valid_letters(year, agency_ids)
    if by == "month":
        months = (
            qs.annotate(m=ExtractMonth("received_on"))
            .values("m")
            .annotate(**_aggregates(year))
            .order_by("m")
        )
        by_month = {row["m"]: _figures_from(row) for row in months}
        return [FigureRow(m, f"{m}月", by_month.get(m, Figures())) for m in range(1, 13)]
    if by == "category":
        categories = qs.values("category").annotate(**_aggregates(year)).order_by("category")
        by_category = {row["category"]: _figures_from(row) for row in categories}
        return [
            FigureRow(value, label, by_category.get(value, Figures()))
            for value, label in LetterCategory.choices
        ]
    if by == "agency":
        rows = qs.values("agency_id").annotate(**_aggregates(year)).order_by("agency_id")
        found = {row["agency_id"]: _figures_from(row) for row in rows}
        names = dict(Agency.objects.filter(pk__in=found).values_list("pk", "name"))
        ordered = sorted(found, key=lambda pk: (-found[pk].received, names.get(pk, "")))
        return [FigureRow(pk, names.get(pk, str(pk)), found[pk]) for pk in ordered]
    raise ValueError(f"未知的分组方式：{by}")


def mailbox_total(*, year: int, agency_ids: Sequence[int] | None = None) -> Figures:
    row = _valid_letters(year, agency_ids).aggregate(**_aggregates(year))
    return _figures_from(row)


def mailbox_years() -> list[int]:
    """Years that have letters, newest first (for year pickers)."""
    key = "mailbox:years"
    years = cache.get(key)
    if years is None:
        first = Letter.objects.order_by("received_on").values_list("received_on", flat=True).first()
        last = Letter.objects.order_by("-received_on").values_list("received_on", flat=True).first()
        years = list(range(last.year, first.year - 1, -1)) if first and last else []
        cache.set(key, years, timeout=300)
    return list(years)


def mailbox_report_facts(*, agency_ids: Sequence[int], year: int) -> list[MailboxFacts]:
    """One MailboxFacts per requested agency: valid letters it received in ``year``, those
    answered by 31 December, and those answered by their due date. An agency counts the
    letters it finally handled (a transferred letter counts once, at the receiving agency)."""
    ids = list(dict.fromkeys(agency_ids))
    year_end = dt.date(year, 12, 31)
    answered = Q(status__in=CLOSED_WITH_REPLY, replied_on__lte=year_end)
    rows = (
        _valid_letters(year, ids)
        .values("agency_id")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=answered),
            on_time=Count("id", filter=answered & Q(on_time=True)),
        )
    )
    found = {row["agency_id"]: row for row in rows}
    none = {"received": 0, "answered": 0, "on_time": 0}
    return [
        MailboxFacts(
            agency_id=pk,
            year=year,
            received=found.get(pk, none)["received"],
            answered=found.get(pk, none)["answered"],
            answered_on_time=found.get(pk, none)["on_time"],
        )
        for pk in ids
    ]


def classifier_active() -> ClassifierModel | None:
    return ClassifierModel.objects.filter(is_active=True).order_by("-id").first()
