"""Letters as the files people open: DOCX (Word/WPS) and PDF, rendered from the issued text.

The issued text (and its SHA-256) is the record; files are rendered from it on first download
and kept, so a letter downloads the same file every time. Both are laid out on the GB/T 9704
page in the 信函格式: the agency's red mark and double rule with the number (版头), the body,
the agency and date, and a 版记 with 抄送 when the reply forwarded the request.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from gongkai.apps.applications.models import CaseLetter, LetterType
from gongkai.documents import docx as docx_helpers
from gongkai.documents.pdf import html_to_pdf

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# bumped when the layout changes, so files rendered in an older layout are not served again
LAYOUT_VERSION = "gbt9704"


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _paragraphs(body: str) -> list[str]:
    return [line.strip("　 ") for line in body.split("\n") if line.strip("　 ")]


def copies_to(letter: CaseLetter) -> list[str]:
    """抄送 of the 版记: the agency a 不属于本机关 reply forwarded the request to."""
    app = letter.application
    if letter.kind == LetterType.REPLY and app.forward and app.referred_agency is not None:
        return [app.referred_agency.name]
    return []


def render_docx(letter: CaseLetter) -> bytes:
    agency = letter.application.agency
    document = docx_helpers.new_document()
    docx_helpers.add_letterhead(document, agency.name, letter.number)
    docx_helpers.add_title(document, letter.title)
    docx_helpers.add_paragraph(document, f"{letter.addressee}：", indent=False)
    for text in _paragraphs(letter.body):
        docx_helpers.add_paragraph(document, text)
    docx_helpers.add_paragraph(document, "", indent=False)
    # 成文日期 右空四字 (§7.3.5.2), the agency's name centred above it
    docx_helpers.add_paragraph(document, f"{agency.name}　　", indent=False, align="right")
    docx_helpers.add_paragraph(
        document, f"{_cn(letter.issued_on)}　　　　", indent=False, align="right"
    )
    copies = copies_to(letter)
    if copies:
        docx_helpers.add_record_block(document, copies)
    return docx_helpers.to_bytes(document)


def render_pdf(letter: CaseLetter) -> bytes:
    html = render_to_string(
        "applications/letter_pdf.html",
        {
            "letter": letter,
            "agency": letter.application.agency,
            "paragraphs": _paragraphs(letter.body),
            "issued": _cn(letter.issued_on),
            "copies_to": "，".join(copies_to(letter)),
        },
    )
    return html_to_pdf(html)


def letter_file(letter: CaseLetter, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    name = (
        f"letters/{letter.application.agency_id}/"
        f"{letter.pk}-{letter.sha256[:16]}-{LAYOUT_VERSION}.{fmt}"
    )
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    content = render_docx(letter) if fmt == "docx" else render_pdf(letter)
    default_storage.save(name, ContentFile(content))
    return content


def download_name(letter: CaseLetter, fmt: str) -> str:
    return f"{letter.application.number}-{letter.title}.{fmt}"
