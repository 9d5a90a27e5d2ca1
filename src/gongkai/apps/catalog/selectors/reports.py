"""What the annual report and the back office read about proactive disclosure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongkai import clock
from gongkai.apps.catalog.models import (
    ChannelRecord,
    ChannelTally,
    ColumnKindChoice,
    Document,
    DocumentState,
    LegalKind,
    Validity,
)
from gongkai.apps.organizations.models import Agency
from gongkai.domain.reportfacts import CatalogFacts, PublicationChannel


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January, next 1 January) of ``year`` in the site's time zone, as aware datetimes."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _legal_triplet(
    agency_ids: Sequence[int], year: int, kind: str
) -> dict[int, tuple[int, int, int]]:
    """(made this year, repealed this year, in force at year end) per agency.

    Made: 成文日期 in the year (the 发布日期 when no 成文日期 was recorded). Repealed: marked
    废止 with a date in the year. In force: made by 31 December and not 失效/废止 by then."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    pub_start, pub_end = year_bounds(year)
    docs = Document.objects.filter(
        agency_id__in=agency_ids, legal_kind=kind, state=DocumentState.PUBLISHED
    )
    made_q = Q(written_on__gte=start, written_on__lte=end) | Q(
        written_on__isnull=True, published_at__gte=pub_start, published_at__lt=pub_end
    )
    exists_q = Q(written_on__lte=end) | Q(written_on__isnull=True, published_at__lt=pub_end)
    ended_q = Q(validity__in=[Validity.EXPIRED, Validity.REPEALED], validity_on__lte=end)
    rows = docs.values("agency_id").annotate(
        made=Count("id", filter=made_q),
        repealed=Count(
            "id",
            filter=Q(validity=Validity.REPEALED, validity_on__gte=start, validity_on__lte=end),
        ),
        in_force=Count("id", filter=exists_q & ~ended_q),
    )
    return {r["agency_id"]: (r["made"], r["repealed"], r["in_force"]) for r in rows}


def _legal_published(agency_ids: Sequence[int], year: int, kind: str) -> dict[int, int]:
    """规章 / 规范性文件 published (公开) in the year, whenever they were made: the 2019 format's
    本年新公开数量, a measure of its own (a document made in December may be published in
    January)."""
    start, end = year_bounds(year)
    rows = (
        Document.objects.filter(
            agency_id__in=agency_ids,
            legal_kind=kind,
            state=DocumentState.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
        )
        .values("agency_id")
        .annotate(n=Count("id"))
    )
    return {r["agency_id"]: r["n"] for r in rows}


def catalog_report_facts(*, agency_ids: Sequence[int], year: int) -> list[CatalogFacts]:
    """Proactive disclosure per agency in ``year``, one CatalogFacts per requested agency.

    - 门户网站: documents the agency (as lead publisher) published on the portal that year,
      plus the monthly 门户网站 tallies of items outside the catalogue (news, 动态);
    - other channels: channel records of its documents dated in the year, plus tallies;
    - 规章 / 行政规范性文件 made, repealed and in force; 政策解读 and 新闻发布会 published.
    Withdrawn documents are not counted."""
    ids = sorted(set(agency_ids))
    start, end = year_bounds(year)
    published_in_year = Document.objects.filter(
        agency_id__in=ids,
        state=DocumentState.PUBLISHED,
        published_at__gte=start,
        published_at__lt=end,
    )
    channels: dict[int, dict[PublicationChannel, int]] = defaultdict(dict)

    def add(agency_id: int, channel: str, count: int) -> None:
        key = PublicationChannel(channel)
        channels[agency_id][key] = channels[agency_id].get(key, 0) + int(count)

    for row in published_in_year.values("agency_id").annotate(n=Count("id")):
        add(row["agency_id"], PublicationChannel.WEBSITE, row["n"])
    records = ChannelRecord.objects.filter(
        document__agency_id__in=ids,
        document__state=DocumentState.PUBLISHED,
        published_on__year=year,
    )
    for record in records.values("document__agency_id", "channel").annotate(n=Count("id")):
        add(record["document__agency_id"], record["channel"], record["n"])
    tallies = ChannelTally.objects.filter(agency_id__in=ids, year=year)
    for tally in tallies.values("agency_id", "channel").annotate(n=Sum("count")):
        add(tally["agency_id"], tally["channel"], tally["n"] or 0)

    kinds = published_in_year.values("agency_id").annotate(
        interpretation_count=Count("id", filter=Q(column__kind=ColumnKindChoice.INTERPRETATION)),
        press_count=Count("id", filter=Q(column__kind=ColumnKindChoice.PRESS)),
    )
    by_kind = {r["agency_id"]: (r["interpretation_count"], r["press_count"]) for r in kinds}
    rules = _legal_triplet(ids, year, LegalKind.RULE)
    normative = _legal_triplet(ids, year, LegalKind.NORMATIVE)
    rules_published = _legal_published(ids, year, LegalKind.RULE)
    normative_published = _legal_published(ids, year, LegalKind.NORMATIVE)
    return [
        CatalogFacts(
            agency_id=agency_id,
            year=year,
            published={c: n for c, n in channels.get(agency_id, {}).items() if n},
            rules=rules.get(agency_id, (0, 0, 0)),
            normative=normative.get(agency_id, (0, 0, 0)),
            rules_published=rules_published.get(agency_id, 0),
            normative_published=normative_published.get(agency_id, 0),
            interpretations=by_kind.get(agency_id, (0, 0))[0],
            press_conferences=by_kind.get(agency_id, (0, 0))[1],
        )
        for agency_id in ids
    ]


