"""Uploaded files are accepted by what they contain, not by what they are called.

Scans of letters and envelopes (PDF, JPEG, PNG, TIFF, OFD), office documents (DOCX, XLSX,
legacy DOC/XLS) and plain text are accepted; anything else — executables, HTML, archives
pretending to be documents, PDFs that run script — is refused with a Chinese message
(``gongkai.documents.sniff``). Sizes are limited by ``GONGKAI_UPLOAD_MAX_BYTES``.
"""

from __future__ import annotations

from django.conf import settings

from gongkai.apps.applications.errors import UploadRejected
from gongkai.documents import sniff
from gongkai.documents.sniff import ContentRefused, Sniffed

MAX_FILES_PER_UPLOAD = 10


ACCEPTED = (
    sniff.PDF,
    sniff.JPEG,
    sniff.PNG,
    sniff.TIFF,
    sniff.OFD,
    sniff.DOCX,
    sniff.XLSX,
    sniff.OLE,
    sniff.TEXT,
)


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
    try:
        return sniff.accept(display, content, ACCEPTED)
    except ContentRefused as exc:
        raise UploadRejected(str(exc)) from exc


def safe_name(name: str, sniffed: Sniffed) -> str:
    """A display name without path parts whose extension matches the content."""
    base = (name or "附件").replace("\\", "/").rsplit("/", 1)[-1].strip() or "附件"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem[:80]}.{sniffed.extension}"
