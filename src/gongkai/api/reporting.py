"""Annual reports: published reports and their figures, and the checker.

Everything here is public: only published reports appear. Dates are ISO 8601."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import File, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from gongkai import ratelimit
from gongkai.api.paging import page_field, size_field
from gongkai.apps.audit.middleware import client_ip
from gongkai.apps.organizations.models import Agency
from gongkai.apps.reporting.checker_files import (
    CHECK_RULE,
    MAX_BYTES,
    UnreadableFile,
    check_upload,
)
from gongkai.apps.reporting.selectors import (
    report_format,
    report_list_published,
    report_published_for,
    values_from_json,
)
from gongkai.domain.reports.identities import validate
from gongkai.domain.reports.jsonout import tables_json, validation_json

PREFIX = "/reports/"
router = Router(tags=["年度报告"])


class ListFilters(Schema):
    year: int | None = None
    agency: str = ""  # 机关代码
    page: int = page_field()
    per_page: int = size_field(50, 200)


class ReportSummary(Schema):
    agency: str
    agency_code: str
    year: int
    scope: str
    format: str
    title: str
    published_at: dt.datetime
    url: str
    figures_url: str


class ReportPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[ReportSummary]


class ReportFigures(Schema):
    agency: str
    agency_code: str
    year: int
    scope: str
    format: str
    format_name: str
    title: str
    published_at: dt.datetime
    tables: list[dict[str, Any]]
    identities: dict[str, Any]


class CheckResult(Schema):
    file: str
    found: bool
    exit_code: int
    format: str | None = None
    format_name: str | None = None
    format_reasons: list[str] = []
    format_errors: list[str] = []
    method: str | None = None
    tables: list[dict[str, Any]] = []
    readings: list[str] = []
    identities: dict[str, Any] | None = None


def _summary(report: Any) -> ReportSummary:
    code, year = report.agency.code, report.year
    return ReportSummary(
        agency=report.agency.name,
        agency_code=code,
        year=year,
        scope=report.scope,
        format=report.format_code,
        title=report.title,
        published_at=report.published_at,
        url=reverse("reporting:detail", args=[code, year]) + f"?scope={report.scope}",
        figures_url=f"/api/reports/{code}/{year}?scope={report.scope}",
    )


@router.get("", response=ReportPage, summary="已发布的年度报告")
def report_list(request, filters: Query[ListFilters]):
    agency_id = None
    if filters.agency:
        agency = Agency.objects.filter(code=filters.agency).first()
        if agency is None:
            raise HttpError(404, f"找不到机关“{filters.agency}”")
        agency_id = agency.pk
    per_page = min(max(filters.per_page, 1), 200)
    page = max(filters.page, 1)
    qs = report_list_published(year=filters.year, agency_id=agency_id)
    items = list(qs[(page - 1) * per_page : page * per_page])
    return ReportPage(
        count=qs.count(), page=page, per_page=per_page, items=[_summary(r) for r in items]
    )


@router.get("/{code}/{year}", response=ReportFigures, summary="已发布年度报告的各表数字")
def report_figures(request, code: str, year: int, scope: str = ""):
    agency = Agency.objects.filter(code=code).first()
    report = report_published_for(agency, year, scope or None) if agency else None
    if report is None:
        raise HttpError(404, "该年度报告尚未发布")
    fmt = report_format(report)
    values = values_from_json(report.values)
    return ReportFigures(
        agency=agency.name,
        agency_code=agency.code,
        year=year,
        scope=report.scope,
        format=fmt.code,
        format_name=fmt.name,
        title=report.title,
        published_at=report.published_at,
        tables=tables_json(fmt, values),
        identities=validation_json(fmt, validate(fmt, values)),
    )


@router.post("/check", response=CheckResult, summary="核对一份已发布年度报告的勾稽关系")
def report_check(request, file: UploadedFile = File(...)):  # noqa: B008 (ninja's declaration)
    if not ratelimit.hit(CHECK_RULE, client_ip(request)).allowed:
        raise HttpError(429, f"核对过于频繁，请 {CHECK_RULE.minutes} 分钟后再试")
    if file.size and file.size > MAX_BYTES:
        raise HttpError(413, f"文件过大（超过{MAX_BYTES // 1048576}MB）")
    try:
        result = check_upload(file.name or "report.html", file.read())
    except UnreadableFile as exc:
        raise HttpError(400, str(exc)) from exc
    return CheckResult(**result.to_json())
