"""Every change to annual reports: one atomic, audited function each.

Validation runs on every save (build, refresh, narrative, adjustment, entered figure): the
report's identities, the carry-over from last year's report and the narrative's completeness
are stored on the report; publication refuses a report that fails any of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from gongkai import clock
from gongkai.apps.accounts.models import Role, User, user_or_none
from gongkai.apps.audit.frame import Actor, transition
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.catalog.services import document_publish_annual_report
from gongkai.apps.jobs.services import job_enqueue
from gongkai.apps.notifications.services import notify
from gongkai.apps.organizations.models import Agency
from gongkai.apps.reporting.errors import ReportError, ReportExists, ReportInvalid
from gongkai.apps.reporting.models import (
    EnteredFigure,
    Report,
    ReportAdjustment,
    ReportFile,
    ReportReminder,
    ReportScope,
    ReportStatus,
)
from gongkai.apps.reporting.privacy import report_privacy_blocking, report_privacy_review
from gongkai.apps.reporting.render import (
    docx_bytes,
    html_body,
    html_document,
    pdf_bytes,
    xlsx_bytes,
)
from gongkai.apps.reporting.selectors import (
    FactBundle,
    measures_to_json,
    reminder_start,
    report_adjustments,
    report_compute,
    report_context,
    report_format,
    reports_due,
    scope_choices,
    values_from_json,
    values_to_json,
)
from gongkai.apps.reporting.views_support import report_doc
from gongkai.domain.reports.build import BuiltReport, apply_adjustments, rollup
from gongkai.domain.reports.formats import format_for_year, get_format
from gongkai.domain.reports.identities import Validation, validate, validate_cross_year
from gongkai.domain.reports.levels import level_failures
from gongkai.domain.reports.model import CellKey, CellKind, ReportFormat, cell_id, parse_cell_id
from gongkai.domain.reports.narrative import draft_narrative, narrative_problems
from gongkai.domain.reports.states import REPORT_STATES, ReportAction

log = logging.getLogger(__name__)

NARRATIVE_MAX = 20_000  # characters per section


def _previous_values(report: Report) -> tuple[ReportFormat, dict[CellKey, Any]] | None:
    """Last year's report of the same agency and scope (published first, else a draft)."""
    previous = (
        Report.objects.filter(agency_id=report.agency_id, scope=report.scope, year=report.year - 1)
        .order_by("-published_at")
        .first()
    )
    if previous is None or not previous.values:
        return None
    return get_format(previous.format_code), values_from_json(previous.values)


def _validation_json(fmt: ReportFormat, validation: Validation) -> dict[str, Any]:
    def failure(f: Any) -> dict[str, Any]:
        return {
            "key": f.key,
            "message": f.message,
            "cells": [cell_id(c) for c, _v in f.cells],
        }

    return {
        "checked": validation.checked,
        "held": validation.held,
        "errors": [failure(f) for f in validation.errors],
        "warnings": [failure(f) for f in validation.warnings],
        "skipped": [f"{label}（{why}）" for label, why in validation.skipped],
        "suspects": [cell_id(c) for c in validation.suspects()],
        "suspect_labels": [fmt.cell_label(c) for c in validation.suspects()],
    }


def report_validate(report: Report) -> tuple[Validation, list[str]]:
    """The report's identities (with last year's carry-over) and its narrative problems."""
    fmt = report_format(report)
    values = values_from_json(report.values)
    validation = validate(fmt, values)
    level = level_failures(fmt, values, report.agency.level)
    validation.checked += len(level)
    validation.failures.extend(level)
    previous = _previous_values(report)
    if previous is not None:
        validation = validation.merge(validate_cross_year(previous[0], previous[1], fmt, values))
    else:
        validation.skipped.append((f"与{report.year - 1}年度报告的衔接", "上一年度报告不在平台中"))
    return validation, narrative_problems(fmt, report.narrative or {})


def _store_validation(report: Report) -> None:
    validation, problems = report_validate(report)
    payload = _validation_json(report_format(report), validation)
    payload["narrative"] = problems
    payload["at"] = clock.now().isoformat()
    report.validation = payload
    report.is_valid = validation.ok and not problems


