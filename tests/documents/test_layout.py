"""The shared document helpers put every file on the GB/T 9704 page."""

import io
import zipfile

import pytest

from gongkai.documents import docx as docx_helpers
from gongkai.documents import layout
from gongkai.documents.pdf import html_to_pdf
from tests.pagecheck import assert_gbt9704_docx, assert_gbt9704_pdf, pdf_glyphs


def test_the_type_area_is_gbt9704s():
    assert (layout.LEFT_MM, layout.RIGHT_MM, layout.TOP_MM, layout.BOTTOM_MM) == (28, 26, 37, 35)
    assert 21 * layout.LINE_PITCH_PT < layout.mm_to_pt(225) <= 22 * layout.LINE_PITCH_PT + 1


def test_a_docx_is_a4_with_the_margins_and_font_fallbacks():
    document = docx_helpers.new_document()
    docx_helpers.add_letterhead(document, "示例市交通运输局", "示交信息公开告〔2026〕3号")
    docx_helpers.add_title(document, "补正告知书")
    docx_helpers.add_paragraph(document, "正文" * 40)
    content = docx_helpers.to_bytes(document)
    assert_gbt9704_docx(content)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        fonts = z.read("word/fontTable.xml").decode()
        body = z.read("word/document.xml").decode()
        footer = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert 'w:eastAsia="方正小标宋简体"' in body and 'w:color="C00000"' in body
    assert "PAGE" in footer


def test_a_letter_size_docx_is_refused_by_the_check():
    import docx
    from docx.shared import Inches

    document = docx.Document()
    document.sections[0].page_width = Inches(8.5)
    with pytest.raises(AssertionError):
        assert_gbt9704_docx(docx_helpers.to_bytes(document))


@pytest.mark.slow
def test_a_pdf_is_a4_with_text_inside_the_type_area():
    body = "".join(f"<p class='indent'>第{i}段。" + "政府信息公开" * 20 + "</p>" for i in range(30))
    content = html_to_pdf(f"<h1>标题</h1>{body}")
    assert_gbt9704_pdf(content)
    pages = {g[0] for g in pdf_glyphs(content)}
    assert len(pages) >= 2  # the page number check ran on more than one page


def test_a_pdf_with_wider_margins_fails_the_check():
    content = html_to_pdf("<p>内容</p>", extra_css="@page { margin: 10mm; }")
    with pytest.raises(AssertionError):
        assert_gbt9704_pdf(content)
