"""Reads of the reporting context: the facts behind a report, computed reports, lists,
deadlines, the supervisor's view and the history the charts compare.

The facts come from the other contexts' selectors only (never their models):
``applications.selectors.application_report_facts`` / ``appeal_report_facts``,
``catalog.selectors.catalog_report_facts`` and ``mailbox.selectors.mailbox_report_facts``;
figures from ``credit.selectors.credit_report_figures`` and
``webcheck.selectors.webcheck_report_figures``. Reporting sits above all of them in the context
map and imports them plainly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from gongkai import clock
from gongkai.apps.applications.selectors import appeal_report_facts, application_report_facts
from gongkai.apps.catalog.selectors import catalog_report_facts
from gongkai.apps.credit.selectors import credit_report_figures
from gongkai.apps.mailbox.selectors import mailbox_report_facts
from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel
from gongkai.apps.organizations.selectors import (
    agency_children_map,
    agency_descendant_ids,
    agency_own_departments,
    agency_root,
)
from gongkai.apps.reporting.models import (
    EnteredFigure,
    Report,
    ReportAdjustment,
    ReportDeadline,
    ReportScope,
    ReportStatus,
)
from gongkai.apps.webcheck.selectors import webcheck_report_figures
from gongkai.domain.decisions import DECISIONS_BY_CODE
from gongkai.domain.regulations import ANNUAL_REPORT_DEADLINES
from gongkai.domain.reportfacts import AppealFact, CatalogFacts, MailboxFacts, RequestFact
from gongkai.domain.reports.build import BuiltReport, build_report
from gongkai.domain.reports.charts import YearSummary, year_summary
from gongkai.domain.reports.formats import format_for_year, get_format
from gongkai.domain.reports.measures import (
    MeasureSet,
    appeal_fact_measures,
    compute_measures,
    request_fact_measures,
)
from gongkai.domain.reports.model import CellKey, Number, ReportFormat, cell_id, parse_cell_id
from gongkai.domain.reports.narrative import Context

# (the bundle's list it fills, the selector) of every source of facts
SOURCES: tuple[tuple[str, Callable[..., Sequence[Any]]], ...] = (
    ("requests", application_report_facts),
    ("appeals", appeal_report_facts),
    ("catalog", catalog_report_facts),
    ("mailbox", mailbox_report_facts),
)


@dataclass
class FactBundle:
    year: int
    agency_ids: list[int]
    requests: list[RequestFact] = field(default_factory=list)
    appeals: list[AppealFact] = field(default_factory=list)
    catalog: list[CatalogFacts] = field(default_factory=list)
    mailbox: list[MailboxFacts] = field(default_factory=list)
    entered: dict[int, dict[str, Number]] = field(default_factory=dict)
    checks: dict[int, dict[str, Number]] = field(default_factory=dict)

    def measures(self) -> MeasureSet:
        measures = compute_measures(
            year=self.year,
            requests=self.requests,
            appeals=self.appeals,
            catalog=self.catalog,
            mailbox=self.mailbox,
            entered=self.entered,
        )
        for agency_id, figures in self.checks.items():
            for key, figure in figures.items():
                measures.add(agency_id, key, figure)
        return measures


def entered_figures(*, agency_ids: Sequence[int], year: int) -> dict[int, dict[str, Number]]:
    out: dict[int, dict[str, Number]] = {}
    for agency_id, key, value in EnteredFigure.objects.filter(
        agency_id__in=list(agency_ids), year=year
    ).values_list("agency_id", "key", "value"):
        out.setdefault(agency_id, {})[key] = value
    return out


def report_facts(*, agency_ids: Sequence[int], year: int, checks: bool = True) -> FactBundle:
    """Every fact about these agencies that matters to the year's report (``checks``: with
    the website and new-media check figures the narrative states)."""
    bundle = FactBundle(year=year, agency_ids=list(agency_ids))
    for target, function in SOURCES:
        getattr(bundle, target).extend(function(agency_ids=bundle.agency_ids, year=year))
    bundle.entered = entered_figures(agency_ids=bundle.agency_ids, year=year)
    # 行政许可/行政处罚/行政强制 decisions come from the credit context's records where it holds
    # them (ADR 0075): its figures replace the typed ones of the same agency
    for agency_id, figures in credit_report_figures(
        agency_ids=bundle.agency_ids, year=year
    ).items():
        bundle.entered.setdefault(agency_id, {}).update(figures)
    if checks:  # website and 政务新媒体 checks (measures web.* and media.*)
        checked = webcheck_report_figures(agency_ids=bundle.agency_ids, year=year)
        bundle.checks = {agency_id: dict(each) for agency_id, each in checked.items()}
    return bundle


def scope_agency_ids(agency: Agency, scope: str) -> list[int]:
    if scope == ReportScope.SELF:
        return [agency.pk]
    if scope == ReportScope.GOVERNMENT:
        return [a.pk for a in agency_own_departments(agency)]
    if scope == ReportScope.CITY:
        return agency_descendant_ids(agency)
    raise ValueError(f"未知的统计范围：{scope}")


def scope_choices(agency: Agency) -> list[tuple[str, str]]:
    """Scopes that make sense for an agency: a government may report 本级 or 全辖区."""
    if agency.kind == AgencyKind.GOVERNMENT:
        return [
            (ReportScope.CITY.value, f"{scope_subject(agency, ReportScope.CITY)}（含下级政府）"),
            (ReportScope.GOVERNMENT.value, f"{scope_subject(agency, ReportScope.GOVERNMENT)}"),
            (ReportScope.SELF.value, "本机关"),
        ]
    return [(ReportScope.SELF.value, "本机关")]


def scope_subject(agency: Agency, scope: str) -> str:
    """How the report's sentences name what it covers: 全市, 东城区全区, 市政府本级, 本机关."""
    if scope == ReportScope.CITY:
        short = agency.short_name or agency.name
        last = short[-1:] if short[-1:] in "市县区旗" else "市"
        return f"全{last}" if agency.level == AgencyLevel.CITY else f"{short}全{last}"
    if scope == ReportScope.GOVERNMENT:
        return f"{agency.display_short}本级"
    return "本机关"