def _store_build(report: Report, built: BuiltReport) -> None:
    # the figures before this report's own adjustments (a roll-up keeps its agencies' own)
    report.computed = values_to_json(rollup(built.fmt, built.per_agency.values()))
    report.values = values_to_json(built.values)
    report.measures = measures_to_json(built.measures)
    report.warnings = built.warnings
    report.computed_at = clock.now()


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("agency").get(pk=report.pk)


def _require_draft(report: Report) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ReportError(f"《{report.title}》已{report.get_status_display()}，不能再修改")


def report_create(
    *,
    actor: Actor,
    agency: Agency,
    year: int,
    scope: str = ReportScope.SELF,
    format_code: str | None = None,
    bundle: FactBundle | None = None,
) -> Report:
    """Build a draft from the records, with a first draft of the narrative stating the figures."""
    if scope not in dict(scope_choices(agency)):
        raise ReportError(f"{agency.name}不能编制“{ReportScope(scope).label}”范围的年度报告")
    try:
        fmt = get_format(format_code) if format_code else format_for_year(year)
    except ValueError as exc:
        raise ReportError(str(exc)) from exc
    today = clock.today()
    if year > today.year:
        raise ReportError(f"{year}年度尚未开始，不能编制年度报告")
    built, _bundle = report_compute(agency=agency, year=year, scope=scope, fmt=fmt, bundle=bundle)
    context = report_context(agency, year, scope)
    with transaction.atomic():
        existing = Report.objects.filter(agency=agency, year=year, scope=scope).first()
        if existing is not None:
            raise ReportExists(
                f"{agency.name}{year}年度（{ReportScope(scope).label}）的年度报告已存在",
                existing.pk,
            )
        title = fmt.title_template.format(agency=agency.name, year=year)
        if scope == ReportScope.GOVERNMENT:
            title = fmt.title_template.format(agency=f"{agency.name}（本级）", year=year)
        report = Report(
            agency=agency,
            year=year,
            scope=scope,
            format_code=fmt.code,
            title=title,
            narrative=draft_narrative(fmt, built.values, built.measures, context),
            created_by=user_or_none(actor),
        )
        _store_build(report, built)
        _store_validation(report)
        report.save()
        audit_record(
            actor=actor,
            action=ReportAction.CREATE,
            obj=report,
            agency_id=agency.pk,
            after={"year": year, "scope": scope, "format": fmt.code, "valid": report.is_valid},
        )
    return report


def report_refresh(*, actor: Actor, report: Report) -> Report:
    """Recompute the figures from the records (the narrative and adjustments stay)."""
    built, _bundle = report_compute(
        agency=report.agency,
        year=report.year,
        scope=report.scope,
        fmt=report_format(report),
        adjustments=report_adjustments(report),
        report_id=report.pk,
    )
    with transaction.atomic():
        report = _lock(report)
        _require_draft(report)
        before = dict(report.values)
        _store_build(report, built)
        _store_validation(report)
        report.save()
        changed = sorted(k for k in report.values if before.get(k) != report.values[k])
        audit_record(
            actor=actor,
            action=ReportAction.REFRESH,
            obj=report,
            agency_id=report.agency_id,
            before={k: before.get(k) for k in changed},
            after={k: report.values[k] for k in changed},
        )
    return report


def report_narrative_save(*, actor: Actor, report: Report, narrative: dict[str, str]) -> Report:
    with transaction.atomic():
        report = _lock(report)
        _require_draft(report)
        fmt = report_format(report)
        allowed = {s.narrative_key for s in fmt.narrative_sections()}
        cleaned = {}
        for key, text in narrative.items():
            if key not in allowed:
                raise ReportError(f"报告没有“{key}”这一部分")
            text = (text or "").replace("\r\n", "\n").strip()
            if len(text) > NARRATIVE_MAX:
                raise ReportError(f"每部分文字不能超过{NARRATIVE_MAX}字")
            cleaned[key] = text
        before = {k: (report.narrative or {}).get(k, "") for k in cleaned}
        report.narrative = {**(report.narrative or {}), **cleaned}
        _store_validation(report)
        report.save()
        audit_record(
            actor=actor,
            action=ReportAction.NARRATIVE_SAVE,
            obj=report,
            agency_id=report.agency_id,
            before=before,
            after=cleaned,
        )
    return report


