"""Publishing answered letters in the public mailbox column, only with the writer's consent.

Two steps, so staff see exactly what will be public: *prepare* makes the masked copy (personal
data masked by the privacy context) and records a privacy review of it; *publish* checks the
review has no unresolved findings and copies the masked texts into ``PublicLetter``. Staff may
edit the masked copy (each edit is reviewed again) or refuse publication with a reason.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from gongkai import clock
from gongkai.apps.audit.frame import Actor
from gongkai.apps.mailbox import integration, permissions
from gongkai.apps.mailbox.errors import LetterStateError, MailboxError, PublicationBlocked
from gongkai.apps.mailbox.models import (
    Letter,
    LetterEventKind,
    LetterStatus,
    PublicLetter,
    PublishStatus,
)
from gongkai.apps.mailbox.selectors import PUBLIC_COUNT_VERSION_KEY
from gongkai.apps.mailbox.services.letters import (
    audit_letter,
    letter_snapshot,
    lock_letter,
    record_event,
    require,
)
from gongkai.domain.mailbox import LetterAction, mask_known_values


def _bump() -> None:
    try:
        cache.incr(PUBLIC_COUNT_VERSION_KEY)
    except ValueError:
        cache.set(PUBLIC_COUNT_VERSION_KEY, 1, timeout=None)


def bump_public_version() -> None:
    """Public counts are cached per version; publishing or withdrawing starts a new version.

    Bumped now and again after commit, so a count read while the change was not yet
    visible is not kept."""
    _bump()
    transaction.on_commit(_bump)


def writer_details(letter: Letter) -> list[str]:
    """What the mailbox itself knows about the writer and must never publish."""
    return [
        letter.writer_name,
        letter.writer_phone,
        letter.writer_email,
        letter.writer_address,
        letter.writer_id_number,
    ]


def publication_texts(letter: Letter) -> list[tuple[str, str]]:
    return [
        ("公开标题", letter.public_subject),
        ("公开来信", letter.public_content),
        ("公开答复", letter.public_reply),
    ]


def letter_publication_prepare(
    *,
    actor: Actor,
    letter: Letter,
    subject: str | None = None,
    content: str | None = None,
    reply: str | None = None,
) -> Letter:
    """Make (or remake, after staff edits) the masked copy and review it for personal data."""
    with transaction.atomic():
        letter = lock_letter(letter)
        require(permissions.can_publish(actor, letter), "只有承办机关的工作人员可以发布该信件")
        if not letter.consent_publish:
            raise LetterStateError("写信人未同意公开，不能发布")
        if letter.publish_status == PublishStatus.PUBLISHED:
            raise LetterStateError("该信件已公开")
        before = letter_snapshot(letter)

        def masked(edited: str | None, original: str) -> str:
            text = edited.strip() if edited is not None else integration.mask_text(original)
            return mask_known_values(text, writer_details(letter))

        letter.public_subject = masked(subject, letter.subject)[:200]
        letter.public_content = masked(content, letter.content)
        letter.public_reply = masked(reply, letter.reply)
        if not (letter.public_subject and letter.public_content and letter.public_reply):
            raise MailboxError("公开稿的标题、来信和答复都不能为空")
        letter.public_prepared_at = clock.now()
        letter.publish_status = PublishStatus.PENDING
        letter.publish_refused_reason = ""
        letter.save()
        integration.privacy_review_texts(
            actor=actor, target=letter, agency_id=letter.agency_id, texts=publication_texts(letter)
        )
        edited = any(v is not None for v in (subject, content, reply))
        record_event(
            letter, LetterEventKind.PUBLISH_PREPARE, actor, note="人工修改公开稿" if edited else ""
        )
        audit_letter(actor, LetterAction.PUBLICATION_PREPARE, letter, before, edited=edited)
    return letter


def letter_publish(*, actor: Actor, letter: Letter) -> PublicLetter:
    with transaction.atomic():
        letter = lock_letter(letter)
        require(permissions.can_publish(actor, letter), "只有承办机关的工作人员可以发布该信件")
        if not letter.consent_publish:
            raise LetterStateError("写信人未同意公开，不能发布")
        if letter.publish_status == PublishStatus.PUBLISHED:
            raise LetterStateError("该信件已公开")
        if letter.public_prepared_at is None:
            raise LetterStateError("请先生成公开稿并完成隐私审查")
        reason = integration.privacy_blocking_reason(letter, publication_texts(letter))
        if reason:
            raise PublicationBlocked(reason)
        assert letter.replied_on is not None  # a public copy has a reply, so a reply date
        before = letter_snapshot(letter)
        now = clock.now()
        # findings staff marked masked in the privacy review are masked in what goes public
        letter.public_subject = integration.mask_text(letter.public_subject, target=letter)[:200]
        letter.public_content = integration.mask_text(letter.public_content, target=letter)
        letter.public_reply = integration.mask_text(letter.public_reply, target=letter)
        public = PublicLetter.objects.create(
            letter=letter,
            number=letter.number,
            category=letter.category,
            agency=letter.agency,
            source=letter.source,
            subject=letter.public_subject,
            content=letter.public_content,
            reply=letter.public_reply,
            received_on=letter.received_on,
            replied_on=letter.replied_on,
            published_at=now,
        )
        letter.publish_status = PublishStatus.PUBLISHED
        letter.save()
        record_event(letter, LetterEventKind.PUBLISH, actor, at=now)
        audit_letter(actor, LetterAction.PUBLISH, letter, before)
        bump_public_version()
    return public


def public_letter_refresh(actor: Actor, object_id: str) -> None:
    """A decision on a published letter's privacy review changed (a value masked after it was
    let through): the public copy follows at once, in the decision's transaction (ADR 0033)."""
    public = PublicLetter.objects.select_for_update().filter(letter_id=object_id).first()
    if public is None:
        return
    letter = Letter.objects.get(pk=object_id)
    before = {"subject": public.subject, "content": public.content, "reply": public.reply}
    public.subject = integration.mask_text(public.subject, target=letter)[:200]
    public.content = integration.mask_text(public.content, target=letter)
    public.reply = integration.mask_text(public.reply, target=letter)
    after = {"subject": public.subject, "content": public.content, "reply": public.reply}
    if after == before:
        return
    public.save(update_fields=["subject", "content", "reply"])
    letter.public_subject, letter.public_content = public.subject, public.content
    letter.public_reply = public.reply
    letter.save(update_fields=["public_subject", "public_content", "public_reply"])
    audit_letter(actor, LetterAction.PUBLIC_REFRESH, letter, None, reason="隐私审查决定变更")
    bump_public_version()


