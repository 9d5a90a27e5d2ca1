"""Letters as the files people open: DOCX (Word/WPS) and PDF, rendered from the issued text.

The issued text (and its SHA-256) is the record; files are rendered from it on first download
and kept, so a letter downloads the same file every time.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from gongkai.apps.applications.models import CaseLetter
from gongkai.documents import docx as docx_helpers
from gongkai.documents.pdf import html_to_pdf

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _paragraphs(body: str) -> list[str]:
    return [line.strip("　 ") for line in body.split("\n") if line.strip("　 ")]


def render_docx(letter: CaseLetter) -> bytes:
    agency = letter.application.agency
    document = docx_helpers.new_document()
    docx_helpers.add_title(document, agency.name)
    docx_helpers.add_title(document, letter.title, size_pt=18)
    docx_helpers.add_paragraph(document, letter.number, indent=False, align="center")
    docx_helpers.add_paragraph(document, f"{letter.addressee}：", indent=False)
    for text in _paragraphs(letter.body):
        docx_helpers.add_paragraph(document, text)
    docx_helpers.add_paragraph(document, "", indent=False)
    docx_helpers.add_paragraph(document, agency.name, indent=False, align="right")
    docx_helpers.add_paragraph(document, _cn(letter.issued_on), indent=False, align="right")
    return docx_helpers.to_bytes(document)


def render_pdf(letter: CaseLetter) -> bytes:
    html = render_to_string(
        "applications/letter_pdf.html",
        {
            "letter": letter,
            "agency": letter.application.agency,
            "paragraphs": _paragraphs(letter.body),
            "issued": _cn(letter.issued_on),
        },
    )
    return html_to_pdf(html)


def letter_file(letter: CaseLetter, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    name = f"letters/{letter.application.agency_id}/{letter.pk}-{letter.sha256[:16]}.{fmt}"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    content = render_docx(letter) if fmt == "docx" else render_pdf(letter)
    default_storage.save(name, ContentFile(content))
    return content


def download_name(letter: CaseLetter, fmt: str) -> str:
    return f"{letter.application.number}-{letter.title}.{fmt}"