def parse_figure(text: str, kind: CellKind) -> Decimal:
    """A figure typed into a form; Chinese errors for the user."""
    raw = (text or "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ReportError(f"“{text}”不是有效的数字") from exc
    if kind in (CellKind.COUNT,) and value != value.to_integral_value():
        raise ReportError("件数必须是整数")
    if kind in (CellKind.COUNT, CellKind.AMOUNT) and value < 0:
        raise ReportError("数字不能为负数")
    if abs(value) >= Decimal("1e13"):
        raise ReportError("数字过大")
    return value


def _reapply(report: Report) -> None:
    fmt = report_format(report)
    base = values_from_json(report.computed)
    report.values = values_to_json(apply_adjustments(fmt, base, report_adjustments(report)))


def report_adjust(*, actor: Actor, report: Report, cell: str, value: str, reason: str) -> Report:
    """Set one cell by hand, with a reason; validation then names any identity it breaks."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ReportError("请写明调整原因（至少4个字）")
    with transaction.atomic():
        report = _lock(report)
        _require_draft(report)
        fmt = report_format(report)
        try:
            key = parse_cell_id(cell)
            kind = fmt.kind(key)
        except (ValueError, KeyError) as exc:
            raise ReportError(f"报告格式中没有单元格“{cell}”") from exc
        if fmt.row(key).ratio is not None:
            raise ReportError(f"{fmt.cell_label(key)}由其他数字计算得出，不能直接调整")
        number = parse_figure(value, kind)
        before = report.values.get(cell_id(key))
        ReportAdjustment.objects.update_or_create(
            report=report,
            cell=cell_id(key),
            defaults={
                "value": number,
                "reason": reason[:500],
                "created_by": user_or_none(actor),
            },
        )
        _reapply(report)
        _store_validation(report)
        report.save()
        audit_record(
            actor=actor,
            action=ReportAction.ADJUST,
            obj=report,
            agency_id=report.agency_id,
            before={"cell": cell_id(key), "value": before},
            after={
                "cell": cell_id(key),
                "value": report.values.get(cell_id(key)),
                "reason": reason,
            },
        )
    return report


def report_adjustment_remove(*, actor: Actor, report: Report, cell: str) -> Report:
    with transaction.atomic():
        report = _lock(report)
        _require_draft(report)
        adjustment = ReportAdjustment.objects.filter(report=report, cell=cell).first()
        if adjustment is None:
            raise ReportError("该单元格没有人工调整")
        before = {"cell": cell, "value": str(adjustment.value), "reason": adjustment.reason}
        adjustment.delete()
        _reapply(report)
        _store_validation(report)
        report.save()
        audit_record(
            actor=actor,
            action=ReportAction.ADJUSTMENT_REMOVE,
            obj=report,
            agency_id=report.agency_id,
            before=before,
            after={"cell": cell, "value": report.values.get(cell)},
        )
    return report


def entered_figure_keys(year: int) -> dict[str, Any]:
    """The figures an agency enters for a year's format, by key."""
    fmt = format_for_year(year)
    return {e.key: e for e in fmt.entered}


def entered_figure_set(
    *, actor: Actor, agency: Agency, year: int, key: str, value: str, note: str = ""
) -> EnteredFigure | None:
    """Enter (or clear, with an empty value) one figure; the agency's draft reports recompute."""
    specs = entered_figure_keys(year)
    if key not in specs:
        raise ReportError(f"{year}年度的报告格式没有填报项目“{key}”")
    spec = specs[key]
    figure = None
    with transaction.atomic():
        existing = (
            EnteredFigure.objects.select_for_update()
            .filter(agency=agency, year=year, key=key)
            .first()
        )
        before = {"value": str(existing.value), "note": existing.note} if existing else None
        if str(value).strip() == "":
            if existing is not None:
                existing.delete()
            after = None
        else:
            number = parse_figure(str(value), spec.kind)
            figure, _created = EnteredFigure.objects.update_or_create(
                agency=agency,
                year=year,
                key=key,
                defaults={
                    "value": number,
                    "note": (note or "").strip()[:300],
                    "updated_by": user_or_none(actor),
                },
            )
            after = {"value": str(number), "note": figure.note}
        if before == after:
            return figure
        audit_record(
            actor=actor,
            action=ReportAction.FIGURE_SET,
            object_type="reporting.enteredfigure",
            object_id=f"{agency.pk}:{year}:{key}",
            object_label=f"{agency.name}{year}年 {spec.label}",
            agency_id=agency.pk,
            before=before,
            after=after,
        )
    for draft in Report.objects.filter(agency=agency, year=year, status=ReportStatus.DRAFT):
        report_refresh(actor=actor, report=draft)
    return figure


def _publication_check(report: Report) -> None:
    """A draft that passes every check (validation, privacy) may go to 正在发布."""
    _require_draft(report)
    _store_validation(report)
    if not report.is_valid:
        report.save(update_fields=["validation", "is_valid"])
        problems = [e["message"] for e in report.validation["errors"]]
        problems += report.validation.get("narrative", [])
        suspects = report.validation.get("suspect_labels") or []
        message = f"《{report.title}》未通过校验，不能发布"
        if suspects:
            message += "；请核对：" + "；".join(suspects)
        raise ReportInvalid(message, problems)
    blocked = report_privacy_blocking(report)
    if blocked:
        raise ReportError(blocked)


def _step(actor: Actor, report: Report, action: ReportAction, **options: Any) -> Any:
    """The shared frame with the report's table and error."""
    return transition(
        actor=actor,
        obj=report,
        action=action,
        table=REPORT_STATES,
        state_field="status",
        fields=(),
        refuse=ReportError,
        **options,
    )


def _begin_publication(actor: Actor, report: Report) -> Report:
    """Re-validate under the lock, refuse with the reasons, or move to 正在发布."""
    with _step(
        actor, report, ReportAction.PUBLISH_REQUEST, lock=_lock, check=_publication_check
    ) as step:
        pass
    return step.obj


def report_publish_request(*, actor: Actor, report: Report) -> Any:
    """Check the report and queue its publication (rendering the files takes a while)."""
    report_privacy_review(actor=actor, report=report)  # its own transaction: it stays
    with transaction.atomic():
        report = _begin_publication(actor, report)
        job = job_enqueue(
            kind=PUBLISH_JOB,
            title=f"发布《{report.title}》",
            params={"report_id": report.pk},
            actor=actor,
            agency=report.agency,
        )
    return job


def report_publish_now(
    *,
    actor: Actor,
    report: Report,
    kinds: tuple[str, ...] = ("html", "docx", "xlsx", "pdf"),
    published_at: dt.datetime | None = None,
    file_in_catalogue: bool = True,
    quiet: bool = False,
) -> Report:
    """Publish without the job queue (imports and the demo city): the files not rendered
    here are rendered from the published figures on first download."""
    report_privacy_review(actor=actor, report=report)
    with transaction.atomic():
        report = _begin_publication(actor, report)
    try:
        day = clock.localtime(published_at).date() if published_at else None
        rendered, html = report_render_all(report, kinds=kinds, published_on=day)
        report = report_publish(
            actor=actor,
            report_id=report.pk,
            rendered=rendered,
            html=html,
            published_at=published_at,
            quiet=quiet,
        )
    except Exception as exc:
        report_publish_failed(actor=actor, report_id=report.pk, reason=str(exc))
        raise
    if file_in_catalogue:
        report_catalogue_file(
            actor=actor, report=report, rendered=rendered, published_at=published_at
        )
    return report


PUBLISH_JOB = "reporting.publish"


def report_publish(
    *,
    actor: Actor,
    report_id: int,
    rendered: dict[str, bytes],
    html: str,
    published_at: dt.datetime | None = None,
    quiet: bool = False,
) -> Report:
    """Store the rendered files and mark the report published (re-validated under the lock);
    supervisors are told unless ``quiet`` (imports of past reports)."""

    def check(report: Report) -> None:
        if report.status != ReportStatus.PUBLISHING:
            raise ReportError(f"《{report.title}》不在发布流程中")
        _store_validation(report)
        if not report.is_valid:
            raise ReportInvalid(f"《{report.title}》未通过校验，不能发布", [])

    with transaction.atomic():
        found = Report(pk=report_id)
        with _step(actor, found, ReportAction.PUBLISH, lock=_lock, check=check) as step:
            report = step.obj
            ReportFile.objects.filter(report=report).delete()
            stem = f"{report.agency.code}-{report.year}-{report.scope}"
            for kind, data in rendered.items():
                record = ReportFile(
                    report=report,
                    kind=kind,
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                )
                record.file.save(f"{stem}.{kind}", ContentFile(data), save=False)
                record.save()
            report.published_at = published_at or clock.now()
            report.published_by = user_or_none(actor)
            report.published_html = html
            step.extra["files"] = {k: hashlib.sha256(v).hexdigest() for k, v in rendered.items()}
        if not quiet:
            _notify_published(report, notify)
    return report


def report_catalogue_file(
    *,
    actor: Actor,
    report: Report,
    rendered: dict[str, bytes],
    published_at: dt.datetime | None = None,
) -> str:
    """File a published report in the catalogue's 政府信息公开年报 column.

    The catalogue runs its own privacy review in its own transactions; when it holds the
    document for review the report stays published here and the agency is told where to
    finish. Returns a line saying what happened."""
    try:
        document = document_publish_annual_report(
            actor=actor,
            agency=report.agency,
            year=report.year,
            title=report.title,
            body_html=report.published_html,
            attachments=[
                (f"{report.title}.{kind}", data)
                for kind, data in rendered.items()
                if kind != ReportFile.Kind.HTML
            ],
            published_at=published_at,
        )
    except Exception as exc:  # the catalogue's refusal is reported, publication stands
        outcome = f"归档到公开目录未完成：{exc}"
        ref = ""
        log.warning("report %s: catalogue filing failed: %s", report.pk, exc)
    else:
        url = getattr(document, "get_absolute_url", None)
        ref = (url() if callable(url) else str(getattr(document, "pk", "")))[:200]
        outcome = "已归档到公开目录“政府信息公开年报”栏目"
    with transaction.atomic():
        locked = _lock(report)
        locked.catalog_ref = ref
        locked.save(update_fields=["catalog_ref", "updated_at"])
        audit_record(
            actor=actor,
            action=ReportAction.CATALOGUE_FILE,
            obj=locked,
            agency_id=locked.agency_id,
            after={"catalog": ref, "outcome": outcome[:300]},
        )
        if not ref:
            notify(
                _agency_staff(locked.agency_id),
                title=f"《{locked.title}》已发布，但未能归档到公开目录",
                body=outcome,
                url=f"/backoffice/reporting/{locked.pk}/",
                kind="reporting.catalogue",
            )
    return outcome


def _agency_staff(agency_id: int) -> list[Any]:
    return list(
        User.objects.filter(
            agency_id=agency_id, is_active=True, role_grants__role__in=[Role.OFFICER, Role.HEAD]
        ).distinct()
    )


def _notify_published(report: Report, notify: Callable[..., Any]) -> None:
    supervisors = User.objects.filter(role_grants__role=Role.SUPERVISOR, is_active=True)
    notify(
        supervisors,
        title=f"{report.agency.display_short}已发布{report.year}年度政府信息公开工作年度报告",
        url=f"/reports/{report.agency.code}/{report.year}/?scope={report.scope}",
        kind="reporting.published",
    )


def report_file_ensure(report: Report, kind: str) -> ReportFile:
    """A published report's file; a file the publication did not render (the demo city's
    reports skip the slow PDF) is rendered from the published figures on first request."""
    existing = ReportFile.objects.filter(report=report, kind=kind).first()
    if existing is not None:
        return existing
    if report.status != ReportStatus.PUBLISHED:
        raise ReportError("报告尚未发布")

    doc = report_doc(report, public=True)
    makers: dict[str, Callable[[], bytes]] = {
        "html": lambda: html_document(doc).encode("utf-8"),
        "docx": lambda: docx_bytes(doc),
        "xlsx": lambda: xlsx_bytes(doc),
        "pdf": lambda: pdf_bytes(doc),
    }
    if kind not in makers:
        raise ReportError(f"不支持的文件类型：{kind}")
    data = makers[kind]()
    with transaction.atomic():
        record, created = ReportFile.objects.get_or_create(
            report=report,
            kind=kind,
            defaults={"size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
        )
        if created:
            record.file.save(
                f"{report.agency.code}-{report.year}-{report.scope}.{kind}", ContentFile(data)
            )
            audit_record(
                actor=SYSTEM,
                action=ReportAction.FILE_RENDER,
                obj=report,
                agency_id=report.agency_id,
                after={"kind": kind, "sha256": record.sha256},
            )
    return record


def report_public_refresh(actor: Actor, object_id: str) -> None:
    """A decision on a published report's privacy review changed: the page is rendered again
    from the narrative as the review now makes it, and the stored files are dropped (each is
    rendered again on its first download), in the decision's transaction (ADR 0033)."""
    report = (
        Report.objects.select_for_update()
        .filter(pk=object_id, status=ReportStatus.PUBLISHED)
        .first()
    )
    if report is None:
        return
    published_on = clock.localtime(report.published_at).date() if report.published_at else None
    _rendered, html = report_render_all(report, kinds=(), published_on=published_on)
    before = {"files": sorted(report.files.values_list("kind", flat=True))}
    for record in report.files.all():
        record.file.delete(save=False)
    report.files.all().delete()
    report.published_html = html
    report.save(update_fields=["published_html", "updated_at"])
    audit_record(
        actor=actor,
        action=ReportAction.PUBLIC_REFRESH,
        obj=report,
        agency_id=report.agency_id,
        before=before,
        after={"files": [], "reason": "隐私审查决定变更"},
    )


def report_publish_failed(*, actor: Actor, report_id: int, reason: str) -> None:
    """A publication that could not finish goes back to draft, with the reason recorded."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status != ReportStatus.PUBLISHING:
            return
        with _step(actor, report, ReportAction.PUBLISH_FAIL) as step:
            step.extra["reason"] = reason[:500]


def report_render_all(
    report: Report,
    progress: Callable[[int, int, str], None] | None = None,
    *,
    kinds: tuple[str, ...] = ("html", "docx", "xlsx", "pdf"),
    published_on: dt.date | None = None,
) -> tuple[dict[str, bytes], str]:
    """HTML, DOCX, XLSX and PDF of a report, as its files are published."""
    doc = report_doc(report, published_on=published_on or clock.today(), public=True)
    makers: dict[str, Callable[[], bytes]] = {
        "html": lambda: html_document(doc).encode("utf-8"),
        "docx": lambda: docx_bytes(doc),
        "xlsx": lambda: xlsx_bytes(doc),
        "pdf": lambda: pdf_bytes(doc),
    }
    steps = [(kind, makers[kind]) for kind in kinds]
    out: dict[str, bytes] = {}
    for i, (kind, make) in enumerate(steps):
        if progress is not None:
            progress(i, len(steps), f"生成 {kind.upper()}")
        out[kind] = make()
    return out, html_body(doc)


FILES_JOB = "reporting.files"
FILE_KINDS = ("html", "docx", "xlsx", "pdf")


def report_files_enqueue(*, actor: Actor, report: Report) -> None:
    """Have the files a publication did not render (the demo city publishes its past reports
    with the page only) rendered in the background, before anyone asks for them."""
    job_enqueue(
        kind=FILES_JOB,
        title=f"生成《{report.title}》的文件",
        params={"report_id": report.pk},
        actor=actor,
        agency=report.agency,
    )


def files_job(job: Any, report_progress: Callable[..., None]) -> dict[str, Any]:
    """The job: every file of a published report that is not stored yet."""
    report = Report.objects.select_related("agency").get(pk=int(job.params["report_id"]))
    stored = set(ReportFile.objects.filter(report=report).values_list("kind", flat=True))
    made = [kind for kind in FILE_KINDS if kind not in stored]
    for number, kind in enumerate(made):
        report_progress(number, len(made), f"正在生成 {kind.upper()}")
        report_file_ensure(report, kind)
    report_progress(len(made), len(made), "完成")
    return {"报告": report.title, "生成": "、".join(made) or "无（均已生成）"}


def publish_job(job: Any, report_progress: Callable[..., None]) -> dict[str, Any]:
    """The job: render the files, then publish (or put the report back to draft)."""
    report_id = int(job.params["report_id"])
    actor = job.created_by or SYSTEM
    report = Report.objects.select_related("agency").get(pk=report_id)
    try:
        rendered, html = report_render_all(
            report, lambda done, total, message: report_progress(done, total, message)
        )
        report = report_publish(actor=actor, report_id=report_id, rendered=rendered, html=html)
    except Exception as exc:
        report_publish_failed(actor=actor, report_id=report_id, reason=str(exc))
        raise
    report_progress(4, 5, "归档到公开目录")
    outcome = report_catalogue_file(actor=actor, report=report, rendered=rendered)
    report_progress(5, 5, "已发布")
    return {
        "报告": report.title,
        "地址": f"/reports/{report.agency.code}/{report.year}/?scope={report.scope}",
        "公开目录": outcome,
    }


# reminders (条例第四十九条: departments by 31 January, governments by 31 March)


def report_reminders_send(*, today: dt.date, actor: Actor = SYSTEM) -> int:
    """Remind every agency whose last-year report is not published: from the first reminder
    day, a week before the deadline, on the day and once overdue. Each is sent once."""
    year = today.year - 1
    sent = 0
    staff_by_agency: dict[int, list[Any]] = {}
    for user in User.objects.filter(
        is_active=True, agency__isnull=False, role_grants__role__in=[Role.OFFICER, Role.HEAD]
    ).distinct():
        if user.agency_id is not None:  # (filtered above)
            staff_by_agency.setdefault(user.agency_id, []).append(user)

    for due in reports_due(year=year):
        if due.published_on is not None:
            continue
        start = reminder_start(due.agency, year)
        if start is None or today < start:
            continue
        days_left = (due.deadline - today).days
        if days_left < 0:
            milestone = "overdue"
        elif days_left == 0:
            milestone = "due"
        elif days_left <= 7:
            milestone = "week"
        else:
            milestone = "start"
        with transaction.atomic():
            _obj, created = ReportReminder.objects.get_or_create(
                agency=due.agency, year=year, milestone=milestone
            )
            if not created:
                continue
            deadline = f"{due.deadline.year}年{due.deadline.month}月{due.deadline.day}日"
            if milestone == "overdue":
                title = f"{year}年度政府信息公开工作年度报告已逾期（应于{deadline}前发布）"
            else:
                title = f"请于{deadline}前发布{year}年度政府信息公开工作年度报告"
            notify(
                staff_by_agency.get(due.agency.pk, []),
                title=title,
                body="条例第四十九条规定了年度报告的发布期限。可在工作台“年度报告”中由平台生成报告初稿。",
                url="/backoffice/reporting/",
                kind="reporting.reminder",
            )
            audit_record(
                actor=actor,
                action=ReportAction.REMIND,
                object_type="reporting.reportreminder",
                object_id=f"{due.agency.pk}:{year}:{milestone}",
                object_label=f"{due.agency.name}{year}年度报告提醒",
                agency_id=due.agency.pk,
                after={"milestone": milestone, "deadline": due.deadline.isoformat()},
            )
            sent += 1
    return sent
