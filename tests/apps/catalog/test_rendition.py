"""What the privacy review masks is what the public receives (ADR 0032): the journey of a
document with planted personal data, checked on the bytes an anonymous visitor gets."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path

import pytest
from django.test import Client

from gongkai.apps.catalog import services
from gongkai.apps.catalog.models import Document, PublicDocument, PublishedFile
from gongkai.apps.catalog.search.indexing import index_flush
from gongkai.apps.privacy.errors import PrivacyBlocked
from gongkai.apps.privacy.models import PrivacyFinding
from gongkai.apps.privacy.rendition import RenditionBlocked
from gongkai.apps.privacy.services import privacy_finding_override, privacy_review_mask_all
from tests.apps.catalog.factories import draft

ID = "320102198511124566"
PHONE = "13612345678"
ROOM = "长江路88号2栋301室"
TABLE_ID = "110105194912310021"
TABLE_PHONE = "13900001111"
HEARING_ID = "11010519491231002X"
PLANTED = (ID, PHONE, ROOM, TABLE_ID, TABLE_PHONE, HEARING_ID, "孙八", "王五", "赵六")

BODY = f"<p>孙八，身份证号 {ID}，联系电话 {PHONE}，住址示例市{ROOM}。</p><p>特此公告。</p>"


def _docx() -> bytes:
    from docx import Document as Docx

    doc = Docx()
    doc.add_paragraph("听证会参加人员名单")
    doc.add_paragraph(f"听证代表：王五（身份证号{HEARING_ID}）")
    table = doc.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("姓名", "身份证号", "联系电话"), strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("赵六", TABLE_ID, TABLE_PHONE), strict=True):
        cell.text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_text(content: bytes) -> str:
    from docx import Document as Docx

    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (40, 40), 255).save(buffer, "PNG")
    return buffer.getvalue()


def _submit_and_mask(world, *, attachments) -> Document:
    doc = draft(
        world.officer_a,
        world.dept_a,
        title="关于孙八违规占道经营的处理公告",
        body_html=BODY,
        attachments=attachments,
    )
    services.document_submit(actor=world.officer_a, document=doc)
    with pytest.raises(PrivacyBlocked, match="未处理的个人信息"):
        services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    from gongkai.apps.catalog import privacy_gate

    privacy_review_mask_all(actor=world.reviewer_a, review=privacy_gate.latest_review(doc))
    return doc


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_what_is_masked_is_what_the_anonymous_visitor_receives(world, fresh_index):
    doc = _submit_and_mask(world, attachments=[("参加人员.docx", _docx())])
    services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    services.document_publish(actor=world.officer_a, document=doc)
    index_flush()
    anonymous = Client(enforce_csrf_checks=True)

    page = _get(anonymous, f"/catalog/documents/{doc.pk}/").decode()
    printed = _get(anonymous, f"/catalog/documents/{doc.pk}/print/").decode()
    api = _get(anonymous, f"/api/catalog/documents/{doc.pk}").decode()
    feed = _get(anonymous, "/catalog/feed.rss").decode()
    export = _get(anonymous, "/api/catalog/export.jsonl").decode("utf-8-sig")
    search = _get(anonymous, f"/search/?q={ID}").decode()
    found = _get(anonymous, "/search/?q=违规占道经营").decode()
    files = PublishedFile.objects.filter(document=doc)
    assert [f.filename for f in files] == ["参加人员.docx"]
    docx_bytes = _get(anonymous, files[0].get_absolute_url())
    docx_text = _docx_text(docx_bytes)
    for label, text in {
        "page": page,
        "print": printed,
        "api": api,
        "feed": feed,
        "export": export,
        "search hit": found,
        "docx": docx_text,
    }.items():
        for value in PLANTED:
            assert value not in text, (label, value)
    assert f"/catalog/documents/{doc.pk}/" not in search  # the original value finds nothing
    # the masked forms are there: the document was published, not emptied
    assert "320102********4566" in page and "136****5678" in page
    assert "孙*" in page and "孙*" in found  # the title's name, masked, in the search hit too
    assert "110105********0021" in docx_text and "赵*" in docx_text and "王*" in docx_text
    assert json.loads(api)["title"].startswith("关于孙*")
    # the back office keeps the original for staff
    staff = Client()
    staff.force_login(world.officer_a)
    original = Document.objects.get(pk=doc.pk).attachments.get()
    assert TABLE_ID in _docx_text(_get(staff, original.get_absolute_url()))


def test_an_image_with_personal_data_blocks_until_a_reviewer_lets_it_through(world):
    doc = _submit_and_mask(world, attachments=[("现场照片.png", _png())])
    with pytest.raises(PrivacyBlocked, match="无法读取的内容 1 处"):
        services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    finding = PrivacyFinding.objects.get(kind="unreadable", review__superseded_at=None)
    privacy_finding_override(
        actor=world.reviewer_a, finding=finding, reason="照片为现场全景，无人像"
    )
    services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    services.document_publish(actor=world.officer_a, document=doc)
    published = PublishedFile.objects.get(document=doc)
    assert "照片为现场全景" in published.note
    # the override replaced by a mask: the image has no public form, the document comes off
    from gongkai.apps.privacy.errors import PrivacyError
    from gongkai.apps.privacy.services import privacy_finding_mask

    with pytest.raises(PrivacyError):  # an unreadable file cannot be masked automatically
        privacy_finding_mask(actor=world.reviewer_a, finding=finding)


def test_a_file_the_masker_cannot_read_is_never_published_as_it_is(db):
    broken = b"PK\x03\x04" + b"\x00" * 200  # claims to be a DOCX, cannot be opened
    from gongkai.apps.privacy.rendition import privacy_render_file

    with pytest.raises(RenditionBlocked, match="无法读取"):
        privacy_render_file("名单.docx", broken, review=None)
    with pytest.raises(RenditionBlocked, match="无法读取和遮盖"):
        privacy_render_file("名单.wps", b"anything", review=None)
    with pytest.raises(RenditionBlocked, match="是图片，无法自动遮盖"):
        privacy_render_file("照片.png", _png(), review=None)


def test_a_text_pdf_is_rendered_again_without_the_value_in_its_text_layer(db):
    from gongkai.apps.privacy.rendition import privacy_render_file
    from gongkai.documents.extract import extract_plain_text
    from gongkai.documents.pdf import html_to_pdf

    pdf = html_to_pdf(f"<p>申请人王五，身份证号{ID}，电话{PHONE}。</p>")
    out = privacy_render_file("答复.pdf", pdf, review=None)
    assert out.rewritten
    text = extract_plain_text("答复.pdf", out.content)
    assert ID not in text and PHONE not in text and "王五" not in text
    assert "320102********4566" in text


def test_a_mask_after_publication_reaches_page_and_index(world, fresh_index):
    """A low-scoring value overridden at first, then masked: the public page and the index
    follow the decision at once."""
    doc = _submit_and_mask(world, attachments=[])
    services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    services.document_publish(actor=world.officer_a, document=doc)
    finding = PrivacyFinding.objects.filter(kind="mobile", review__superseded_at=None).get()
    privacy_finding_override(
        actor=world.reviewer_a, finding=finding, reason="单位值班电话，应当公开"
    )
    anonymous = Client()
    assert PHONE in _get(anonymous, f"/catalog/documents/{doc.pk}/").decode()
    from gongkai.apps.privacy.services import privacy_finding_mask

    privacy_finding_mask(actor=world.reviewer_a, finding=finding)  # the override withdrawn
    index_flush()
    assert PHONE not in _get(anonymous, f"/catalog/documents/{doc.pk}/").decode()
    assert f"/catalog/documents/{doc.pk}/" not in _get(anonymous, f"/search/?q={PHONE}").decode()


def test_unpublished_leaves_nothing_in_feeds_sitemap_search_or_downloads(world, fresh_index):
    doc = _submit_and_mask(world, attachments=[("参加人员.docx", _docx())])
    services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    services.document_publish(actor=world.officer_a, document=doc)
    index_flush()
    anonymous = Client()
    file_url = PublishedFile.objects.get(document=doc).get_absolute_url()
    doc_url = f"/catalog/documents/{doc.pk}/"
    assert doc_url in _get(anonymous, "/search/?q=违规占道经营").decode()
    services.document_withdraw(actor=world.reviewer_a, document=doc, reason="内容有误")
    index_flush()
    assert anonymous.get(f"/catalog/documents/{doc.pk}/").status_code == 404
    assert anonymous.get(file_url).status_code == 404
    assert "违规占道经营" not in _get(anonymous, "/catalog/feed.rss").decode()
    sitemap = anonymous.get("/sitemap-documents-1.xml")
    assert sitemap.status_code == 404  # the only document is gone: no part at all
    assert doc_url not in _get(anonymous, "/search/?q=违规占道经营").decode()


PUBLIC_MODULES = (
    "src/gongkai/apps/catalog/views/portal.py",
    "src/gongkai/apps/catalog/views/feeds.py",
    "src/gongkai/apps/catalog/selectors/browse.py",
    "src/gongkai/apps/catalog/selectors/search.py",
    "src/gongkai/apps/catalog/exports.py",
    "src/gongkai/apps/catalog/home.py",
    "src/gongkai/api/catalog.py",
)


@pytest.mark.parametrize("path", PUBLIC_MODULES)
def test_public_modules_never_name_the_originals(path):
    """Public code reads PublicDocument and PublishedFile only: not the Document model
    (its original title, summary, body) nor Attachment (the original files)."""
    tree = ast.parse(Path(__file__).resolve().parents[3].joinpath(path).read_text())
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    imported = {
        alias.asname or alias.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("gongkai.apps.catalog")
        for alias in n.names
    }
    assert not {"Document", "Attachment"} & (names | imported), path


def test_a_public_document_cannot_hand_out_the_original(world):
    doc = _submit_and_mask(world, attachments=[])
    services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    services.document_publish(actor=world.officer_a, document=doc)
    public = PublicDocument.objects.get(pk=doc.pk)
    assert ID not in public.body_html and "孙八" not in public.title
    assert ID not in PublicDocument.objects.only("body_text").get(pk=doc.pk).body_text
    assert ID not in "".join(PublicDocument.objects.values_list("body_html", flat=True))
    from gongkai.apps.catalog.models import PRIVATE_FIELDS

    for name in PRIVATE_FIELDS:  # also when a query brought the column along
        for row in (public, PublicDocument.objects.defer(None).get(pk=doc.pk)):
            with pytest.raises(AttributeError):
                getattr(row, name)
    with pytest.raises(TypeError):
        public.save()


def test_the_sweep_finds_nothing_after_masking_and_names_the_url_of_a_planted_id(
    world, fresh_index, capsys
):
    """``gongkai privacy sweep`` walks the site as an anonymous visitor: zero findings on
    what the review masked; an unmasked ID planted in a published file exits 1 naming it."""
    from django.core.files.base import ContentFile

    from gongkai.cli import main

    doc = _submit_and_mask(world, attachments=[("参加人员.docx", _docx())])
    services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
    services.document_publish(actor=world.officer_a, document=doc)
    index_flush()
    assert main(["privacy", "sweep"]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "未发现未遮盖的个人信息" in out
    visited = int(out.split("共访问 ")[1].split(" ")[0])
    assert visited > 10
    published = PublishedFile.objects.get(document=doc)
    published.file.save("planted.docx", ContentFile(_docx()), save=True)  # the original
    assert main(["privacy", "sweep"]) == 1
    out = capsys.readouterr().out
    assert published.get_absolute_url() in out
    assert "居民身份证号" in out or "身份证" in out
    assert TABLE_ID not in out  # the report itself masks what it found


def test_documents_published_before_renditions_get_theirs_at_migrate_time(world):
    """An upgraded database: a published document without a rendition shows nothing of its
    original until the post-migrate step renders it; then the public receives the rendition."""
    from gongkai.apps.catalog.apps import render_missing
    from tests.apps.catalog.factories import published

    doc = published(world.dept_a, title="关于旧版本文件的通知", body="<p>旧版本正文内容</p>")
    Document.objects.filter(pk=doc.pk).update(
        rendered_at=None,
        public_title="",
        public_summary="",
        public_body_html="",
        public_body_text="",
    )
    PublishedFile.objects.filter(document_id=doc.pk).delete()
    render_missing(sender=None)
    doc.refresh_from_db()
    assert doc.rendered_at is not None
    page = _get(Client(), f"/catalog/documents/{doc.pk}/").decode()
    assert "旧版本正文内容" in page


def test_unpublished_leaves_nothing_in_the_page_cache_feeds_sitemap_or_index(
    world, fresh_index, django_capture_on_commit_callbacks
):
    """Every public path is read (so cached) while the document is published; after it is
    withdrawn, the very next anonymous request of each gets nothing of it."""
    with django_capture_on_commit_callbacks(execute=True):
        doc = _submit_and_mask(world, attachments=[("参加人员.docx", _docx())])
        services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
        services.document_publish(actor=world.officer_a, document=doc)
    index_flush()
    anonymous = Client()
    doc_url = f"/catalog/documents/{doc.pk}/"
    file_url = PublishedFile.objects.get(document=doc).get_absolute_url()
    masked_id = "320102********4566"
    lists = (
        "/",
        "/catalog/feed.rss",
        f"/catalog/agencies/{world.dept_a.code}/",
        f"/catalog/agencies/{world.dept_a.code}/feed.rss",
        "/sitemap.xml",
        "/api/catalog/search?q=违规占道经营",
        "/api/catalog/export.jsonl",
        "/search/?q=违规占道经营",
        f"/search/?q={masked_id[:6]}",
    )
    api_url = f"/api/catalog/documents/{doc.pk}"  # shares the page's cached load
    before = {
        url: anonymous.get(url) for url in (*lists, doc_url, doc_url + "print/", file_url, api_url)
    }
    assert all(r.status_code == 200 for r in before.values()), {
        u: r.status_code for u, r in before.items()
    }
    again = anonymous.get(doc_url)
    assert again["X-Page-Cache"] == "hit" and masked_id in again.content.decode()
    assert "违规占道经营" in _get(anonymous, "/catalog/feed.rss").decode()
    assert doc_url in _get(anonymous, "/search/?q=违规占道经营").decode()
    assert doc_url in _get(anonymous, "/sitemap-documents-1.xml").decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.document_withdraw(actor=world.reviewer_a, document=doc, reason="内容有误")
    index_flush()
    for url in (doc_url, doc_url + "print/", file_url, api_url):
        assert anonymous.get(url).status_code == 404, url
    for url in lists:
        text = _get(anonymous, url).decode("utf-8-sig")
        for trace in ("违规占道经营问题", "关于孙*违规", doc_url, masked_id, "136****5678"):
            assert trace not in text, (url, trace)
    assert anonymous.get("/sitemap-documents-1.xml").status_code == 404


def _broken_docx() -> bytes:
    """A DOCX the upload accepts (a Word package by its content) whose text cannot be read."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = f"<w:document><w:body><w:p>孙八 {ID}".encode()
            package.writestr(item, data)
    return out.getvalue()


