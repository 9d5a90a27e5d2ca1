"""What an uploaded file is, by its content, and whether it carries active content (ADR 0081).

Every upload (requests for disclosure, letters to the mailbox, catalogue attachments, files
scanned for personal data, imports) is judged by its bytes, never by its name: an executable or
an HTML page named ``.pdf`` is refused, and so is a PDF that runs script when opened
(JavaScript, an action on open, a launch action). ``accept`` returns the kind found; the
caller keeps the extension and content type of that kind, never the ones the sender gave.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gongkai.documents.table import decode_first
from gongkai.documents.untrusted import PDF_CHECK, FileRefused, run_limited


class ContentRefused(ValueError):
    """The content is not allowed; the message is Chinese, for the user."""


@dataclass(frozen=True)
class Sniffed:
    extension: str
    content_type: str
    label: str


DOCX = Sniffed(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档"
)
XLSX = Sniffed(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 表格"
)
OFD = Sniffed("ofd", "application/ofd", "OFD 版式文件")
ZIP = Sniffed("zip", "application/zip", "ZIP 压缩包")
PDF = Sniffed("pdf", "application/pdf", "PDF")
JPEG = Sniffed("jpg", "image/jpeg", "JPEG 图片")
PNG = Sniffed("png", "image/png", "PNG 图片")
TIFF = Sniffed("tif", "image/tiff", "TIFF 扫描件")
GIF = Sniffed("gif", "image/gif", "GIF 图片")
OLE = Sniffed("doc", "application/msword", "Word/Excel 97-2003 文件")
MP3 = Sniffed("mp3", "audio/mpeg", "MP3 音频")
MP4 = Sniffed("mp4", "video/mp4", "MP4 视频")
TEXT = Sniffed("txt", "text/plain; charset=utf-8", "文本")

# extensions each kind may arrive under (an old Excel file is OLE like an old Word file)
EXTENSIONS: dict[Sniffed, tuple[str, ...]] = {
    DOCX: ("docx",),
    XLSX: ("xlsx", "xlsm"),
    OFD: ("ofd",),
    ZIP: ("zip",),
    PDF: ("pdf",),
    JPEG: ("jpg", "jpeg"),
    PNG: ("png",),
    TIFF: ("tif", "tiff"),
    GIF: ("gif",),
    OLE: ("doc", "xls", "wps", "et"),
    MP3: ("mp3",),
    MP4: ("mp4",),
    TEXT: ("txt", "csv", "json", "jsonl"),
}

_EXECUTABLE_MAGIC = (
    (b"MZ", "Windows 可执行程序"),
    (b"\x7fELF", "Linux 可执行程序"),
    (b"\xcf\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xce\xfa\xed\xfe", "macOS 可执行程序"),
    (b"\xca\xfe\xba\xbe", "Java 类文件或 macOS 程序"),
    (b"#!", "脚本"),
)
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body", b"<head")


def _zip_kind(content: bytes) -> Sniffed | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "OFD.xml" in names:
        return OFD
    return ZIP


def _is_text(content: bytes) -> bool:
    if b"\x00" in content[:8192]:
        return False
    if looks_like_markup(content):
        return False
    return decode_first(content) is not None


def looks_like_markup(content: bytes) -> bool:
    """HTML, SVG or XML: a browser would run what it carries."""
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_MARKUP)


def sniff(content: bytes) -> Sniffed | None:
    """What the bytes are, or None when they are none of the kinds above."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if content.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if content.startswith(b"ID3") or content[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return MP3
    if content[4:8] == b"ftyp":
        return MP4
    if _is_text(content):
        return TEXT
    return None


def executable_kind(content: bytes) -> str | None:
    for magic, label in _EXECUTABLE_MAGIC:
        if content.startswith(magic):
            return label
    return None


# PDF active content --------------------------------------------------------------------------

_PDF_NAME = re.compile(rb"/[A-Za-z0-9#]+")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
# names that have no use in a published document but to run something
_PDF_ACTIVE_NAMES = {
    b"/JavaScript": "JavaScript 脚本",
    b"/JS": "JavaScript 脚本",
    b"/Launch": "启动外部程序的动作",
    b"/RichMedia": "富媒体（Flash）",
    b"/XFA": "XFA 动态表单",
}
_PDF_DANGEROUS_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/ResetForm"}