# 条例第二十六条: items at risk and late ----------------------------------------------------

AT_RISK_DAYS = 5  # calendar days before the due date from which an item is shown as at risk


@dataclass(frozen=True)
class DeadlineRow:
    agency_id: int
    agency_name: str
    at_risk: int
    late: int
    published_late: int


def _unpublished(agency_ids: set[int] | None) -> QuerySet[Document]:
    qs = Document.objects.filter(
        state__in=[DocumentState.DRAFT, DocumentState.PENDING, DocumentState.APPROVED],
        publish_due__isnull=False,
    )
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs


def deadline_items(
    agency_ids: set[int] | None, *, today: dt.date | None = None, kind: str = "all"
) -> QuerySet[Document]:
    """Unpublished documents that are late (due date passed) or at risk (due soon)."""
    today = today or clock.today()
    qs = _unpublished(agency_ids).select_related("agency")
    soon = today + dt.timedelta(days=AT_RISK_DAYS)
    if kind == "late":
        qs = qs.filter(publish_due__lt=today)
    elif kind == "at_risk":
        qs = qs.filter(publish_due__gte=today, publish_due__lte=soon)
    else:
        qs = qs.filter(publish_due__lte=soon)
    return qs.order_by("publish_due", "pk")


def deadline_summary(
    agency_ids: set[int] | None, *, today: dt.date | None = None, year: int | None = None
) -> list[DeadlineRow]:
    """Per agency: unpublished items at risk and late, and this year's late publications."""
    today = today or clock.today()
    year = year or today.year
    soon = today + dt.timedelta(days=AT_RISK_DAYS)
    pending = (
        _unpublished(agency_ids)
        .values("agency_id")
        .annotate(
            at_risk=Count("id", filter=Q(publish_due__gte=today, publish_due__lte=soon)),
            late=Count("id", filter=Q(publish_due__lt=today)),
        )
    )
    start, end = year_bounds(year)
    published = Document.objects.filter(
        state=DocumentState.PUBLISHED,
        published_at__gte=start,
        published_at__lt=end,
        publish_due__isnull=False,
    )
    if agency_ids is not None:
        published = published.filter(agency_id__in=agency_ids)
    late_published: dict[int, int] = defaultdict(int)
    for agency_id, due, published_at in published.values_list(
        "agency_id", "publish_due", "published_at"
    ):
        if due is not None and clock.localtime(published_at).date() > due:  # (none is None)
            late_published[agency_id] += 1
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in pending:
        counts[row["agency_id"]][0] += row["at_risk"]
        counts[row["agency_id"]][1] += row["late"]
    for agency_id, n in late_published.items():
        counts[agency_id][2] += n
    names = dict(Agency.objects.filter(pk__in=counts).values_list("pk", "name"))
    rows = [
        DeadlineRow(agency_id, names.get(agency_id, ""), *values)
        for agency_id, values in counts.items()
        if any(values)
    ]
    return sorted(rows, key=lambda r: (-r.late, -r.at_risk, -r.published_late, r.agency_name))
