"""Scanned attachments: their pages are read by text recognition in the background and the
document is then found by the words on them."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.catalog.models import Attachment, OcrStatus
from gongkai.apps.catalog.search.indexing import index_entries
from gongkai.apps.catalog.services import common
from gongkai.apps.jobs.models import Job
from gongkai.documents import ocr
from tests.apps.catalog.factories import published

pytestmark = pytest.mark.django_db

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
LINES = ["示例市交通运输局关于公交线网优化调整的公告", "自下月起，夜间公交线路延长运营至二十三时。"]
needs_tesseract = pytest.mark.skipif(
    not ocr.ocr_available(),
    reason="需要 tesseract-ocr 和 tesseract-ocr-chi-sim（make test 会安装）",
)


def scan(fmt: str = "PDF", lines: list[str] = LINES) -> bytes:
    """A page as a scanner makes it: an image of text, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 44)
    page = Image.new("L", (1654, 700), 255)
    draw = ImageDraw.Draw(page)
    for n, line in enumerate(lines):
        draw.text((100, 120 + n * 90), line, font=font, fill=0)
    buffer = io.BytesIO()
    page.save(buffer, fmt, resolution=200.0)
    return buffer.getvalue()


def _attach(doc, name: str, content: bytes, django_capture_on_commit_callbacks) -> Attachment:
    with django_capture_on_commit_callbacks(execute=True):
        common.add_attachments(doc, [(name, content)])
    return Attachment.objects.get(document=doc, filename=name)


def test_tidy_removes_the_spaces_between_chinese_characters():
    raw = "各 有 关 单 位 : 根据 政府 信息 公开 条例 ，\n\n\n\nGB 11643 号 码"
    assert ocr.tidy(raw) == "各有关单位: 根据政府信息公开条例，\n\nGB 11643 号码"


@needs_tesseract
def test_a_scanned_pdf_is_recognised_and_its_words_wait_for_the_privacy_review(
    world, fresh_index, django_capture_on_commit_callbacks
):
    """The recognised text is kept on the attachment; the public (and the search index) get
    only the published rendition, and a scanned page reaches it only after a reviewer looked
    at it (ADR 0032): a scan added to a published document is not searchable by itself."""
    doc = published(world.dept_a, title="关于夜间出行服务的公告")
    attachment = _attach(doc, "公告扫描件.pdf", scan(), django_capture_on_commit_callbacks)
    assert attachment.ocr_pages == [1]
    assert attachment.ocr_status == OcrStatus.DONE, attachment.ocr_note
    assert "公交线网优化" in attachment.search_text
    assert "（第1页，文字识别）" in attachment.search_text
    assert "机器识别" in attachment.ocr_note
    job = Job.objects.get(kind="catalog.attachment_ocr")
    assert job.status == "done" and job.result["识别页数"] == 1
    assert AuditEvent.objects.filter(action="attachment.ocr").exists()
    from gongkai.apps.catalog.search import get_engine

    entries, _gone = index_entries([doc.pk])
    get_engine().upsert(entries)
    link = f"/catalog/documents/{doc.pk}/"
    visitor = Client()
    assert link in visitor.get("/search/", {"q": "夜间 出行"}).content.decode()  # its title
    assert link not in visitor.get("/search/", {"q": "公交线网优化"}).content.decode()


@needs_tesseract
def test_an_image_attachment_is_recognised_too(world, django_capture_on_commit_callbacks):
    doc = published(world.dept_a, title="公告照片")
    attachment = _attach(doc, "公告.png", scan("PNG"), django_capture_on_commit_callbacks)
    assert attachment.ocr_status == OcrStatus.DONE
    assert attachment.search_text.startswith("（图片，文字识别）")
    assert "二十三时" in attachment.search_text


def test_a_pdf_with_a_text_layer_needs_no_recognition(world, django_capture_on_commit_callbacks):
    from gongkai.documents.pdf import html_to_pdf

    doc = published(world.dept_a)
    pdf = html_to_pdf("<p>本公告已有文字层，无需识别。</p>")
    attachment = _attach(doc, "公告.pdf", pdf, django_capture_on_commit_callbacks)
    assert attachment.ocr_status == "" and attachment.ocr_pages == []
    assert "无需识别" in attachment.text
    assert not Job.objects.filter(kind="catalog.attachment_ocr").exists()


def test_without_tesseract_the_scan_is_marked_and_nothing_is_lost(
    world, monkeypatch, django_capture_on_commit_callbacks, client_for
):
    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    doc = published(world.dept_a)
    original = scan()  # once: PIL stamps each PDF with the time it was made
    attachment = _attach(doc, "扫描件.pdf", original, django_capture_on_commit_callbacks)
    assert attachment.ocr_status == OcrStatus.UNAVAILABLE
    assert "未安装文字识别组件" in attachment.ocr_note
    assert attachment.file.read() == original and attachment.text == ""
    page = client_for(world.officer_a).get(reverse("catalog:bo_detail", args=[doc.pk]))
    assert "未安装文字识别组件" in page.content.decode()


def test_a_damaged_image_fails_with_a_reason(world, django_capture_on_commit_callbacks):
    if not ocr.ocr_available():
        pytest.skip("需要 tesseract-ocr")
    doc = published(world.dept_a)
    attachment = _attach(
        doc, "照片.png", b"\x89PNG\r\n\x1a\n but damaged", django_capture_on_commit_callbacks
    )
    assert attachment.ocr_status == OcrStatus.FAILED
    assert "识别失败" in attachment.ocr_note


@needs_tesseract
def test_the_privacy_review_points_at_what_recognition_found_on_a_scan(
    world, django_capture_on_commit_callbacks
):
    from gongkai.apps.catalog.privacy_gate import review_document
    from gongkai.domain.codes import id_check_char

    body = "11010519491231002"
    id_number = body + id_check_char(body)
    doc = published(world.dept_a, title="低保审批结果公示")
    _attach(
        doc,
        "审批表扫描件.pdf",
        scan(lines=["申请人：王某某", f"身份证号：{id_number}"]),
        django_capture_on_commit_callbacks,
    )
    _attach(doc, "无关照片.png", scan("PNG"), django_capture_on_commit_callbacks)
    review = review_document(actor=world.officer_a, document=doc)
    reasons = {f.source.label: f.reason for f in review.findings.filter(kind="unreadable")}
    assert "须人工核对" in reasons["附件：审批表扫描件.pdf"]
    assert "文字识别发现疑似身份证号 1 处" in reasons["附件：审批表扫描件.pdf"]
    assert "文字识别未发现个人信息" in reasons["附件：无关照片.png"]
    # a pointer, not a finding: the ID number is not offered for automatic masking
    assert not review.findings.filter(kind="id_number").exists()
