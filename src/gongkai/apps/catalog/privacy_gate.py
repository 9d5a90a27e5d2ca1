"""The catalogue's calls into the privacy review (issue 7), in one place."""

from __future__ import annotations

from typing import Any

from gongkai.apps.audit.actors import Actor
from gongkai.apps.privacy.errors import PrivacyBlocked
from gongkai.apps.privacy.rendition import (
    RenditionBlocked,
    privacy_render_file,
    privacy_render_html,
    privacy_render_text,
)
from gongkai.apps.privacy.selectors import privacy_review_latest
from gongkai.apps.privacy.services import (
    ReviewSource,
    privacy_assert_publishable,
    privacy_review,
    register_rendition_refresh,
)


def review_document(*, actor: Actor, document: Any) -> Any:
    """Run the privacy review on the body and every attachment; returns the review."""
    sources = [ReviewSource("标题", text=document.title)]
    if document.summary:
        sources.append(ReviewSource("内容概述", text=document.summary))
    if document.body_text:
        sources.append(ReviewSource("正文", text=document.body_text))
    for attachment in document.attachments.all():
        with attachment.file.open("rb") as fh:
            content = fh.read()
        sources.append(
            ReviewSource(
                f"附件：{attachment.filename}",
                filename=attachment.filename,
                content=content,
                recognised={int(page): text for page, text in attachment.ocr_text.items()},
            )
        )
    return privacy_review(
        actor=actor, target=document, agency_id=document.agency_id, sources=sources
    )


def assert_publishable(document: Any) -> None:
    """Raise gongkai.apps.privacy.errors.PrivacyBlocked when findings are unresolved."""
    privacy_assert_publishable(document)


def blocked_error() -> type[Exception]:
    return PrivacyBlocked


def latest_review(document: Any) -> Any:
    return privacy_review_latest(document)


def rendition_blocked_error() -> type[Exception]:
    return RenditionBlocked


def render_text(text: str, review: Any) -> str:
    return privacy_render_text(text, review=review)


def render_html(body_html: str, review: Any) -> str:
    return privacy_render_html(body_html, review=review)


def render_file(filename: str, content: bytes, review: Any) -> Any:
    """The public form of an attachment (RenderedFile) or RenditionBlocked with the reason."""
    return privacy_render_file(filename, content, review=review)


def register_refresh(refresh: Any) -> None:
    register_rendition_refresh("catalog.document", refresh)
