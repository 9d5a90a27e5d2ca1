"""The published rendition: what a review's decisions make of a text or a file (ADR 0032).

Every context that publishes or releases something asks here for the public form of each
source the review read, and stores that form beside the original. Nothing else leaves the
back office.

- Texts: every finding the review masked (or that reaches the threshold without an
  override) is replaced by its masked form.
- DOCX, XLSX, HTML, TXT, CSV: the file is rewritten in its own format with the values
  replaced (runs, cells and markup kept). A text PDF with something to mask is rendered
  again from its masked text, so its text layer never carries the value.
- Images and PDF pages without a text layer cannot be masked: they are published as they
  are only when a reviewer looked and recorded an override with a reason; otherwise the
  rendition is refused (``RenditionBlocked``) and publication stops with the reason.
- A file that cannot be read or rewritten is never published as it is.
- Each rewritten file is read again and scanned: a value the review asked to mask that is
  still in it refuses the rendition.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Any

from gongkai.apps.privacy.errors import PrivacyBlocked
from gongkai.apps.privacy.models import FindingStatus, PrivacyReview
from gongkai.apps.privacy.selectors import privacy_review_latest
from gongkai.apps.privacy.services import MaskDecider, mask_decider, value_digest
from gongkai.documents.extract import (
    IMAGE_EXTENSIONS,
    ExtractionError,
    TextBlock,
    extract_document,
    file_extension,
)
from gongkai.documents.mask import mask_file, mask_plain_text
from gongkai.domain.privacy import Kind

REWRITABLE = (".docx", ".xlsx", ".xlsm", ".html", ".htm", ".shtml", ".txt", ".csv", ".pdf")


class RenditionBlocked(PrivacyBlocked):
    """A source has no public form yet: the message says why and what the reviewer can do."""


@dataclass(frozen=True)
class RenderedFile:
    filename: str
    content: bytes
    text: str  # the text of ``content`` (what the search index may hold)
    content_type: str
    note: str  # what the rendition did, for the back office
    rewritten: bool


def _overridden(review: PrivacyReview | None, key: str) -> str | None:
    """The override reason a reviewer gave for an unreadable file or page, if any."""
    if review is None:
        return None
    row = (
        review.findings.filter(
            kind=Kind.UNREADABLE.value,
            digest=value_digest(Kind.UNREADABLE, key),
            status=FindingStatus.OVERRIDDEN,
        )
        .values_list("override_reason", flat=True)
        .first()
    )
    return row


def _pending(decider: MaskDecider, blocks: list[TextBlock]) -> int:
    return sum(len(edits) for edits in decider(blocks))


def privacy_render_text(text: str, *, review: PrivacyReview | None) -> str:
    """The public form of a text (title, summary, plain body)."""
    if not text:
        return text
    return mask_plain_text(text, mask_decider(review))


def privacy_render_html(body_html: str, *, review: PrivacyReview | None) -> str:
    """The public form of rich text: text nodes masked, markup kept."""
    if not body_html:
        return body_html
    decider = mask_decider(review)
    out = mask_file("body.html", body_html.encode("utf-8"), decider)
    return out.decode("utf-8")


def privacy_render_file(
    filename: str, content: bytes, *, review: PrivacyReview | None
) -> RenderedFile:
    """The public form of a file, or RenditionBlocked with the reason in Chinese."""
    decider = mask_decider(review)
    ext = file_extension(filename)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if ext in IMAGE_EXTENSIONS:
        reason = _overridden(review, filename)
        if reason is None:
            raise RenditionBlocked(
                f"附件“{filename}”是图片，无法自动遮盖其中的个人信息：请换成已遮盖的文件，"
                "或由审核人核对原件后说明理由放行"
            )
        return RenderedFile(
            filename, content, "", content_type, f"图片经审核人核对后放行：{reason}", False
        )
    if ext not in REWRITABLE:
        raise RenditionBlocked(
            f"附件“{filename}”的格式无法读取和遮盖，不能公开：请换成 DOCX、XLSX、PDF 等可读取的文件"
        )
    try:
        extraction = extract_document(filename, content)
    except ExtractionError as exc:
        raise RenditionBlocked(
            f"附件“{filename}”无法读取，不能按原样公开：{exc}。请更换文件后重新提交审查"
        ) from exc
    pending = _pending(decider, list(extraction.blocks))
    if extraction.pages_without_text:
        missing = [
            page
            for page in extraction.pages_without_text
            if _overridden(review, f"{filename}#{page}") is None
        ]
        if missing:
            pages = "、".join(f"第{p}页" for p in missing)
            raise RenditionBlocked(
                f"附件“{filename}”的{pages}没有文字层（扫描件），无法自动遮盖：请换成已遮盖的文件，"
                "或由审核人逐页核对后说明理由放行"
            )
        if pending:
            raise RenditionBlocked(
                f"附件“{filename}”既有扫描页又有须遮盖的文字，重新生成会丢失扫描页：请换成已遮盖的文件"
            )
        text = "\n".join(b.text for b in extraction.blocks)
        return RenderedFile(
            filename, content, text, content_type, "扫描页经审核人核对后放行，文字无须遮盖", False
        )
    if not pending:
        text = "\n".join(b.text for b in extraction.blocks)
        return RenderedFile(filename, content, text, content_type, "无须遮盖，按原文件公开", False)
    try:
        masked = mask_file(filename, content, decider)
        check = extract_document(filename, masked)
    except Exception as exc:
        raise RenditionBlocked(
            f"附件“{filename}”无法改写为遮盖后的文件（{type(exc).__name__}），不能公开：请更换文件"
        ) from exc
    left = _pending(decider, list(check.blocks))
    if left:
        raise RenditionBlocked(
            f"附件“{filename}”遮盖后仍检出 {left} 处须遮盖的个人信息（可能在页眉、批注或文本框中），"
            "不能公开：请换成已遮盖的文件"
        )
    note = f"已遮盖 {pending} 处个人信息"
    if ext == ".pdf":
        note += "（按遮盖后的文字重新生成 PDF，原版式未保留）"
    text = "\n".join(b.text for b in check.blocks)
    return RenderedFile(filename, masked, text, content_type, note, True)


def privacy_review_for(target: Any) -> PrivacyReview | None:
    return privacy_review_latest(target)
