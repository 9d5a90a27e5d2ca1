"""Text recognition of attachments: scanned PDF pages and images are read in the background, so
that a scanned notice is found by its words like any other document."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.catalog.models import Attachment, DocumentState, OcrStatus
from gongkai.apps.catalog.search.indexing import schedule_index
from gongkai.apps.jobs.services import job_enqueue
from gongkai.documents import ocr as ocr_engine
from gongkai.documents.ocr import (
    OcrError,
    RecognisedPage,
    is_image,
    recognise_image,
    recognise_pdf_pages,
)
from gongkai.domain.catalogue import CatalogAction

OCR_JOB = "catalog.attachment_ocr"


def ocr_schedule(attachment: Attachment) -> None:
    """Queue recognition of a stored attachment's scanned pages (after the commit)."""
    if attachment.ocr_status != OcrStatus.PENDING:
        return
    pk, name = attachment.pk, attachment.filename
    transaction.on_commit(lambda: _enqueue(pk, name))


def _enqueue(attachment_id: int, filename: str) -> None:
    job_enqueue(
        kind=OCR_JOB,
        title=f"附件文字识别：{filename}"[:200],
        params={"attachment_id": attachment_id},
        actor=SYSTEM,
    )


def _finish(
    attachment: Attachment, status: str, note: str, pages: dict[str, str] | None = None
) -> None:
    """Record the outcome; recognised ``pages`` (by page number) go to the index."""
    before = {"ocr_status": attachment.ocr_status}
    attachment.ocr_status, attachment.ocr_note = status, note[:200]
    fields = ["ocr_status", "ocr_note"]
    if pages is not None:
        attachment.ocr_text = pages
        fields.append("ocr_text")
    with transaction.atomic():
        attachment.save(update_fields=fields)
        audit_record(
            actor=SYSTEM,
            action=CatalogAction.ATTACHMENT_OCR,
            obj=attachment,
            object_label=attachment.filename,
            agency_id=attachment.document.agency_id,
            before=before,
            after={"ocr_status": status, "note": attachment.ocr_note},
        )
        if pages is not None and attachment.document.state == DocumentState.PUBLISHED:
            schedule_index([attachment.document_id])


def attachment_ocr_job(job: Any, report: Any) -> dict[str, Any]:
    attachment = (
        Attachment.objects.select_related("document").filter(pk=job.params["attachment_id"]).first()
    )
    if attachment is None or attachment.ocr_status != OcrStatus.PENDING:
        return {"结果": "附件已删除或已识别，无需处理"}
    if not ocr_engine.ocr_available():  # looked up when called: a test replaces it
        note = "服务器未安装文字识别组件（tesseract-ocr、tesseract-ocr-chi-sim），扫描页未编入检索"
        _finish(attachment, OcrStatus.UNAVAILABLE, note)
        return {"结果": note}
    pages = attachment.ocr_pages
    report(0, len(pages), f"正在识别{attachment.filename}")
    with attachment.file.open("rb") as fh:
        content = fh.read()
    try:
        if is_image(attachment.filename):
            recognised = [RecognisedPage(1, recognise_image(content))]
        else:
            recognised = recognise_pdf_pages(content, pages, progress=report)
    except OcrError as exc:
        _finish(attachment, OcrStatus.FAILED, str(exc))
        return {"结果": str(exc)}
    chars = sum(len(p.text) for p in recognised)
    note = f"已识别 {len(recognised)} 页，得到 {chars} 字（机器识别，可能有误）"
    _finish(attachment, OcrStatus.DONE, note, {str(p.page): p.text for p in recognised})
    report(len(pages), len(pages), "完成")
    return {"附件": attachment.filename, "识别页数": len(recognised), "字数": chars}