def test_a_file_the_masker_cannot_rewrite_stops_approval_and_the_reviewer_sees_why(world):
    """A DOCX the reader cannot open: the review records it as unreadable (with the reason in
    Chinese); even let through by a reviewer, approval refuses it on the review page, and
    nothing of the document or its file reaches the public."""
    import re

    doc = draft(
        world.officer_a,
        world.dept_a,
        title="关于违规占道经营的处理公告",
        body_html="<p>特此公告。</p>",
        attachments=[("名单.docx", _broken_docx())],
    )
    services.document_submit(actor=world.officer_a, document=doc)
    reviewer = Client(enforce_csrf_checks=True)
    reviewer.force_login(world.reviewer_a)
    from gongkai.apps.catalog import privacy_gate

    review = privacy_gate.latest_review(doc)
    page = _get(reviewer, f"/backoffice/privacy/{review.pk}/").decode()
    assert "名单.docx" in page and "无法" in page  # the unreadable file, and why

    def approve() -> str:
        detail = _get(reviewer, f"/backoffice/catalog/{doc.pk}/").decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', detail).group(1)
        response = reviewer.post(
            f"/backoffice/catalog/{doc.pk}/approve/",
            {"csrfmiddlewaretoken": token, "secrecy_opinion": "不涉密"},
            follow=True,
        )
        assert response.status_code == 200
        return response.content.decode()

    assert "无法读取的内容 1 处" in approve()
    finding = PrivacyFinding.objects.get(kind="unreadable", review=review)
    privacy_finding_override(actor=world.reviewer_a, finding=finding, reason="已核对原件无个人信息")
    shown = approve()
    assert "附件“名单.docx”无法读取，不能按原样公开" in shown
    doc.refresh_from_db()
    assert doc.state == "pending"
    assert not PublishedFile.objects.filter(document=doc).exists()
    assert Client().get(f"/catalog/documents/{doc.pk}/").status_code == 404
