"""DOCX output with python-docx on the GB/T 9704 page (``layout``): A4, its margins, 仿宋 body
text, 小标宋 titles and 黑体 headings, each with a fallback Word and WPS use when the official
font is not installed (the font table's ``altName``)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.documents import layout

BODY_FONT = layout.BODY_FONTS[0]
TITLE_FONT = layout.TITLE_FONTS[0]
HEADING_FONT = layout.HEADING_FONTS[0]
# what Word/WPS substitute for a font the machine lacks (GB2312 charset, as the fonts declare)
ALT_NAMES = {
    "仿宋_GB2312": "仿宋",
    "方正小标宋简体": "宋体",
    "黑体": "SimHei",
    "楷体_GB2312": "楷体",
}


def _set_east_asian(run_or_style, name: str) -> None:
    run_or_style.font.name = name
    r_pr = run_or_style.element.get_or_add_rPr()
    fonts = r_pr.rFonts if r_pr.rFonts is not None else r_pr._add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def _font_table_fallbacks(document) -> None:
    """Declare the official fonts with their substitutes in word/fontTable.xml."""
    part = next(
        (p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"),
        None,
    )
    if part is None:
        return
    blob = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for name, alt in ALT_NAMES.items()
        if f'w:name="{name}"' not in blob
    )
    part._blob = blob.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def page_setup(document) -> None:
    """A4 portrait with the GB/T 9704 margins on every section."""
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(layout.PAGE_WIDTH_MM)
        section.page_height = Mm(layout.PAGE_HEIGHT_MM)
        section.top_margin = Mm(layout.TOP_MM)
        section.bottom_margin = Mm(layout.BOTTOM_MM)
        section.left_margin = Mm(layout.LEFT_MM)
        section.right_margin = Mm(layout.RIGHT_MM)
        section.footer_distance = Mm(layout.BOTTOM_MM - layout.PAGE_NUMBER_GAP_MM - 5)
        _page_number_footer(section)


def _page_number_footer(section) -> None:
    """“— 1 —” centred below the type area (§7.5), in 4号 宋体."""
    paragraph = section.footer.paragraphs[0]
    if paragraph.runs:
        return
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ").font.size = Pt(14)
    run = paragraph.add_run()
    run.font.size = Pt(14)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" —").font.size = Pt(14)


def new_document(*, body_font: str = BODY_FONT, size_pt: float = layout.BODY_PT):
    """An A4 document whose Normal style is 3号 仿宋 on the 22-line pitch of GB/T 9704."""
    document = Document()
    page_setup(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(size_pt)
    _set_east_asian(normal, body_font)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(layout.LINE_PITCH_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    _font_table_fallbacks(document)
    return document


def add_title(document, text: str, *, size_pt: float = layout.TITLE_PT) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(max(layout.LINE_PITCH_PT, size_pt * 1.4))
    run = paragraph.add_run(text)
    run.font.size = Pt(size_pt)
    _set_east_asian(run, TITLE_FONT)


def add_heading(document, text: str) -> None:
    """A first-level heading (“一、…”): 3号 黑体, indented like the body (§7.3.3)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    run = paragraph.add_run(text)
    _set_east_asian(run, HEADING_FONT)


def add_paragraph(
    document, text: str, *, indent: bool = True, align: str = "left", bold: bool = False
):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    if align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "center":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    return paragraph


def _border(paragraph, edge: str, style: str, size_eighths: int, color: str) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), style)
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def add_letterhead(document, agency_name: str, number: str) -> None:
    """版头 of the 信函格式 (§10.1): the agency's name in red 小标宋, a red double rule
    (thick over thin) and the document number flush right below it."""
    mark = document.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark.paragraph_format.line_spacing = Pt(36)
    run = mark.add_run(agency_name)
    run.font.size = Pt(26)
    run.font.color.rgb = RGBColor.from_string(layout.RED)
    _set_east_asian(run, TITLE_FONT)
    _border(mark, "bottom", "thickThinSmallGap", 18, layout.RED)
    ref = document.add_paragraph()
    ref.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    ref.add_run(number)
    document.add_paragraph()


def add_record_block(document, copies_to: Sequence[str]) -> None:
    """版记 (§7.4): 抄送 between a thick first and last rule, at the end of the letter."""
    document.add_paragraph()
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Pt(14)
    paragraph.paragraph_format.right_indent = Pt(14)
    run = paragraph.add_run(f"抄送：{'，'.join(copies_to)}。")
    run.font.size = Pt(14)
    _border(paragraph, "top", "single", 8, "000000")
    _border(paragraph, "bottom", "single", 8, "000000")


def add_table(
    document, header: Sequence[str], rows: Sequence[Sequence[object]], *, size_pt: float = 10.5
):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    set_table_font(table, size_pt)
    return table


def set_table_font(table, size_pt: float, *, bold_cells: set[tuple[int, int]] | None = None):
    """Table text in a smaller size on single spacing (the 28.95 pt body pitch is too tall)."""
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.first_line_indent = Pt(0)
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                for run in paragraph.runs:
                    run.font.size = Pt(size_pt)
                    if bold_cells is not None:
                        run.bold = (r, c) in bold_cells


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
