"""政府公报: issues gather published documents and appear as one PDF per issue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from gongkai import clock
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.catalog import pagetags
from gongkai.apps.catalog.errors import CatalogValidationError, DocumentStateError
from gongkai.apps.catalog.models import (
    ChannelRecord,
    Document,
    DocumentState,
    GazetteIssue,
    PublicationChannelChoices,
    PublicDocument,
)
from gongkai.apps.catalog.permissions import can_manage_gazette
from gongkai.apps.catalog.services.common import require
from gongkai.apps.jobs.services import job_enqueue
from gongkai.apps.organizations.models import PortalSettings
from gongkai.documents.pdf import html_to_pdf
from gongkai.domain.catalogue import CatalogAction

PDF_JOB = "catalog.gazette_pdf"


def gazette_issue_create(
    *,
    actor: Actor,
    agency: Any,
    year: int,
    number: int,
    published_on: dt.date,
    total_number: int | None = None,
) -> GazetteIssue:
    require(can_manage_gazette(actor, agency.pk), "只有编辑公报的机关工作人员才能新建公报")
    errors: dict[str, list[str]] = {}
    if not 1 <= int(number) <= 366:
        errors["number"] = ["期号应为1至366之间的整数"]
    if published_on is None:
        errors["published_on"] = ["请填写出版日期"]
    elif published_on.year != int(year):
        errors["published_on"] = ["出版日期应在该年度内"]
    if errors:
        raise CatalogValidationError(errors)
    try:
        with transaction.atomic():
            issue = GazetteIssue.objects.create(
                agency=agency,
                year=year,
                number=number,
                total_number=total_number,
                published_on=published_on,
            )
            audit_record(
                actor=actor,
                action=CatalogAction.GAZETTE_CREATE,
                obj=issue,
                agency_id=agency.pk,
                after={"year": year, "number": number, "published_on": published_on},
            )
    except IntegrityError as exc:
        raise CatalogValidationError({"number": [f"{year}年第{number}期公报已经存在"]}) from exc
    return issue


def gazette_issue_set_documents(
    *, actor: Actor, issue: GazetteIssue, documents: Sequence[Document]
) -> GazetteIssue:
    """Choose the documents an unpublished issue carries (in the given order of ids)."""
    require(can_manage_gazette(actor, issue.agency_id))
    with transaction.atomic():
        locked = GazetteIssue.objects.select_for_update().get(pk=issue.pk)
        if locked.is_published:
            raise DocumentStateError("已发布的公报不能再调整刊登的文件")
        not_public = [d.title for d in documents if d.state != DocumentState.PUBLISHED]
        if not_public:
            raise CatalogValidationError(
                f"只有已发布的文件才能刊登在公报上：{'、'.join(not_public[:5])}"
            )
        before = sorted(Document.objects.filter(gazette_issue=locked).values_list("pk", flat=True))
        chosen = [d.pk for d in documents]
        # the issues the chosen documents leave (a published one lists them, and their pages
        # say where they were printed)
        left = set(
            Document.objects.filter(pk__in=chosen)
            .exclude(gazette_issue=None)
            .values_list("gazette_issue_id", flat=True)
        )
        Document.objects.filter(gazette_issue=locked).update(gazette_issue=None)
        Document.objects.filter(pk__in=chosen).update(gazette_issue=locked)
        # .update() sends no signal: the pages that show these documents are made stale here
        pagetags.documents_updated(
            {*before, *chosen},
            ("gazette_issue_id", locked.pk),
            *(("gazette_issue_id", pk) for pk in left),
        )
        audit_record(
            actor=actor,
            action=CatalogAction.GAZETTE_UPDATE,
            obj=locked,
            agency_id=locked.agency_id,
            before={"documents": before},
            after={"documents": sorted(d.pk for d in documents)},
        )
    return locked


def gazette_issue_publish(*, actor: Actor, issue: GazetteIssue) -> GazetteIssue:
    """Publish an issue: its documents get a 政府公报 channel record, the PDF is rendered in
    the background."""
    require(can_manage_gazette(actor, issue.agency_id))
    with transaction.atomic():
        locked = GazetteIssue.objects.select_for_update().get(pk=issue.pk)
        if locked.is_published:
            raise DocumentStateError("这一期公报已经发布")
        documents = list(locked.documents.filter(state=DocumentState.PUBLISHED))
        if not documents:
            raise CatalogValidationError("公报中还没有刊登任何已发布的文件")
        locked.is_published = True
        locked.save(update_fields=["is_published"])
        for doc in documents:
            ChannelRecord.objects.update_or_create(
                document=doc,
                channel=PublicationChannelChoices.GAZETTE,
                defaults={"published_on": locked.published_on, "note": locked.title},
            )
        audit_record(
            actor=actor,
            action=CatalogAction.GAZETTE_PUBLISH,
            obj=locked,
            agency_id=locked.agency_id,
            after={"documents": [d.pk for d in documents], "published_on": locked.published_on},
        )
        transaction.on_commit(lambda: gazette_issue_pdf_enqueue(actor=actor, issue=locked))
    return locked


def gazette_issue_pdf_enqueue(*, actor: Actor, issue: GazetteIssue) -> None:
    """Have the issue's PDF rendered in the background, before anyone asks for it."""
    job_enqueue(
        kind=PDF_JOB, title="生成政府公报PDF", params={"issue_id": issue.pk}, actor=actor or SYSTEM
    )


def gazette_issue_pdf_bytes(issue: GazetteIssue) -> bytes:
    documents = list(  # the published rendition of each document (ADR 0032)
        PublicDocument.objects.filter(gazette_issue=issue)
        .select_related("agency")
        .order_by("published_at", "pk")
    )
    html = render_to_string(
        "catalog/gazette_pdf.html",
        {"issue": issue, "documents": documents, "site": PortalSettings.current()},
    )
    return html_to_pdf(html)


def gazette_issue_render_pdf(*, actor: Actor, issue: GazetteIssue) -> GazetteIssue:
    """Render (or re-render) the issue's PDF and keep it with the issue."""
    content = gazette_issue_pdf_bytes(issue)
    with transaction.atomic():
        locked = GazetteIssue.objects.select_for_update().get(pk=issue.pk)
        old_name = locked.pdf.name
        locked.pdf.save(
            f"gazette-{locked.year}-{locked.number:03d}.pdf", ContentFile(content), save=False
        )
        locked.pdf_generated_at = clock.now()
        locked.save(update_fields=["pdf", "pdf_generated_at"])
        audit_record(
            actor=actor,
            action=CatalogAction.GAZETTE_PDF_RENDER,
            obj=locked,
            agency_id=locked.agency_id,
            before={"pdf": old_name} if old_name else None,
            after={"pdf": locked.pdf.name, "bytes": len(content)},
        )
    return locked


def gazette_pdf_job(job: Any, report: Any) -> dict[str, Any]:
    issue = GazetteIssue.objects.get(pk=job.params["issue_id"])
    report(0, 1, f"正在生成{issue.title}")
    issue = gazette_issue_render_pdf(actor=SYSTEM, issue=issue)
    report(1, 1, "完成")
    return {"公报": issue.title, "文件": issue.pdf.name}
