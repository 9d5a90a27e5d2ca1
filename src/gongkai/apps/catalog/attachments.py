"""Attachment files: allowed types, and their text for the search index.

Text extraction belongs to ``gongkai.documents.extract`` (shared with the privacy review);
this module adapts its result to one plain text and falls back to a small reader of its own
for the formats the catalogue accepts when that module cannot read a file.
"""

from __future__ import annotations

import io
import logging
import zipfile

from gongkai.documents import sniff
from gongkai.documents.extract import extract_document, is_supported
from gongkai.documents.ocr import is_image
from gongkai.documents.untrusted import DOCUMENT, run_limited

log = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "wps": "application/vnd.ms-works",
    "txt": "text/plain",
    "zip": "application/zip",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
}
MAX_TEXT_CHARS = 200_000  # what the index keeps of one attachment
# what the content of an attachment may be (ADR 0081): the same formats, judged by their bytes
ATTACHMENT_KINDS = (
    sniff.PDF,
    sniff.DOCX,
    sniff.XLSX,
    sniff.OFD,
    sniff.OLE,
    sniff.TEXT,
    sniff.ZIP,
    sniff.JPEG,
    sniff.PNG,
    sniff.MP3,
    sniff.MP4,
)


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def content_type_for(filename: str) -> str:
    return ALLOWED_EXTENSIONS.get(extension_of(filename), "application/octet-stream")


def _shared_extract(filename: str, content: bytes) -> tuple[str, list[int]] | None:
    """Text, and the pages without a text layer (scans), or None when unreadable here."""
    if not is_supported(filename):
        return None
    try:
        extraction = extract_document(filename, content)
    except Exception:  # an unreadable file must not stop publishing; it is just not indexed
        log.info("could not extract text from %s", filename, exc_info=True)
        return None
    text = "\n".join(block.text for block in extraction.blocks)
    return text, list(extraction.pages_without_text)


def _ofd_text(content: bytes) -> str:
    """OFD (GB/T 33190) is a zip of XML pages; the text sits in ofd:TextCode elements."""
    import re

    out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in sorted(archive.namelist()):
            if name.lower().endswith("content.xml"):
                xml = archive.read(name).decode("utf-8", "replace")
                out.extend(re.findall(r"<ofd:TextCode[^>]*>([^<]*)</ofd:TextCode>", xml))
    return "".join(out)


def _own_extract(filename: str, content: bytes) -> str:
    ext = extension_of(filename)
    if ext == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if ext == "docx":
        import docx

        document = docx.Document(io.BytesIO(content))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append("\t".join(cell.text for cell in row.cells))
        return "\n".join(lines)
    if ext == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        lines = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = ["" if v is None else str(v) for v in row]
                if any(cells):
                    lines.append("\t".join(cells))
        return "\n".join(lines)
    if ext == "ofd":
        return _ofd_text(content)
    if ext == "txt":
        for encoding in ("utf-8", "gb18030"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
    return ""


def searchable_text(filename: str, text: str, recognised: dict[str, str]) -> str:
    """What the index holds of an attachment: its own text, then the text recognised on each
    scanned page (``Attachment.ocr_text``), labelled as machine-read."""
    label = "图片" if is_image(filename) else "第{}页"
    pages = sorted(recognised.items(), key=lambda item: int(item[0]))
    parts = [f"（{label.format(page)}，文字识别）\n{found}" for page, found in pages if found]
    return "\n".join(filter(None, [text, *parts]))[:MAX_TEXT_CHARS]


def attachment_text(filename: str, content: bytes) -> tuple[str, list[int]]:
    """The searchable text of an attachment ("" when the format carries none we can read), and
    the pages that only text recognition can read: scanned PDF pages, or [1] for an image."""
    if is_image(filename):
        return "", [1]
    shared = _shared_extract(filename, content)
    text, scanned = shared if shared is not None else ("", [])
    if not text and not scanned:
        try:
            text = run_limited(_own_extract, filename, content, limits=DOCUMENT)
        except Exception:  # damaged files are published as they are, just not searchable
            log.info("could not extract text from %s", filename, exc_info=True)
            text = ""
    return text[:MAX_TEXT_CHARS], scanned