def letter_publication_refuse(*, actor: Actor, letter: Letter, reason: str) -> Letter:
    """Staff decide a consented letter is not published (e.g. it concerns a third party)."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise MailboxError("请说明不予公开的理由（至少 4 个字）", field="reason")
    with transaction.atomic():
        letter = lock_letter(letter)
        require(permissions.can_publish(actor, letter), "只有承办机关的工作人员可以决定是否公开")
        if letter.status != LetterStatus.ANSWERED or not letter.consent_publish:
            raise LetterStateError("该信件不在待发布状态")
        before = letter_snapshot(letter)
        was_published = PublicLetter.objects.filter(letter=letter).delete()[0] > 0
        letter.publish_status = PublishStatus.REFUSED
        letter.publish_refused_reason = reason[:300]
        letter.save()
        kind = LetterEventKind.UNPUBLISH if was_published else LetterEventKind.PUBLISH_REFUSE
        record_event(letter, kind, actor, note=reason)
        audit_letter(
            actor,
            LetterAction.UNPUBLISH if was_published else LetterAction.PUBLICATION_REFUSE,
            letter,
            before,
            reason=reason,
        )
        if was_published:
            bump_public_version()
    return letter


# the writer withdraws consent ------------------------------------------------------------------


def letter_consent_withdraw(*, letter: Letter, actor: Actor | None = None) -> Letter:
    """The writer withdraws consent to publication; a published copy is taken down."""
    with transaction.atomic():
        letter = lock_letter(letter)
        if not letter.consent_publish:
            raise LetterStateError("该信件未同意公开")
        before = letter_snapshot(letter)
        was_published = letter.publish_status == PublishStatus.PUBLISHED
        PublicLetter.objects.filter(letter=letter).delete()
        letter.consent_publish = False
        letter.publish_status = PublishStatus.NO_CONSENT
        letter.public_subject = letter.public_content = letter.public_reply = ""
        letter.public_prepared_at = None
        letter.save()
        record_event(letter, LetterEventKind.UNPUBLISH, actor, note="写信人撤回公开同意")
        audit_letter(actor, LetterAction.CONSENT_WITHDRAW, letter, before)
        if was_published:
            bump_public_version()
    return letter
