"""Uploads judged by their bytes: disguised programs and pages, and PDFs that run script."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from gongkai.documents import sniff
from gongkai.documents.sniff import ContentRefused, accept

DOCUMENTS = (sniff.PDF, sniff.DOCX, sniff.TEXT)


def _pdf(change=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(action: dict) -> callable:
    def change(writer):
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject(k): v for k, v in action.items()}
        )

    return change


def test_a_plain_pdf_is_accepted():
    assert accept("a.pdf", _pdf(), DOCUMENTS) is sniff.PDF


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00", "“通知.pdf”实际是Windows 可执行程序，不允许上传"),
        (b"\x7fELF\x02\x01\x01", "“通知.pdf”实际是Linux 可执行程序，不允许上传"),
        (
            b"  <!DOCTYPE html><script>alert(1)</script>",
            "“通知.pdf”实际是网页或 XML（可能含脚本），不允许上传",
        ),
        (
            b"\xef\xbb\xbf<svg onload=alert(1)>",
            "“通知.pdf”实际是网页或 XML（可能含脚本），不允许上传",
        ),
        (b"", "“通知.pdf”是空文件"),
    ],
)
def test_disguised_files_are_refused(content, message):
    with pytest.raises(ContentRefused, match=message):
        accept("通知.pdf", content, DOCUMENTS)


def test_a_kind_that_is_not_allowed_names_what_it_is():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    with pytest.raises(
        ContentRefused, match=r"内容不是允许的类型（实际为PNG 图片）（允许PDF、Word 文档、文本）"
    ):
        accept("a.pdf", png, DOCUMENTS)


def test_pdf_javascript_on_open_is_refused():
    content = _pdf(
        _open_action({"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")})
    )
    with pytest.raises(ContentRefused, match=r"PDF 文件“a\.pdf”含有JavaScript 脚本，不允许上传"):
        accept("a.pdf", content, DOCUMENTS)


def test_names_hidden_by_hex_escapes_are_read():
    content = _pdf().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript >>"
    )
    with pytest.raises(ContentRefused, match="含有JavaScript 脚本"):
        accept("a.pdf", content, DOCUMENTS)


def test_pdf_javascript_added_the_library_way_is_refused():
    from pypdf.actions import JavaScript

    def add_js(writer):
        writer.add_open_action(JavaScript("app.alert('x');"))

    with pytest.raises(ContentRefused, match="含有JavaScript 脚本"):
        accept("a.pdf", _pdf(add_js), DOCUMENTS)


def test_a_page_action_found_in_the_structure_is_refused():
    def page_action(writer):
        writer.pages[0][NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/SubmitForm")})}
        )

    with pytest.raises(ContentRefused, match="含有页面自动动作"):
        accept("a.pdf", _pdf(page_action), DOCUMENTS)


def test_an_open_action_that_only_shows_a_page_is_allowed():
    def fit(writer):
        page = writer.pages[0].indirect_reference
        from pypdf.generic import ArrayObject

        writer._root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])

    assert accept("a.pdf", _pdf(fit), DOCUMENTS) is sniff.PDF


def test_extensions_must_agree_with_content():
    assert sniff.matches_extension("表.XLSX", sniff.XLSX)
    assert not sniff.matches_extension("表.pdf", sniff.XLSX)