def report_context(agency: Agency, year: int, scope: str) -> Context:
    return Context(year=year, agency=agency.name, subject=scope_subject(agency, scope))


def _own_adjustments(
    agency_ids: Iterable[int], year: int, fmt: ReportFormat, *, exclude: int | None
) -> dict[int, dict[CellKey, Number]]:
    """Adjustments agencies made to their own (本机关) reports: a roll-up carries them."""
    out: dict[int, dict[CellKey, Number]] = {}
    rows = ReportAdjustment.objects.filter(
        report__agency_id__in=list(agency_ids),
        report__year=year,
        report__scope=ReportScope.SELF,
        report__format_code=fmt.code,
    ).values_list("report__agency_id", "report_id", "cell", "value")
    for agency_id, report_id, cell, value in rows:
        if report_id == exclude:
            continue
        out.setdefault(agency_id, {})[parse_cell_id(cell)] = value
    return out


def report_compute(
    *,
    agency: Agency,
    year: int,
    scope: str,
    fmt: ReportFormat | None = None,
    adjustments: dict[CellKey, Number] | None = None,
    report_id: int | None = None,
    bundle: FactBundle | None = None,
) -> tuple[BuiltReport, FactBundle]:
    """Build a report from the records (a roll-up sums its agencies' own reports)."""
    fmt = fmt or format_for_year(year)
    ids = scope_agency_ids(agency, scope)
    bundle = bundle or report_facts(agency_ids=ids, year=year)
    agency_adjustments = {}
    if scope != ReportScope.SELF:
        agency_adjustments = _own_adjustments(ids, year, fmt, exclude=report_id)
    built = build_report(
        fmt,
        bundle.measures(),
        agency_ids=ids,
        agency_adjustments=agency_adjustments,
        adjustments=adjustments,
    )
    return built, bundle


# snapshots: cell values as JSON (integers stay integers, amounts become strings)


def values_to_json(values: dict[CellKey, Number]) -> dict[str, int | str]:
    return {cell_id(c): (v if isinstance(v, int) else str(v)) for c, v in values.items()}


def values_from_json(data: dict[str, Any]) -> dict[CellKey, Number]:
    out: dict[CellKey, Number] = {}
    for key, value in data.items():
        out[parse_cell_id(key)] = value if isinstance(value, int) else Decimal(str(value))
    return out


def measures_to_json(measures: dict[str, Number]) -> dict[str, int | str]:
    return {k: (v if isinstance(v, int) else str(v)) for k, v in sorted(measures.items()) if v}


def measures_from_json(data: dict[str, Any]) -> dict[str, Number]:
    return {k: (v if isinstance(v, int) else Decimal(str(v))) for k, v in data.items()}


def report_format(report: Report) -> ReportFormat:
    return get_format(report.format_code)


