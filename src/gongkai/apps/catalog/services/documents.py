"""The publishing workflow: draft → review (保密审查 + privacy sign-off) → publish →
revise (versions kept) / 废止 / withdraw. Each state change is one block in the shared
transition frame (``gongkai.apps.audit.frame``) over ``gongkai.domain.catalogue``'s table:
locked, checked, the state set from the table, audited."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from django.db import IntegrityError, transaction

from gongkai import clock
from gongkai.apps.accounts.models import user_or_none
from gongkai.apps.accounts.permissions import is_supervisor
from gongkai.apps.audit.frame import Actor, Step, transition
from gongkai.apps.audit.services import audit_record
from gongkai.apps.catalog import privacy_gate
from gongkai.apps.catalog.errors import CatalogValidationError, DocumentStateError
from gongkai.apps.catalog.models import (
    AgencyCatalogSettings,
    Column,
    ColumnKindChoice,
    DisclosureMethod,
    Document,
    DocumentOrigin,
    DocumentState,
    DocumentVersion,
    Genre,
    IndexNoCounter,
    Topic,
    Validity,
)
from gongkai.apps.catalog.permissions import (
    can_edit_for,
    can_publish_for,
    can_review_for,
    can_withdraw_for,
)
from gongkai.apps.catalog.search.indexing import schedule_index
from gongkai.apps.catalog.services.common import AUDIT_FIELDS as DOCUMENT_AUDIT_FIELDS
from gongkai.apps.catalog.services.common import (
    CONTENT_FIELDS,
    add_attachments,
    apply_fields,
    audit_diff,
    audit_view,
    check_ready_for_review,
    clean_fields,
    count_keys,
    counts_apply,
    joint_ids,
    local_date,
    lock,
    require,
    require_state,
    snapshot_document,
)
from gongkai.apps.catalog.services.rendition import rendition_build
from gongkai.domain.catalogue import DOCUMENT_STATES, CatalogAction, PublishingState, sources
from gongkai.domain.indexno import DEFAULT_PATTERN, format_index_no, period_key


def _record(
    actor: Actor,
    action: CatalogAction,
    document: Document,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    **context: Any,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=document,
        agency_id=document.agency_id,
        before=before,
        after=after,
        context=context or None,
    )


def _refuse_state(action: CatalogAction, what: str) -> Any:
    """The check of a step: the document must be in a state the table allows for ``action``
    (the message names the states, as the staff see them)."""

    def check(document: Document) -> None:
        require_state(document, *sources(action), action=what)

    return check


@contextmanager
def _document_transition(
    actor: Actor,
    document: Document,
    action: CatalogAction,
    what: str,
    *,
    fields: tuple[str, ...] = (),
    state_first: bool = False,
) -> Iterator[Step]:
    """The shared frame for one state change of a document. The actor's permission is checked
    by the caller before the input (as the pages ask for it); ``what`` names the step in the
    refusal (“只有待审核状态才能审核通过”)."""
    with transition(
        actor=actor,
        obj=document,
        action=action,
        fields=fields,
        table=DOCUMENT_STATES,
        refuse=DocumentStateError,
        check=_refuse_state(action, what),
        state_first=state_first,
    ) as step:
        yield step


# 索引号 -------------------------------------------------------------------------------------


def index_pattern_for(agency_id: int) -> str:
    setting = AgencyCatalogSettings.objects.filter(agency_id=agency_id).first()
    return setting.index_pattern if setting else DEFAULT_PATTERN


def allocate_index_no(agency: Any, on: dt.date) -> str:
    """Take the next free 索引号 of the agency for the period of ``on`` (row-locked counter;
    numbers already used, e.g. by imported documents, are skipped)."""
    pattern = index_pattern_for(agency.pk)
    period = period_key(pattern, on)
    try:
        with transaction.atomic():
            counter, _ = IndexNoCounter.objects.get_or_create(agency=agency, period=period)
    except IntegrityError:
        pass
    counter = IndexNoCounter.objects.select_for_update().get(agency=agency, period=period)
    while True:
        counter.last_seq += 1
        candidate = format_index_no(
            pattern, prefix=agency.index_prefix, on=on, seq=counter.last_seq
        )
        if not Document.objects.filter(index_no=candidate).exists():
            break
    counter.save(update_fields=["last_seq"])
    return candidate


# drafts -----------------------------------------------------------------------------------


def document_draft_create(
    *,
    actor: Actor,
    agency: Any,
    title: str,
    body_html: str = "",
    attachments: Sequence[tuple[str, bytes]] = (),
    source_note: str = "",
    origin: str | None = None,
    **fields: Any,
) -> Document:
    """A new draft in ``agency``. Other contexts call this too (依申请公开 Art. 44: released
    files become a catalogue draft; ``source_note`` says where they came from)."""
    require(
        can_edit_for(actor, agency.pk), "只有本机关的公开专员、审核人或负责人才能新建主动公开信息"
    )
    if origin is None:
        origin = DocumentOrigin.REQUEST if source_note else DocumentOrigin.BACKOFFICE
    with transaction.atomic():
        cleaned = clean_fields(agency.pk, {"title": title, "body_html": body_html, **fields})
        document = Document(
            agency=agency,
            origin=origin,
            source_note=source_note,
            created_by=user_or_none(actor),
        )
        if origin == DocumentOrigin.REQUEST:
            document.disclosure_method = DisclosureMethod.FROM_REQUEST
        joint = apply_fields(document, cleaned)
        document.save()
        if joint:
            document.joint_agencies.set(joint)
        added = add_attachments(document, attachments)
        _record(
            actor,
            CatalogAction.DRAFT_CREATE,
            document,
            after={
                **audit_view(document, [a.pk for a in joint or []]),
                "attachments": [a.filename for a in added],
                "origin": origin,
            },
        )
    return document


def document_draft_update(
    *,
    actor: Actor,
    document: Document,
    attachments_add: Sequence[tuple[str, bytes]] = (),
    attachments_remove: Sequence[int] = (),
    **changes: Any,
) -> Document:
    """Edit a draft (or a document sent back by the reviewer)."""
    require(can_edit_for(actor, document.agency_id))
    with transaction.atomic():
        doc = lock(document)
        require_state(doc, PublishingState.DRAFT, action="修改")
        before = audit_view(doc, joint_ids(doc))
        cleaned = clean_fields(doc.agency_id, changes, current=doc)
        joint = apply_fields(doc, cleaned)
        doc.save()
        if joint is not None:
            doc.joint_agencies.set(joint)
        removed = list(doc.attachments.filter(pk__in=attachments_remove))
        for attachment in removed:
            attachment.delete()
        added = add_attachments(doc, attachments_add)
        old, new = audit_diff(before, audit_view(doc, joint_ids(doc)))
        if added or removed:
            new["attachments_added"] = [a.filename for a in added]
            new["attachments_removed"] = [a.filename for a in removed]
        if old or new:
            _record(actor, CatalogAction.DRAFT_UPDATE, doc, before=old, after=new)
    return doc


def document_draft_delete(*, actor: Actor, document: Document) -> None:
    """Delete a draft that was never published (published ones are withdrawn, not deleted)."""
    require(can_edit_for(actor, document.agency_id))
    with transaction.atomic():
        doc = lock(document)
        require_state(doc, PublishingState.DRAFT, action="删除")
        if doc.version:
            raise DocumentStateError("已发布过的文件不能删除，只能撤回")
        _record(actor, CatalogAction.DRAFT_DELETE, doc, before=audit_view(doc, joint_ids(doc)))
        for attachment in doc.attachments.all():
            attachment.file.delete(save=False)
        doc.delete()


# review ------------------------------------------------------------------------------------


def document_submit(*, actor: Actor, document: Document) -> Document:
    """Send a draft to review; the privacy review runs now, so the reviewer sees its findings."""
    require(can_edit_for(actor, document.agency_id))
    with _document_transition(actor, document, CatalogAction.SUBMIT, "提交审核") as step:
        doc = step.obj
        check_ready_for_review(doc)
        review = privacy_gate.review_document(actor=actor, document=doc)
        doc.submitted_at = clock.now()
        doc.return_reason = ""
        step.extra["privacy_review"] = getattr(review, "pk", None)
    return doc


def document_return(*, actor: Actor, document: Document, reason: str) -> Document:
    """The reviewer sends a document back to its author with a reason."""
    require(can_review_for(actor, document.agency_id), "只有本机关的审核人或负责人才能退回")
    reason = (reason or "").strip()
    if not reason:
        raise CatalogValidationError({"reason": ["请填写退回理由"]})
    with _document_transition(actor, document, CatalogAction.RETURN, "退回") as step:
        doc = step.obj
        doc.return_reason = reason
        step.extra["reason"] = reason
    return doc


def document_approve(*, actor: Actor, document: Document, secrecy_opinion: str) -> Document:
    """保密审查 passed and the privacy review signed off: the document may be published.

    Raises gongkai.apps.privacy.errors.PrivacyBlocked while findings are unresolved."""
    require(can_review_for(actor, document.agency_id), "只有本机关的审核人或负责人才能审核")
    opinion = (secrecy_opinion or "").strip()
    if not opinion:
        raise CatalogValidationError({"secrecy_opinion": ["请填写保密审查意见"]})
    with _document_transition(actor, document, CatalogAction.APPROVE, "审核通过") as step:
        doc = step.obj
        privacy_gate.assert_publishable(doc)
        rendition_build(doc, actor=actor)  # the reviewer sees at once what cannot be published
        now = clock.now()
        who = user_or_none(actor)
        doc.secrecy_reviewed_by = who
        doc.secrecy_reviewed_at = now
        doc.secrecy_opinion = opinion
        doc.privacy_signed_by = who
        doc.privacy_signed_at = now
        step.extra.update(secrecy_opinion=opinion, privacy_signed=True)
    return doc


# publication -------------------------------------------------------------------------------


def publish_locked(doc: Document, when: dt.datetime, *, actor: Actor | None = None) -> None:
    """Give a locked document that is being published its 索引号 and publication date, its
    published rendition (ADR 0032: what the privacy review's decisions make of it) and count
    it."""
    rendition_build(doc, actor=actor)
    if not doc.index_no:
        doc.index_no = allocate_index_no(doc.agency, local_date(when))
    doc.published_at = doc.published_at or when
    doc.version = max(doc.version, 1)
    doc.withdrawn_at = None
    doc.withdraw_reason = ""
    doc.save()
    counts_apply(count_keys([doc], {doc.pk: joint_ids(doc)}))
    schedule_index([doc.pk])


def _publishing(actor: Actor, document: Document) -> AbstractContextManager[Step]:
    """The table's 发布 step (待发布 → 已发布), the state set first: a document is published
    before it is counted and indexed."""
    return _document_transition(
        actor,
        document,
        CatalogAction.PUBLISH,
        "发布",
        fields=DOCUMENT_AUDIT_FIELDS,
        state_first=True,
    )


def document_publish(*, actor: Actor, document: Document) -> Document:
    """Publish an approved document on the portal: 索引号, 发布日期, counters, search index."""
    require(can_publish_for(actor, document.agency_id), "只有本机关的工作人员才能发布")
    with _publishing(actor, document) as step:
        doc = step.obj
        privacy_gate.assert_publishable(doc)
        publish_locked(doc, clock.now(), actor=actor)
    return doc


def _revise_locked(
    actor: Actor,
    doc: Document,
    *,
    reason: str,
    changes: dict[str, Any],
    attachments_add: Sequence[tuple[str, bytes]] = (),
    attachments_remove: Sequence[int] = (),
    action: CatalogAction = CatalogAction.REVISE,
) -> Document:
    reason = (reason or "").strip()
    if not reason:
        raise CatalogValidationError({"reason": ["修改已发布的文件须填写修改理由"]})
    require_state(doc, *sources(action), action="修改")  # published (the table's rows)
    old_joint = joint_ids(doc)
    before = audit_view(doc, old_joint)
    old_keys = count_keys([doc], {doc.pk: old_joint})
    snapshot = snapshot_document(doc)
    cleaned = clean_fields(doc.agency_id, changes, current=doc)
    values: dict[str, Any] = dict(cleaned)
    content_changed = any(k in values and values[k] != getattr(doc, k) for k in CONTENT_FIELDS)
    joint = apply_fields(doc, cleaned)
    removed = list(doc.attachments.filter(pk__in=attachments_remove))
    after_view = audit_view(doc, [a.pk for a in joint] if joint is not None else old_joint)
    old, new = audit_diff(before, after_view)
    if not old and not new and not removed and not attachments_add:
        raise CatalogValidationError("没有修改任何内容")
    DocumentVersion.objects.create(
        document=doc,
        version=doc.version,
        snapshot=snapshot,
        reason=reason,
        created_by=user_or_none(actor),
    )
    doc.version += 1
    doc.save()
    if joint is not None:
        doc.joint_agencies.set(joint)
    for attachment in removed:
        attachment.delete()  # the file stays: the kept version still lists it
    added = add_attachments(doc, attachments_add)
    if content_changed or added or removed:
        privacy_gate.review_document(actor=actor, document=doc)
        privacy_gate.assert_publishable(doc)
        rendition_build(doc, actor=actor)
    delta = count_keys([doc], {doc.pk: joint_ids(doc)})
    delta.subtract(old_keys)
    counts_apply(delta)
    schedule_index([doc.pk])
    new["version"] = doc.version
    if added or removed:
        new["attachments_added"] = [a.filename for a in added]
        new["attachments_removed"] = [a.filename for a in removed]
    _record(actor, action, doc, before=old, after=new, reason=reason)
    return doc


def document_revise(
    *,
    actor: Actor,
    document: Document,
    reason: str,
    attachments_add: Sequence[tuple[str, bytes]] = (),
    attachments_remove: Sequence[int] = (),
    **changes: Any,
) -> Document:
    """Edit a published document; the version it replaces is kept with the reason.

    Changed text or files go through the privacy review again (PrivacyBlocked undoes all)."""
    require(can_publish_for(actor, document.agency_id), "只有本机关的工作人员才能修改已发布的文件")
    with transaction.atomic():
        doc = lock(document)
        return _revise_locked(
            actor,
            doc,
            reason=reason,
            changes=changes,
            attachments_add=attachments_add,
            attachments_remove=attachments_remove,
        )


def document_validity_set(
    *,
    actor: Actor,
    document: Document,
    validity: str,
    on: dt.date | None,
    superseded_by: Document | None = None,
    reason: str,
) -> Document:
    """Mark a published document 失效 or 废止 (or 有效 again) with the date and, where there
    is one, the document that replaces it. Kept as a new version."""
    require(can_review_for(actor, document.agency_id), "只有本机关的审核人或负责人才能变更有效性")
    changes: dict[str, Any] = {
        "validity": validity,
        "validity_on": on if validity != Validity.VALID else None,
        "superseded_by": superseded_by,
    }
    with transaction.atomic():
        doc = lock(document)
        return _revise_locked(
            actor, doc, reason=reason, changes=changes, action=CatalogAction.VALIDITY_SET
        )


def document_withdraw(*, actor: Actor, document: Document, reason: str) -> Document:
    """Take a published document off the portal (it stays in the back office with the reason)."""
    require(can_withdraw_for(actor, document.agency_id), "只有本机关的审核人或负责人才能撤回")
    reason = (reason or "").strip()
    if not reason:
        raise CatalogValidationError({"reason": ["请填写撤回理由"]})
    with _document_transition(actor, document, CatalogAction.WITHDRAW, "撤回") as step:
        doc = step.obj
        keys = count_keys([doc], {doc.pk: joint_ids(doc)})  # counted while still published
        doc.withdrawn_at = clock.now()
        doc.withdraw_reason = reason
        counts_apply(Counter({k: -v for k, v in keys.items()}))
        schedule_index([doc.pk])
        step.extra["reason"] = reason
    return doc


def document_republish(*, actor: Actor, document: Document, reason: str) -> Document:
    """Put a withdrawn document back on the portal; the privacy review looks at it again
    (a document is often withdrawn because of what it disclosed)."""
    require(can_review_for(actor, document.agency_id), "只有本机关的审核人或负责人才能重新发布")
    reason = (reason or "").strip()
    if not reason:
        raise CatalogValidationError({"reason": ["请填写重新发布的理由"]})
    with _document_transition(
        actor,
        document,
        CatalogAction.REPUBLISH,
        "重新发布",
        state_first=True,  # published again before it is counted and indexed
    ) as step:
        doc = step.obj
        privacy_gate.review_document(actor=actor, document=doc)
        privacy_gate.assert_publishable(doc)
        rendition_build(doc, actor=actor)
        doc.withdrawn_at = None
        counts_apply(count_keys([doc], {doc.pk: joint_ids(doc)}))
        schedule_index([doc.pk])
        step.extra["reason"] = reason
    return doc


# the annual report, filed by the reporting context -------------------------------------------


def _annual_report_column() -> Column:
    column = (
        Column.objects.filter(kind=ColumnKindChoice.ANNUAL_REPORT, is_active=True)
        .order_by("sort_order", "id")
        .first()
    )
    if column is None:
        raise CatalogValidationError("没有启用的“政府信息公开年报”栏目，请管理员先在栏目设置中启用")
    return column


def document_publish_annual_report(
    *,
    actor: Actor,
    agency: Any,
    year: int,
    title: str,
    body_html: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    published_at: dt.datetime | None = None,
) -> Document:
    """File a published annual report (条例第四十九条) in the 政府信息公开年报 column.

    The report still passes the privacy review: when it finds something, the report stays
    as a document awaiting review (resolve the findings, then publish it in the catalogue)
    and PrivacyBlocked is raised. Publishing the same agency and year again replaces the
    report as a new version, keeping the old one."""
    require(
        can_publish_for(actor, agency.pk) or is_supervisor(actor),
        "只有本机关工作人员或市公开办才能发布年度报告",
    )
    column = _annual_report_column()
    key = f"annual-report-{year}"
    genre = Genre.objects.filter(name="报告").first()
    topic = Topic.objects.filter(path="综合政务\\政务公开").first()
    fields = {
        "title": title,
        "body_html": body_html,
        "column": column,
        "genre": genre,
        "topic": topic,
        "written_on": local_date(published_at) if published_at else clock.today(),
        "keywords": f"政府信息公开 年度报告 {year}",
        "summary": f"{agency.name}{year}年政府信息公开工作年度报告。",
    }
    with transaction.atomic():
        existing = (
            Document.objects.select_for_update()
            .filter(agency=agency, external_id=key, origin=DocumentOrigin.REPORT)
            .first()
        )
        if existing is not None and existing.state == DocumentState.PUBLISHED:
            fields.pop("written_on")
            return _revise_locked(
                actor,
                existing,
                reason=f"重新发布{year}年度报告",
                changes=fields,
                attachments_add=attachments,
                attachments_remove=list(existing.attachments.values_list("pk", flat=True)),
            )
        if existing is None:
            existing = Document(agency=agency, origin=DocumentOrigin.REPORT, external_id=key)
            apply_fields(existing, clean_fields(agency.pk, fields))
        else:  # an earlier attempt is waiting for review (or was withdrawn): take the new text
            for attachment in existing.attachments.all():
                attachment.delete()
            apply_fields(existing, clean_fields(agency.pk, fields, current=existing))
        existing.save()
        add_attachments(existing, attachments)
        privacy_gate.review_document(actor=actor, document=existing)
        with _document_transition(
            actor,
            existing,
            CatalogAction.ANNUAL_REPORT_FILE,
            "归档年度报告",
            fields=DOCUMENT_AUDIT_FIELDS,
        ) as step:
            existing = step.obj
            existing.submitted_at = clock.now()
            step.extra["year"] = year
    # filed by the reporting context, which decided the publication: the table's own steps,
    # 待审核 → 待发布 → 已发布, each audited like any other publication (one transaction)
    now = published_at or clock.now()  # a report published before the platform keeps its date
    with transaction.atomic():
        with _document_transition(actor, existing, CatalogAction.APPROVE, "审核通过") as step:
            doc = step.obj
            privacy_gate.assert_publishable(doc)
            doc.secrecy_opinion = "年度报告由本机关按条例第四十九条、第五十条编制发布"
            doc.secrecy_reviewed_at = doc.privacy_signed_at = now
            if (user := user_or_none(actor)) is not None:
                doc.secrecy_reviewed_by = doc.privacy_signed_by = user
            step.extra.update(secrecy_opinion=doc.secrecy_opinion, privacy_signed=True, year=year)
        with _publishing(actor, doc) as step:
            doc = step.obj
            publish_locked(doc, now, actor=actor)
            step.extra["year"] = year
    return doc
