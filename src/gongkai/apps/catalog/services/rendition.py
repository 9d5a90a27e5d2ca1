"""The published rendition of a document (ADR 0032): built from the current privacy review
at approval and publication, rebuilt after every later decision on that review.

The rendition is the only form the public receives: ``PublicDocument`` reads the public_*
columns written here and ``PublishedFile`` rows hold the files. A source that has no public
form (an image nobody let through, a file that cannot be read or rewritten) refuses the
whole rendition, so a document is never published with an original in it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from gongkai import clock
from gongkai.apps.audit.frame import Actor, transition
from gongkai.apps.audit.services import audit_record
from gongkai.apps.catalog import privacy_gate
from gongkai.apps.catalog.errors import DocumentStateError
from gongkai.apps.catalog.models import Document, DocumentState, PublishedFile
from gongkai.apps.catalog.search.indexing import schedule_index
from gongkai.apps.catalog.services.common import count_keys, counts_apply, joint_ids
from gongkai.domain.catalogue import DOCUMENT_STATES, CatalogAction

RENDITION_FIELDS = (
    "public_title",
    "public_summary",
    "public_body_html",
    "public_body_text",
    "rendition_review_id",
    "rendered_at",
)


def rendition_build(
    doc: Document,
    *,
    actor: Actor | None = None,
    review: Any = None,
    unreviewed: bool = False,
    audit: bool = True,
) -> list[str]:
    """Replace ``doc``'s rendition from its current review (call with the row locked).

    ``unreviewed`` (documents loaded as already published: the demo, ``catalog renditions``
    after an upgrade) masks every finding at the threshold, as a review nobody touched would.
    Raises the privacy app's RenditionBlocked, naming the file and the reason, before
    anything is changed. Returns the notes of what was done to each file."""
    review = review if review is not None else privacy_gate.latest_review(doc)
    if review is None and not unreviewed:
        raise privacy_gate.blocked_error()(f"“{doc.title}”尚未进行隐私审查，不能公开")
    title = privacy_gate.render_text(doc.title, review)
    summary = privacy_gate.render_text(doc.summary, review)
    body_html = privacy_gate.render_html(doc.body_html, review)
    body_text = privacy_gate.render_text(doc.body_text, review)
    rendered = []
    for attachment in doc.attachments.all():
        with attachment.file.open("rb") as handle:
            content = handle.read()
        rendered.append(
            (attachment, privacy_gate.render_file(attachment.filename, content, review))
        )
    old = list(PublishedFile.objects.filter(document=doc))
    old_names = [row.file.name for row in old]
    PublishedFile.objects.filter(pk__in=[row.pk for row in old]).delete()
    notes = []
    for attachment, out in rendered:
        row = PublishedFile(
            document=doc,
            attachment_id=attachment.pk,
            filename=attachment.filename,
            size=len(out.content),
            sha256=hashlib.sha256(out.content).hexdigest(),
            content_type=out.content_type,
            text=out.text,
            note=out.note[:300],
            sort_order=attachment.sort_order,
        )
        row.file.save(
            f"p{attachment.pk}.{attachment.extension.lower() or 'bin'}",
            ContentFile(out.content),
            save=False,
        )
        row.save()
        notes.append(f"{attachment.filename}：{out.note}")
    storage = PublishedFile._meta.get_field("file").storage

    def delete_old_files() -> None:
        for name in old_names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete_old_files)
    doc.public_title = title
    doc.public_summary = summary
    doc.public_body_html = body_html
    doc.public_body_text = body_text
    doc.rendition_review_id = getattr(review, "pk", None)
    doc.rendered_at = clock.now()
    # a save, not an update(): its signal makes the cached public pages of the document stale
    doc.save(update_fields=list(RENDITION_FIELDS))
    if audit:
        audit_record(
            actor=actor,
            action=CatalogAction.RENDER,
            obj=doc,
            agency_id=doc.agency_id,
            after={"privacy_review": getattr(review, "pk", None), "files": notes},
        )
    return notes


def rendition_refresh(actor: Actor, object_id: str) -> None:
    """A decision on the document's review changed: rebuild what the public receives and
    re-index it. A published document whose rendition can no longer be made (an override
    on an image was replaced by a mask) comes off the portal with the reason."""
    doc = Document.objects.select_for_update().filter(pk=object_id).first()
    if doc is None or doc.state not in (DocumentState.APPROVED, DocumentState.PUBLISHED):
        return
    try:
        rendition_build(doc, actor=actor)
    except privacy_gate.rendition_blocked_error() as exc:
        if doc.state != DocumentState.PUBLISHED:
            return
        from collections import Counter

        with transition(
            actor=actor,
            obj=doc,
            action=CatalogAction.WITHDRAW,
            fields=(),
            table=DOCUMENT_STATES,
            refuse=DocumentStateError,
        ) as step:
            doc = step.obj
            keys = count_keys([doc], {doc.pk: joint_ids(doc)})  # counted while still published
            doc.withdrawn_at = clock.now()
            doc.withdraw_reason = f"隐私审查变更后无法生成公开版本：{exc}"[:2000]
            counts_apply(Counter({k: -v for k, v in keys.items()}))
            step.extra["reason"] = doc.withdraw_reason
    if doc.state in (DocumentState.PUBLISHED, DocumentState.WITHDRAWN):
        doc.save(update_fields=["updated_at"])
        schedule_index([doc.pk])


def renditions_rebuild(
    *, actor: Actor, ids: list[int] | None = None, audit_each: bool = True
) -> dict[str, int]:
    """Rebuild the rendition of published documents (all, or ``ids``); a document whose
    rendition cannot be made is reported, not published with its original. Returns counts."""
    qs = Document.objects.filter(state=DocumentState.PUBLISHED).order_by("pk")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    done = blocked = 0
    for pk in qs.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            doc = Document.objects.select_for_update().get(pk=pk)
            try:
                rendition_build(doc, actor=actor, unreviewed=True, audit=audit_each)
                done += 1
            except privacy_gate.rendition_blocked_error():
                rendition_refresh(actor, str(pk))  # takes it off the portal with the reason
                blocked += 1
    audit_record(
        actor=actor,
        action=CatalogAction.RENDITIONS_REBUILD,
        after={"rendered": done, "blocked": blocked, "ids": len(ids) if ids else None},
    )
    return {"rendered": done, "blocked": blocked}
