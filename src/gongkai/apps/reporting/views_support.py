"""Turning a stored report into what pages and files render."""

from __future__ import annotations

import datetime as dt

from gongkai import clock
from gongkai.apps.reporting.models import Report
from gongkai.apps.reporting.privacy import report_public_narrative
from gongkai.apps.reporting.render import ReportDoc
from gongkai.apps.reporting.selectors import (
    measures_from_json,
    report_context,
    report_format,
    values_from_json,
)
from gongkai.domain.reports.model import parse_cell_id


def report_doc(
    report: Report, *, published_on: dt.date | None = None, public: bool = False
) -> ReportDoc:
    """The report as rendered; ``public``: its narrative as the privacy review's decisions
    make it (what is published, ADR 0033)."""
    fmt = report_format(report)
    values = values_from_json(report.values)
    adjusted = {parse_cell_id(a.cell): a.reason for a in report.adjustments.all()}
    failing = {
        parse_cell_id(c) for e in (report.validation or {}).get("errors", []) for c in e["cells"]
    }
    if published_on is None and report.published_at:
        published_on = clock.localtime(report.published_at).date()
    return ReportDoc(
        fmt=fmt,
        title=report.title,
        agency_name=report.agency.name,
        context=report_context(report.agency, report.year, report.scope),
        values=values,
        measures=measures_from_json(report.measures),
        narrative=report_public_narrative(report) if public else dict(report.narrative or {}),
        entered={c for c in values if fmt.is_entered(c)},
        adjusted=adjusted,
        published_on=published_on,
        failing=failing if not report.is_published else set(),
    )
