"""Attachments are judged by their content at upload and served so that a browser never runs
them: a program or page named .pdf, a PDF that runs script, a bomb, are refused."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from gongkai.apps.catalog.errors import CatalogValidationError
from gongkai.apps.catalog.models import Attachment
from gongkai.apps.catalog.services import common
from tests.apps.catalog.factories import published, rerender
from tests.hostile import bomb_docx

pytestmark = pytest.mark.django_db


def _pdf(script: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if script:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.launchURL('http://x')"),
            }
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("通知.pdf", b"MZ\x90\x00" + b"\x00" * 64, "实际是Windows 可执行程序，不允许上传"),
        ("通知.pdf", b"<html><script>alert(1)</script></html>", "实际是网页或 XML"),
        ("通知.pdf", _pdf(script=True), "含有JavaScript 脚本，不允许上传"),
        ("通知.docx", _pdf(), "的内容是PDF，与扩展名 .docx 不符"),
        ("通知.docx", bomb_docx(xml_megabytes=80), "的文字与表格部分解压后为79MB，超过60MB的上限"),
    ],
)
def test_refused_at_upload(world, name, content, message):
    doc = published(world.dept_a)
    with pytest.raises(CatalogValidationError) as caught:
        common.add_attachments(doc, [(name, content)])
    assert message in str(caught.value.errors["attachments"][0])
    assert not Attachment.objects.exists()


def test_a_plain_pdf_is_stored_with_its_sniffed_type_and_served_with_nosniff(world, client):
    doc = published(world.dept_a)
    common.add_attachments(doc, [("通知.pdf", _pdf())])
    rerender(doc, reviewer=world.reviewer_a)  # a page without text: a person looked at it
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    response = client.get(
        f"/catalog/documents/{doc.pk}/files/{attachment.pk}/{attachment.filename}"
    )
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")


def test_a_file_stored_before_sniffing_is_not_shown_inline(world, client):
    """An attachment stored earlier as .pdf whose bytes are a program is downloaded, not shown."""
    from django.core.files.base import ContentFile

    doc = published(world.dept_a)
    program = b"MZ\x90\x00" + b"\x00" * 64
    attachment = Attachment(
        document=doc,
        filename="旧通知.pdf",
        size=len(program),
        sha256="f" * 64,
        content_type="application/pdf",
        sort_order=0,
    )
    attachment.file.save("old.pdf", ContentFile(program), save=False)
    attachment.save()
    # the published rendition cannot read it: it is never published as it is (ADR 0032)
    from gongkai.apps.privacy.rendition import RenditionBlocked

    with pytest.raises(RenditionBlocked, match="无法读取"):
        rerender(doc)
    response = client.get(
        f"/catalog/documents/{doc.pk}/files/{attachment.pk}/{attachment.filename}"
    )
    assert response.status_code == 404
    staff = client.get(attachment.get_absolute_url())  # the original: back office only
    assert staff.status_code in (302, 403, 404)