def report_get(pk: int) -> Report:
    return Report.objects.select_related("agency", "agency__parent").get(pk=pk)


def report_adjustments(report: Report) -> dict[CellKey, Number]:
    return {parse_cell_id(a.cell): a.value for a in report.adjustments.all()}


# lists


def report_list_published(
    *, year: int | None = None, agency_id: int | None = None
) -> QuerySet[Report]:
    qs = Report.objects.filter(status=ReportStatus.PUBLISHED).select_related("agency")
    if year:
        qs = qs.filter(year=year)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs.order_by("-year", "agency__sort_order", "agency_id", "scope")


def report_published_years() -> list[int]:
    return list(
        Report.objects.filter(status=ReportStatus.PUBLISHED)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


_SCOPE_ORDER = {ReportScope.CITY: 0, ReportScope.GOVERNMENT: 1, ReportScope.SELF: 2}


def report_published_for(agency: Agency, year: int, scope: str | None = None) -> Report | None:
    """The published report of an agency and year (the widest scope unless one is asked)."""
    qs = list(
        Report.objects.filter(
            agency=agency, year=year, status=ReportStatus.PUBLISHED
        ).select_related("agency")
    )
    if scope:
        qs = [r for r in qs if r.scope == scope]
    qs.sort(key=lambda r: _SCOPE_ORDER.get(ReportScope(r.scope), 9))
    return qs[0] if qs else None


def report_list_for_staff(
    *, agency_ids: set[int] | None, year: int | None = None
) -> QuerySet[Report]:
    qs = Report.objects.select_related("agency")
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "agency__sort_order", "agency_id", "scope")


# deadlines (条例第四十九条), from the ReportDeadline table


def deadline_rules() -> list[ReportDeadline]:
    """The rows administrators keep; the defaults the first migration loads (条例第四十九条,
    typed in ``domain.regulations``) when they have emptied the table."""
    rules = list(ReportDeadline.objects.all())
    if rules:
        return rules
    return [
        ReportDeadline(
            agency_kind=r.agency_kind,
            month=r.month,
            day=r.day,
            first_year=r.first_year,
            last_year=r.last_year,
            basis=r.basis,
        )
        for r in ANNUAL_REPORT_DEADLINES
    ]


def deadline_for(
    agency: Agency, year: int, rules: list[ReportDeadline] | None = None
) -> dt.date | None:
    """The day by which the agency must publish its report for ``year``."""
    for rule in rules if rules is not None else deadline_rules():
        if rule.agency_kind != agency.kind or year < rule.first_year:
            continue
        if rule.last_year is not None and year > rule.last_year:
            continue
        return dt.date(year + 1, rule.month, rule.day)
    return None


def reminder_start(
    agency: Agency, year: int, rules: list[ReportDeadline] | None = None
) -> dt.date | None:
    for rule in rules if rules is not None else deadline_rules():
        if rule.agency_kind != agency.kind or year < rule.first_year:
            continue
        if rule.last_year is not None and year > rule.last_year:
            continue
        return dt.date(year + 1, rule.remind_month, rule.remind_day)
    return None


@dataclass
class DueReport:
    agency: Agency
    year: int
    deadline: dt.date
    report: Report | None  # the agency's report for that year, if any (widest scope)
    published_on: dt.date | None

    @property
    def status(self) -> str:
        if self.published_on is not None:
            return "逾期发布" if self.published_on > self.deadline else "按时发布"
        if self.report is not None:
            return "草稿未发布"
        return "未建立"

    @property
    def overdue(self) -> bool:
        return self.published_on is None or self.published_on > self.deadline

    @property
    def tone(self) -> str:
        if self.published_on is None:
            return "danger"
        return "warn" if self.published_on > self.deadline else "ok"


def reports_due(*, year: int, agencies: Iterable[Agency] | None = None) -> list[DueReport]:
    """Every agency that owes a report for ``year``, with where it stands (for the supervisor)."""
    rules = deadline_rules()
    agencies = (
        list(agencies)
        if agencies is not None
        else list(
            Agency.objects.filter(is_active=True)
            .select_related("parent")
            .order_by("sort_order", "id")
        )
    )
    reports: dict[int, Report] = {}
    for row in Report.objects.filter(year=year).order_by("status"):
        current = reports.get(row.agency_id)
        if current is None or (row.is_published and not current.is_published):
            reports[row.agency_id] = row
    out = []
    for agency in agencies:
        deadline = deadline_for(agency, year, rules)
        if deadline is None:
            continue
        report = reports.get(agency.pk)
        published = (
            clock.localtime(report.published_at).date()
            if report is not None and report.published_at
            else None
        )
        out.append(DueReport(agency, year, deadline, report, published))
    return out


