"""DOCX output with python-docx, set up so Word and WPS show Chinese text in a Chinese font."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
FALLBACK_FONT = "宋体"


def _set_east_asian(run_or_style, name: str) -> None:
    run_or_style.font.name = name
    r_pr = (
        run_or_style.element.get_or_add_rPr()
        if hasattr(run_or_style.element, "get_or_add_rPr")
        else None
    )
    if r_pr is None:
        r_pr = run_or_style.element.rPr
    fonts = r_pr.rFonts if r_pr.rFonts is not None else r_pr._add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def new_document(*, body_font: str = BODY_FONT, size_pt: float = 16):
    """A document whose Normal style uses ``body_font`` for East Asian text (三号 = 16 pt)."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(size_pt)
    normal.font.name = body_font
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.rFonts if r_pr.rFonts is not None else r_pr._add_rFonts()
    fonts.set(qn("w:eastAsia"), body_font)
    return document


def add_title(document, text: str, *, size_pt: float = 22) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size_pt)
    _set_east_asian(run, TITLE_FONT)


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
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size_pt)
    return table


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