def _pdf_names(content: bytes) -> Iterable[bytes]:
    for match in _PDF_NAME.finditer(content):
        name = match.group()
        if b"#" in name:  # /J#61vaScript is /JavaScript
            name = _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        yield name


def pdf_active_names(content: bytes) -> str | None:
    """The quick half of :func:`pdf_active_content`: names in the raw bytes only."""
    for name in _pdf_names(content):
        if name in _PDF_ACTIVE_NAMES:
            return _PDF_ACTIVE_NAMES[name]
    return None


def inline_safe(content: bytes) -> bool:
    """Whether a stored file may be shown in the browser (a PDF or an image, as its bytes
    say, and a PDF without script names): for files stored before uploads were sniffed."""
    kind = sniff(content)
    return kind in (JPEG, PNG) or (kind is PDF and pdf_active_names(content) is None)


def pdf_active_content(content: bytes) -> str | None:
    """What in a PDF would run when it is opened, or None.

    The raw names are read first (with #xx escapes undone); then the document structure, which
    also sees names packed inside compressed object streams: the open action and additional
    actions of the document and its pages, named JavaScript, and link actions.
    """
    quick = pdf_active_names(content)
    if quick:
        return quick
    try:
        found: str | None = run_limited(
            _pdf_structure_active, content, limits=PDF_CHECK, what="PDF 文件结构"
        )
    except FileRefused:
        return "无法在限定时间内检查的结构"
    return found


def _pdf_structure_active(content: bytes) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        # an untrusted structure: a part of the wrong shape raises, and is caught below
        root: Any = reader.trailer["/Root"].get_object()
        found = _action_in(root.get("/OpenAction"), "打开时执行的动作")
        if found:
            return found
        if "/AA" in root:
            return "文档级自动动作"
        names = root.get("/Names")
        if names is not None and "/JavaScript" in names.get_object():
            return "JavaScript 脚本"
        acroform = root.get("/AcroForm")
        if acroform is not None and "/XFA" in acroform.get_object():
            return "XFA 动态表单"
        for page in reader.pages:
            if "/AA" in page:
                return "页面自动动作"
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                found = _action_in(annot.get("/A"), "链接动作") or (
                    "表单自动动作" if "/AA" in annot else None
                )
                if found:
                    return found
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError, RecursionError):
        return None  # a damaged structure is the reader's business, not an active part
    return None


def _action_in(action: object, label: str) -> str | None:
    if action is None:
        return None
    action = action.get_object() if hasattr(action, "get_object") else action
    if not isinstance(action, dict):
        return None  # a destination (page and zoom), not an action
    kind = str(action.get("/S", ""))
    if kind in _PDF_DANGEROUS_ACTIONS:
        return f"{label}（{kind[1:]}）"
    return _action_in(action.get("/Next"), label)


# the check every upload goes through ------------------------------------------------------------


def _display(name: str) -> str:
    return (name or "未命名文件").replace("\\", "/").rsplit("/", 1)[-1][:100]


def accept(name: str, content: bytes, allowed: Iterable[Sniffed]) -> Sniffed:
    """The kind of ``content`` when it is one of ``allowed`` and carries nothing active;
    ContentRefused (Chinese) otherwise. PDFs are checked for script and launch actions."""
    display = _display(name)
    allowed = tuple(allowed)
    if not content:
        raise ContentRefused(f"文件“{display}”是空文件")
    executable = executable_kind(content)
    if executable:
        raise ContentRefused(f"文件“{display}”实际是{executable}，不允许上传")
    if looks_like_markup(content):
        raise ContentRefused(f"文件“{display}”实际是网页或 XML（可能含脚本），不允许上传")
    kind = sniff(content)
    if kind is None or kind not in allowed:
        labels = "、".join(dict.fromkeys(k.label for k in allowed))
        found = f"（实际为{kind.label}）" if kind is not None else ""
        raise ContentRefused(f"文件“{display}”的内容不是允许的类型{found}（允许{labels}）")
    if kind is PDF:
        active = pdf_active_content(content)
        if active:
            raise ContentRefused(f"PDF 文件“{display}”含有{active}，不允许上传")
    return kind


def matches_extension(name: str, kind: Sniffed) -> bool:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ext in EXTENSIONS.get(kind, ())
