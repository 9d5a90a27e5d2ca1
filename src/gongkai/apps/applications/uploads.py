"""Uploaded files are accepted by what they contain, not by what they are called.

Scans of letters and envelopes (PDF, JPEG, PNG, TIFF, OFD), office documents (DOCX, XLSX,
legacy DOC/XLS) and plain text are accepted; anything else — executables, HTML, archives
pretending to be documents — is refused with a Chinese message. Sizes are limited by
``GONGKAI_UPLOAD_MAX_BYTES``.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

from gongkai.apps.applications.errors import UploadRejected

MAX_FILES_PER_UPLOAD = 10


@dataclass(frozen=True)
class Sniffed:
    extension: str
    content_type: str
    label: str


def _zip_kind(content: bytes) -> Sniffed | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "word/document.xml" in names:
        return Sniffed(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word 文档",
        )
    if "xl/workbook.xml" in names:
        return Sniffed(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel 表格",
        )
    if "OFD.xml" in names:
        return Sniffed("ofd", "application/ofd", "OFD 版式文件")
    return None


def _is_text(content: bytes) -> bool:
    if b"\x00" in content[:8192]:
        return False
    head = content[:4096].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml")):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def sniff(content: bytes) -> Sniffed | None:
    """What the bytes are, or None when they are not an accepted kind."""
    if content.startswith(b"%PDF-"):
        return Sniffed("pdf", "application/pdf", "PDF")
    if content.startswith(b"\xff\xd8\xff"):
        return Sniffed("jpg", "image/jpeg", "JPEG 图片")
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("png", "image/png", "PNG 图片")
    if content.startswith((b"II*\x00", b"MM\x00*")):
        return Sniffed("tif", "image/tiff", "TIFF 扫描件")
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Sniffed("doc", "application/msword", "Word 97-2003 文档")
    if _is_text(content):
        return Sniffed("txt", "text/plain; charset=utf-8", "文本")
    return None


def check_upload(name: str, content: bytes) -> Sniffed:
    """Validate one file; raise UploadRejected (Chinese) when size or content is not allowed."""
    limit = settings.GONGKAI_UPLOAD_MAX_BYTES
    display = (name or "未命名文件")[:100]
    if not content:
        raise UploadRejected(f"文件“{display}”是空文件")
    if len(content) > limit:
        raise UploadRejected(
            f"文件“{display}”大小为{len(content) / 1048576:.1f}MB，超过{limit // 1048576}MB的上限"
        )
    kind = sniff(content)
    if kind is None:
        raise UploadRejected(
            f"文件“{display}”的内容不是允许的类型（允许PDF、JPEG、PNG、TIFF、OFD、Word、Excel和纯文本）"
        )
    return kind


def safe_name(name: str, sniffed: Sniffed) -> str:
    """A display name without path parts whose extension matches the content."""
    base = (name or "附件").replace("\\", "/").rsplit("/", 1)[-1].strip() or "附件"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem[:80]}.{sniffed.extension}"
