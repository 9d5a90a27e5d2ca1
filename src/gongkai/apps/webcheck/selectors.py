"""Reads of the webcheck context: registry, latest checks, open tasks, period reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from gongkai.apps.webcheck.models import (
    Check,
    MediaAccount,
    MediaCheck,
    Rectification,
    Site,
    SiteStatus,
)
from gongkai.apps.webcheck.permissions import can_manage
from gongkai.domain.webcheck.states import CheckState, RectifyState


def sites_for(user: Any) -> QuerySet[Site]:
    qs = Site.objects.select_related("sponsor", "operator")
    if can_manage(user):
        return qs
    agency = getattr(user, "agency_id", None)
    if not agency:
        return qs.none()
    from django.db.models import Q

    return qs.filter(Q(operator_id=agency) | Q(sponsor_id=agency))


def latest_checks(sites: list[Site]) -> dict[int, Check]:
    out: dict[int, Check] = {}
    for check in (
        Check.objects.filter(site__in=sites, state=CheckState.DONE)
        .order_by("site_id", "-checked_on", "-pk")
        .defer("observations", "crawl_state", "result")
    ):
        out.setdefault(check.site_id, check)
    return out


def tasks_for(user: Any) -> QuerySet[Rectification]:
    qs = Rectification.objects.select_related("site", "account", "agency")
    if can_manage(user):
        return qs
    agency = getattr(user, "agency_id", None)
    return qs.filter(agency_id=agency) if agency else qs.none()


def overdue_tasks(user: Any, today: dt.date) -> QuerySet[Rectification]:
    return tasks_for(user).filter(state=RectifyState.OPEN, due_date__lt=today)


def half_month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day.replace(day=16), nxt - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    q = (day.month - 1) // 3
    start = dt.date(day.year, q * 3 + 1, 1)
    end_month = q * 3 + 3
    nxt = dt.date(day.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def period_label(kind: str, start: dt.date) -> str:
    if kind == "quarter":
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    return f"{start.year}年{start.month}月{'上' if start.day == 1 else '下'}半月"


VETO_KEYS = ("unreachable", "home_stale", "columns_stale", "interaction", "serious_error", "leak")


@dataclass
class PeriodRow:
    label: str
    start: dt.date
    end: dt.date
    sites: int  # open sites registered
    checked: int
    passed: int
    failed: int
    unknown: int
    vetoes: Counter[str]

    @property
    def veto_list(self) -> list[int]:
        return [self.vetoes.get(k, 0) for k in VETO_KEYS]

    @property
    def pass_rate(self) -> float:
        judged = self.passed + self.failed
        return round(100 * self.passed / judged, 1) if judged else 0.0


def period_rows(kind: str, *, until: dt.date, count: int = 6) -> list[PeriodRow]:
    """The last ``count`` half months or quarters up to ``until``: sites checked (the latest
    finished check of each site within the period), passes, failures, could-not-check."""
    bounds = []
    day = until
    for _ in range(count):
        start, end = quarter_of(day) if kind == "quarter" else half_month_of(day)
        bounds.append((start, end))
        day = start - dt.timedelta(days=1)
    bounds.reverse()
    total = Site.objects.filter(status=SiteStatus.OPEN).count()
    rows = []
    first = bounds[0][0]
    checks = list(
        Check.objects.filter(state=CheckState.DONE, checked_on__gte=first, checked_on__lte=until)
        .order_by("checked_on", "pk")
        .values_list("site_id", "checked_on", "verdict", "vetoes")
    )
    for start, end in bounds:
        latest: dict[int, tuple[str, str]] = {}
        for site_id, on, verdict, vetoes in checks:
            if start <= on <= end:
                latest[site_id] = (verdict, vetoes)
        verdicts = Counter(v for v, _ in latest.values())
        vetoes_count: Counter[str] = Counter()
        for _, vetoes in latest.values():
            vetoes_count.update(x for x in vetoes.split(",") if x)
        rows.append(
            PeriodRow(
                period_label(kind, start),
                start,
                end,
                total,
                len(latest),
                verdicts.get("pass", 0),
                verdicts.get("fail", 0),
                verdicts.get("unknown", 0),
                vetoes_count,
            )
        )
    return rows


# -- latest results and the figures exports and the annual report read ----------------------


def latest_media_checks(accounts: list[Any]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for check in MediaCheck.objects.filter(account__in=accounts).order_by(
        "account_id", "-checked_on", "-pk"
    ):
        out.setdefault(check.account_id, check)
    return out


def accounts_for(user: Any) -> QuerySet[Any]:
    qs = MediaAccount.objects.select_related("sponsor")
    if can_manage(user):
        return qs
    agency = getattr(user, "agency_id", None)
    return qs.filter(sponsor_id=agency) if agency else qs.none()


def _latest_in(rows: list[tuple[int, int, str, str]]) -> dict[int, tuple[int, str, str]]:
    """(owner, subject, verdict, vetoes) ordered oldest first → subject: the newest."""
    latest: dict[int, tuple[int, str, str]] = {}
    for owner, subject, verdict, vetoes in rows:
        latest[subject] = (owner, verdict, vetoes)
    return latest


def webcheck_report_figures(*, agency_ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """The year's website and 政务新媒体 checks per sponsoring agency, for the annual report's
    narrative: checks run, sites and accounts checked, how the latest check of each in the year
    ended, and the rectification tasks opened and closed (measures ``web.*`` and ``media.*``)."""
    out: dict[int, dict[str, int]] = {}

    def add(agency_id: int, key: str, n: int = 1) -> None:
        bucket = out.setdefault(agency_id, {})
        bucket[key] = bucket.get(key, 0) + n

    for agency_id in Site.objects.filter(
        sponsor_id__in=agency_ids, status=SiteStatus.OPEN
    ).values_list("sponsor_id", flat=True):
        add(agency_id, "web.sites")
    site_rows = list(
        Check.objects.filter(
            site__sponsor_id__in=agency_ids, state=CheckState.DONE, checked_on__year=year
        )
        .order_by("checked_on", "pk")
        .values_list("site__sponsor_id", "site_id", "verdict", "vetoes")
    )
    for agency_id, *_rest in site_rows:
        add(agency_id, "web.checks")
    for agency_id, verdict, vetoes in _latest_in(site_rows).values():
        add(agency_id, "web.sites_checked")
        add(
            agency_id,
            {"pass": "web.sites_passed", "fail": "web.sites_failed"}.get(
                verdict, "web.sites_unknown"
            ),
        )
        if vetoes:
            add(agency_id, "web.sites_vetoed")
    for agency_id in MediaAccount.objects.filter(
        sponsor_id__in=agency_ids, status=SiteStatus.OPEN
    ).values_list("sponsor_id", flat=True):
        add(agency_id, "media.accounts")
    media_rows = list(
        MediaCheck.objects.filter(account__sponsor_id__in=agency_ids, checked_on__year=year)
        .order_by("checked_on", "pk")
        .values_list("account__sponsor_id", "account_id", "verdict", "vetoes")
    )
    for agency_id, verdict, vetoes in _latest_in(media_rows).values():
        add(agency_id, "media.checked")
        add(
            agency_id,
            {"pass": "media.passed", "fail": "media.failed"}.get(verdict, "media.unknown"),
        )
        if vetoes:
            add(agency_id, "media.vetoed")
    for agency_id, state in Rectification.objects.filter(
        agency_id__in=agency_ids, opened_on__year=year
    ).values_list("agency_id", "state"):
        add(agency_id, "web.tasks")
        if state == RectifyState.CLOSED:
            add(agency_id, "web.tasks_closed")
    return out