def current_report_year(today: dt.date) -> int:
    """The report year being prepared or last due: last year's report until its deadlines
    pass is still the one people work on."""
    return today.year - 1


# history for charts


def report_history(*, agency: Agency, scope: str, year: int, years: int = 5) -> list[YearSummary]:
    """The year and the years before it, from published snapshots where they exist, else
    computed from the records."""
    first = max(year - years + 1, 2008)
    snapshots = {
        r.year: measures_from_json(r.measures)
        for r in Report.objects.filter(
            agency=agency,
            scope=scope,
            year__gte=first,
            year__lte=year,
            status=ReportStatus.PUBLISHED,
        )
    }
    ids = scope_agency_ids(agency, scope)
    out = []
    for y in range(first, year + 1):
        measures = snapshots.get(y)
        if measures is None:
            # the charts compare cases and publications: the checks' figures are not read
            measures = report_facts(agency_ids=ids, year=y, checks=False).measures().total()
        out.append(year_summary(y, measures))
    # leave out leading years with nothing at all
    while len(out) > 1 and not (
        out[0].closed or sum(out[0].channels.values()) or out[0].reconsideration
    ):
        out.pop(0)
    return out


# drill-down


@dataclass
class DrillRow:
    agency: Agency
    value: Number


@dataclass
class DrillRecord:
    agency: Agency
    ref: str
    received: dt.date | None
    closed: dt.date | None
    what: str


@dataclass
class Drilldown:
    rows: list[DrillRow]
    records: list[DrillRecord]
    total: int  # cases behind the cell
    hidden: int  # of which belong to agencies the reader may not see


def report_drilldown(
    report: Report, cell: CellKey, *, readable: set[int] | None = None, limit: int = 200
) -> Drilldown:
    """The agencies behind a cell (their figures are part of the report) and the cases behind
    it — listed only for agencies whose records the reader may see (``readable``; None: all)."""
    fmt = report_format(report)
    built, bundle = report_compute(
        agency=report.agency,
        year=report.year,
        scope=report.scope,
        fmt=fmt,
        adjustments=report_adjustments(report),
        report_id=report.pk,
    )
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=list(built.per_agency))}
    rows = [DrillRow(agencies[a], v) for a, v in built.breakdown(cell) if a in agencies]
    wanted = set(fmt.measures_for(cell))
    records: list[DrillRecord] = []
    total = hidden = 0

    def visible(agency_id: int) -> bool:
        return agency_id in agencies and (readable is None or agency_id in readable)

    for fact in bundle.requests:
        if wanted.intersection(request_fact_measures(fact, report.year)):
            total += 1
            if not visible(fact.agency_id):
                hidden += 1
            elif len(records) < limit:
                found = DECISIONS_BY_CODE.get(fact.decision or "")
                records.append(
                    DrillRecord(
                        agencies[fact.agency_id],
                        getattr(fact, "ref", "") or "",
                        fact.received,
                        fact.closed,
                        found.label if found else "办理中",
                    )
                )
    for appeal in bundle.appeals:
        keys = appeal_fact_measures(appeal, report.year)
        if wanted.intersection(keys):
            total += 1
            if not visible(appeal.agency_id):
                hidden += 1
            elif len(records) < limit:
                records.append(
                    DrillRecord(
                        agencies[appeal.agency_id],
                        getattr(appeal, "ref", "") or "",
                        appeal.filed,
                        appeal.decided,
                        _appeal_text(keys[0]),
                    )
                )
    return Drilldown(rows, records, total, hidden)


_APPEAL_KINDS = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after": "行政诉讼（复议后起诉）",
}
_APPEAL_RESULTS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}


def _appeal_text(measure: str) -> str:
    _prefix, kind, result = measure.split(".")
    return f"{_APPEAL_KINDS.get(kind, kind)}：{_APPEAL_RESULTS.get(result, result)}"


def agencies_by_id(ids: Iterable[int]) -> dict[int, Agency]:
    return {a.pk: a for a in Agency.objects.filter(pk__in=list(ids))}


def agency_tree_root() -> Agency | None:
    return agency_root()


def agency_tree_children(agency: Agency) -> list[Agency]:
    return agency_children_map().get(agency.pk, [])
