"""Checks that a generated file sits on the GB/T 9704 page: A4, its margins, text inside the
type area (版心) and only the page number below it."""

from __future__ import annotations

import io

from gongkai.documents import layout

MM = 72 / 25.4


def docx_pages(content: bytes) -> list[dict[str, float]]:
    """Page size and margins of every section, in millimetres."""
    import docx

    document = docx.Document(io.BytesIO(content))
    return [
        {
            name: getattr(section, name) / 36000
            for name in (
                "page_width",
                "page_height",
                "top_margin",
                "bottom_margin",
                "left_margin",
                "right_margin",
            )
        }
        for section in document.sections
    ]


def assert_gbt9704_docx(content: bytes) -> None:
    expected = {
        "page_width": layout.PAGE_WIDTH_MM,
        "page_height": layout.PAGE_HEIGHT_MM,
        "top_margin": layout.TOP_MM,
        "bottom_margin": layout.BOTTOM_MM,
        "left_margin": layout.LEFT_MM,
        "right_margin": layout.RIGHT_MM,
    }
    pages = docx_pages(content)
    assert pages, "no section"
    for page in pages:
        for name, mm in expected.items():
            assert abs(page[name] - mm) <= 0.1, (name, page[name], mm)
    assert abs(expected["left_margin"] + expected["right_margin"] + 156 - 210) < 0.01
    assert abs(expected["top_margin"] + expected["bottom_margin"] + 225 - 297) < 0.01


def pdf_glyphs(content: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """(page, left, top, right, bottom, char) of every visible character, in mm from the
    page's top-left corner; also checks that every page is A4."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(content)
    out = []
    for index in range(len(pdf)):
        page = pdf[index]
        width, height = page.get_size()
        assert abs(width / MM - layout.PAGE_WIDTH_MM) < 0.5, ("width", width / MM)
        assert abs(height / MM - layout.PAGE_HEIGHT_MM) < 0.5, ("height", height / MM)
        text = page.get_textpage()
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if not char.strip():
                continue
            left, bottom, right, top = text.get_charbox(i)
            out.append(
                (index, left / MM, (height - top) / MM, right / MM, (height - bottom) / MM, char)
            )
    return out


def assert_gbt9704_pdf(content: bytes) -> None:
    glyphs = pdf_glyphs(content)
    assert glyphs, "no text in the PDF"
    tol = layout.TOLERANCE_MM
    area_left, area_top = layout.LEFT_MM, layout.TOP_MM
    area_right = layout.LEFT_MM + layout.TYPE_WIDTH_MM
    area_bottom = layout.TOP_MM + layout.TYPE_HEIGHT_MM
    for page, left, top, right, bottom, char in glyphs:
        assert left >= area_left - tol and right <= area_right + tol, (page, char, left, right)
        assert top >= area_top - tol, (page, char, top)
        if bottom > area_bottom + tol:  # only the page number sits below the type area
            assert char in "—0123456789", (page, char, bottom)
            assert top >= area_bottom + layout.PAGE_NUMBER_GAP_MM - 2, (page, char, top)
    # text reaches the margins, not only further in: the margins are GB/T 9704's, not larger
    assert min(g[1] for g in glyphs) <= area_left + 3, min(g[1] for g in glyphs)
    assert min(g[2] for g in glyphs) <= area_top + 12, min(g[2] for g in glyphs)
