"""Letters from receipt to reply. Every state change is one atomic function that locks the
letter, checks who acts, writes a history event and an audit event in the same transaction."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from gongkai import clock
from gongkai.apps.accounts.models import Role, User, user_or_none
from gongkai.apps.audit.frame import Actor, Step, transition
from gongkai.apps.audit.services import audit_record, snapshot
from gongkai.apps.mailbox import integration, permissions
from gongkai.apps.mailbox.errors import (
    DuplicateSubmission,
    LetterStateError,
    MailboxError,
    MailboxPermissionDenied,
)
from gongkai.apps.mailbox.models import (
    OPEN_STATUSES,
    Letter,
    LetterAttachment,
    LetterCategory,
    LetterCounter,
    LetterEvent,
    LetterEventKind,
    LetterSource,
    LetterStatus,
    PublishStatus,
    RedirectChannel,
    Satisfaction,
    TimeLimit,
)
from gongkai.apps.mailbox.selectors import dispatch_agency, time_limit_for
from gongkai.apps.notifications.services import notify
from gongkai.documents import sniff
from gongkai.domain.codes import CodeError, parse_id_number
from gongkai.domain.mailbox import LETTER_STATES, LetterAction, cn_day, format_letter_number
from gongkai.registry import DueSource

log = logging.getLogger(__name__)

AUDIT_FIELDS = (
    "number",
    "status",
    "agency",
    "category",
    "due_date",
    "consent_publish",
    "publish_status",
)
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8
PHONE_RE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
}
ATTACHMENT_KINDS = (sniff.PDF, sniff.JPEG, sniff.PNG, sniff.OLE, sniff.DOCX, sniff.XLSX, sniff.TEXT)
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MIN_REPLY_CHARS = 10


# helpers ---------------------------------------------------------------------------------------


def letter_snapshot(letter: Letter) -> dict[str, Any]:
    return snapshot(letter, AUDIT_FIELDS)


def lock_letter(letter: Letter) -> Letter:
    return Letter.objects.select_for_update().select_related("agency").get(pk=letter.pk)


def _user_or_none(actor: Actor | None) -> Any:
    return user_or_none(actor)


def _actor_label(actor: Actor | None) -> str:
    if actor is None:
        return "写信人"
    label = getattr(actor, "audit_label", None)
    if label:
        return str(label)[:200]
    return str(actor)[:200]


def record_event(
    letter: Letter,
    kind: str,
    actor: Actor | None,
    *,
    at: dt.datetime | None = None,
    from_agency: Any = None,
    to_agency: Any = None,
    note: str = "",
) -> LetterEvent:
    return LetterEvent.objects.create(
        letter=letter,
        kind=kind,
        at=at or clock.now(),
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
        from_agency=from_agency,
        to_agency=to_agency,
        note=note,
    )


def audit_letter(
    actor: Actor | None, action: LetterAction, letter: Letter, before: dict | None, **extra: Any
) -> None:
    after = letter_snapshot(letter)
    after.update(extra)
    audit_record(
        actor=actor,
        action=action,
        obj=letter,
        agency_id=letter.agency_id,
        before=before,
        after=after,
        object_label=f"{letter.number} {letter.subject}"[:300],
    )


def _staff_of(agency_id: int, roles: Sequence[str]) -> list[User]:
    return list(
        User.objects.filter(
            agency_id=agency_id, is_active=True, role_grants__role__in=list(roles)
        ).distinct()
    )


def notify_agency_staff(
    agency_id: int, roles: Sequence[str], *, title: str, url: str, body: str = ""
) -> None:
    notify(_staff_of(agency_id, roles), title=title, body=body, url=url, kind="mailbox")


def notify_dispatchers(*, title: str, url: str, body: str = "") -> None:
    office = dispatch_agency()
    if office is not None:
        users = list(User.objects.filter(agency_id=office.pk, is_active=True))
        notify(users, title=title, body=body, url=url, kind="mailbox")


def tell_writer(letter: Letter, *, title: str, body: str) -> None:
    """An in-app notice for writers with an account; an e-mail when mail is configured."""
    if letter.writer_user_id:
        notify(
            [letter.writer_user],
            title=title,
            body=body,
            url=f"/mailbox/mine/{letter.number}/",
            kind="mailbox",
        )
    if letter.writer_email and settings.EMAIL_HOST:
        address = letter.writer_email

        def send() -> None:
            try:
                send_mail(title, body, None, [address])
            except OSError:  # retryable: the reply is on the query page either way
                log.warning("letter %s: mail to the writer not sent", letter.number, exc_info=True)

        transaction.on_commit(send)


def _bo_url(letter: Letter) -> str:
    return f"/backoffice/mailbox/letters/{letter.number}/"


def allocate_numbers(day: dt.date, count: int) -> list[str]:
    """Hand out ``count`` consecutive letter numbers of ``day`` (caller holds a transaction)."""
    counter = LetterCounter.objects.select_for_update().filter(day=day).first()
    if counter is None:
        try:
            with transaction.atomic():
                LetterCounter.objects.create(day=day, last=0)
        except IntegrityError:
            pass  # created by a concurrent writer; lock it below
        counter = LetterCounter.objects.select_for_update().get(day=day)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [format_letter_number(day, n) for n in range(first, first + count)]


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def query_code_hash(code: str) -> str:
    return salted_hmac("gongkai.mailbox.query-code", code.strip().upper()).hexdigest()


def query_code_matches(letter: Letter, code: str) -> bool:
    return bool(letter.query_code_hash) and constant_time_compare(
        letter.query_code_hash, query_code_hash(code)
    )


def _close(letter: Letter, *, status: str, reply: str, actor: Actor, now: dt.datetime) -> None:
    """What closing with a reply records; ``status`` is the state the frame is about to set."""
    letter.reply = reply
    letter.replied_at = now
    letter.replied_on = clock.local_date(now)
    letter.replied_by = _user_or_none(actor)
    letter.handling_days = integration.working_days_between(letter.received_on, letter.replied_on)
    letter.on_time = letter.replied_on <= letter.due_date if letter.due_date else None
    letter.draft_reply = ""
    if status == LetterStatus.ANSWERED and letter.consent_publish:
        letter.publish_status = PublishStatus.PENDING


def require(condition: bool, message: str = "您无权对该信件执行此操作") -> None:
    if not condition:
        raise MailboxPermissionDenied(message)


def require_text(text: str, what: str, minimum: int = MIN_REPLY_CHARS) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise MailboxError(f"{what}不能少于 {minimum} 个字", field="text")
    return text


# configuration -----------------------------------------------------------------------------------

DEFAULT_TIME_LIMITS = {"consult": 5, "suggestion": 15, "complaint": 15, "help": 15, "other": 15}


def time_limits_ensure_defaults(*, actor: Actor) -> int:
    """Give every category without any time limit the usual one (咨询 5, others 15 working
    days) — what the data migration seeds, for databases emptied since. Returns rows added."""
    with transaction.atomic():
        present = set(TimeLimit.objects.values_list("category", flat=True))
        rows = [
            TimeLimit(
                category=category,
                working_days=days,
                valid_from=dt.date(2000, 1, 1),
                source="默认值：咨询类5个工作日，其他类15个工作日，可由管理员调整",
            )
            for category, days in DEFAULT_TIME_LIMITS.items()
            if category not in present
        ]
        TimeLimit.objects.bulk_create(rows)
        if rows:
            audit_record(
                actor=actor,
                action=LetterAction.TIME_LIMITS_DEFAULT,
                object_type="mailbox.timelimit",
                object_label="答复时限默认值",
                after={row.category: row.working_days for row in rows},
            )
    return len(rows)


# receiving -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    letter: Letter
    query_code: str


def validate_writer(
    *, name: str, phone: str, email: str = "", id_number: str = ""
) -> dict[str, str]:
    name, phone, email, id_number = (
        name.strip(),
        phone.strip().replace(" ", ""),
        email.strip(),
        id_number.strip().upper(),
    )
    if not name:
        raise MailboxError("请填写姓名", field="writer_name")
    if len(name) > 50:
        raise MailboxError("姓名不能超过 50 个字", field="writer_name")
    if not PHONE_RE.match(phone):
        raise MailboxError(
            "联系电话格式不正确（手机号 11 位，固定电话如 0399-8000000）", field="writer_phone"
        )
    if email and ("@" not in email or len(email) > 254):
        raise MailboxError("电子邮箱格式不正确", field="writer_email")
    if id_number:
        try:
            parse_id_number(id_number)
        except CodeError as exc:
            raise MailboxError(str(exc), field="writer_id_number") from exc
    return {"name": name, "phone": phone, "email": email, "id_number": id_number}


def _check_attachments(files: Sequence[Any]) -> list[str]:
    """Check each attachment by its content (ADR 0081); the content type of each, in order."""
    if len(files) > MAX_ATTACHMENTS:
        raise MailboxError(f"附件最多 {MAX_ATTACHMENTS} 个", field="attachments")
    kinds = []
    for upload in files:
        name = str(getattr(upload, "name", "") or "")
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in ATTACHMENT_TYPES:
            allowed = "、".join(sorted(ATTACHMENT_TYPES))
            raise MailboxError(f"附件“{name}”类型不支持（可上传 {allowed}）", field="attachments")
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise MailboxError(f"附件“{name}”超过 10MB", field="attachments")
        if upload.size == 0:
            raise MailboxError(f"附件“{name}”是空文件", field="attachments")
        upload.seek(0)
        content = upload.read()
        upload.seek(0)
        try:
            kind = sniff.accept(name, content, ATTACHMENT_KINDS)
        except sniff.ContentRefused as exc:
            raise MailboxError(str(exc), field="attachments") from exc
        if not sniff.matches_extension(name, kind):
            raise MailboxError(
                f"附件“{name}”的内容是{kind.label}，与扩展名 .{suffix} 不符", field="attachments"
            )
        kinds.append(kind.content_type)
    return kinds


def letter_submit(
    *,
    actor: Actor | None,
    category: str,
    addressee: Any,
    subject: str,
    content: str,
    writer_name: str,
    writer_phone: str,
    writer_email: str = "",
    writer_address: str = "",
    writer_id_number: str = "",
    consent_publish: bool = False,
    attachments: Sequence[Any] = (),
    submit_token: str | None = None,
    writer_user: Any = None,
) -> Submitted:
    """A citizen writes through the portal. Returns the letter and its query code (shown once).

    A letter to 市长信箱 waits at the dispatch office; a letter to a department is that
    department's to answer. The confirmation is shown only after this returns (committed).
    """
    if category not in LetterCategory.values:
        raise MailboxError("请选择信件类别", field="category")
    subject, content = subject.strip(), content.strip()
    if not 2 <= len(subject) <= 100:
        raise MailboxError("标题应为 2 至 100 个字", field="subject")
    if not 10 <= len(content) <= 5000:
        raise MailboxError("内容应为 10 至 5000 个字", field="content")
    writer = validate_writer(
        name=writer_name, phone=writer_phone, email=writer_email, id_number=writer_id_number
    )
    if addressee is not None and not addressee.is_active:
        raise MailboxError("所选收信机关已停用，请重新选择", field="addressee")
    content_types = _check_attachments(attachments)
    if submit_token:
        existing = Letter.objects.filter(submit_token=submit_token).first()
        if existing is not None:
            raise DuplicateSubmission(existing)
    office = dispatch_agency()
    if addressee is None and office is None:
        raise MailboxError("市长信箱尚未设置分办机关，请联系网站管理员")
    code = new_query_code()
    try:
        with transaction.atomic():
            now = clock.now()
            received_on = clock.local_date(now)
            try:
                days = time_limit_for(category, received_on)
            except LookupError as exc:
                raise MailboxError(str(exc)) from exc
            due = integration.due_columns(received_on, days)
            handler = addressee if addressee is not None else office
            letter = Letter.objects.create(
                number=allocate_numbers(received_on, 1)[0],
                query_code_hash=query_code_hash(code),
                source=LetterSource.PORTAL,
                submit_token=submit_token or None,
                category=category,
                addressee=addressee,
                subject=subject,
                content=content,
                writer_name=writer["name"],
                writer_phone=writer["phone"],
                writer_email=writer["email"],
                writer_address=writer_address.strip()[:200],
                writer_id_number=writer["id_number"],
                writer_user=writer_user
                if getattr(writer_user, "is_authenticated", False)
                else None,
                consent_publish=bool(consent_publish),
                status=LetterStatus.RECEIVED if addressee is None else LetterStatus.HANDLING,
                agency=handler,
                received_at=now,
                received_on=received_on,
                time_limit_days=days,
                **due,
                assigned_at=now if addressee is not None else None,
            )
            for upload, content_type in zip(attachments, content_types, strict=True):
                LetterAttachment.objects.create(
                    letter=letter,
                    file=upload,
                    name=str(upload.name)[:200],
                    size=upload.size,
                    content_type=content_type,
                )
            audit_letter(
                actor,
                LetterAction.RECEIVE,
                letter,
                None,
                source=letter.source,
                attachments=len(attachments),
            )
            title = f"新来信：{letter.subject}（{letter.number}）"
            if letter.status == LetterStatus.RECEIVED:
                notify_dispatchers(title=f"市长信箱{title}，待分办", url=_bo_url(letter))
            else:
                notify_agency_staff(
                    letter.agency_id, permissions.HANDLER_ROLES, title=title, url=_bo_url(letter)
                )
    except IntegrityError:
        if submit_token:
            existing = Letter.objects.filter(submit_token=submit_token).first()
            if existing is not None:
                raise DuplicateSubmission(existing) from None
        raise
    return Submitted(letter=letter, query_code=code)


# routing ---------------------------------------------------------------------------------------


def _letter_transition(
    actor: Actor,
    letter: Letter,
    action: LetterAction,
    *,
    may: Callable[[Any, Any], bool],
    denied: str = "您无权对该信件执行此操作",
) -> AbstractContextManager[Step]:
    """The shared frame (gongkai.apps.audit.frame) for one state change of a letter: locked,
    permission and state table checked, the new state set from LETTER_STATES, audited."""
    return transition(
        actor=actor,
        obj=letter,
        action=action,
        fields=AUDIT_FIELDS,
        table=LETTER_STATES,
        state_field="status",
        may=may,
        refuse=MailboxPermissionDenied,
        denied=denied,
        label=f"{letter.number} {letter.subject}"[:300],
    )


def letter_assign(*, actor: Actor, letter: Letter, agency: Any, note: str = "") -> Letter:
    """The dispatcher routes a letter to an agency; routing an assigned letter is a transfer."""
    note = note.strip()
    # assigning or transferring, by the state stored now (the frame checks it again under lock)
    stored = Letter.objects.values_list("status", flat=True).get(pk=letter.pk)
    transfer = stored != LetterStatus.RECEIVED
    action = LetterAction.TRANSFER if transfer else LetterAction.ASSIGN
    with _letter_transition(
        actor, letter, action, may=permissions.can_route, denied="只有分办人员可以分办或转办信件"
    ) as step:
        letter = step.obj
        if not agency.is_active:
            raise MailboxError("所选机关已停用", field="agency")
        if transfer and agency.pk == letter.agency_id:
            raise LetterStateError(f"信件已由{agency.name}办理，无需转办")
        if transfer and not note:
            raise MailboxError("转办须说明理由", field="note")
        previous = letter.agency
        now = clock.now()
        letter.agency = agency
        letter.assigned_at = now
        letter.draft_reply = ""
        letter.draft_by = None
        step.extra["note"] = note
        kind = LetterEventKind.TRANSFER if transfer else LetterEventKind.ASSIGN
        record_event(letter, kind, actor, at=now, from_agency=previous, to_agency=agency, note=note)
        verb = "转办" if transfer else "分办"
        notify_agency_staff(
            agency.pk,
            permissions.HANDLER_ROLES,
            title=f"{verb}来信：{letter.subject}（{letter.number}）",
            url=_bo_url(letter),
            body=note,
        )
    return letter


def letter_return(*, actor: Actor, letter: Letter, reason: str) -> Letter:
    """The handling agency sends a letter that is not its business back to the dispatcher."""
    reason = require_text(reason, "退回理由", 4)
    with _letter_transition(actor, letter, LetterAction.RETURN, may=permissions.can_return) as step:
        letter = step.obj
        office = dispatch_agency()
        if office is None or office.pk == letter.agency_id:
            raise LetterStateError("信件已在分办机关，不能退回")
        previous = letter.agency
        letter.agency = office
        letter.draft_reply = ""
        letter.draft_by = None
        step.extra["reason"] = reason
        record_event(
            letter,
            LetterEventKind.RETURN,
            actor,
            from_agency=previous,
            to_agency=office,
            note=reason,
        )
        notify_dispatchers(
            title=f"{previous.display_short}退回来信：{letter.subject}（{letter.number}）",
            url=_bo_url(letter),
            body=reason,
        )
    return letter


# answering -------------------------------------------------------------------------------------


def letter_draft_save(*, actor: Actor, letter: Letter, text: str) -> Letter:
    """Not a state change: the draft is kept, and recorded."""
    text = (text or "").strip()
    with transaction.atomic():
        letter = lock_letter(letter)
        require(permissions.can_draft(actor, letter))
        before = {"draft_reply": letter.draft_reply}
        letter.draft_reply = text
        letter.draft_by = _user_or_none(actor)
        letter.save(update_fields=["draft_reply", "draft_by", "updated_at"])
        record_event(letter, LetterEventKind.DRAFT, actor)
        audit_letter(actor, LetterAction.DRAFT_SAVE, letter, before, draft_reply=text)
    return letter


def letter_submit_for_review(*, actor: Actor, letter: Letter, text: str) -> Letter:
    text = require_text(text, "答复内容")
    with _letter_transition(
        actor, letter, LetterAction.SUBMIT_REVIEW, may=permissions.can_draft
    ) as step:
        letter = step.obj
        letter.draft_reply = text
        letter.draft_by = _user_or_none(actor)
        step.extra["draft_reply"] = text
        record_event(letter, LetterEventKind.SUBMIT, actor)
        notify_agency_staff(
            letter.agency_id,
            permissions.APPROVER_ROLES,
            title=f"答复待审核：{letter.subject}（{letter.number}）",
            url=_bo_url(letter),
        )
    return letter


def letter_send_back(*, actor: Actor, letter: Letter, note: str) -> Letter:
    note = require_text(note, "退回修改意见", 2)
    with _letter_transition(
        actor,
        letter,
        LetterAction.SEND_BACK,
        may=lambda user, row: (
            row.status == LetterStatus.REVIEW and permissions.can_approve(user, row)
        ),
        denied="只有审核人或公开办负责人可以退回待审核的答复",
    ) as step:
        letter = step.obj
        step.extra["note"] = note
        record_event(letter, LetterEventKind.SEND_BACK, actor, note=note)
        if letter.draft_by_id:
            notify(
                [letter.draft_by],
                title=f"答复被退回修改：{letter.subject}（{letter.number}）",
                body=note,
                url=_bo_url(letter),
                kind="mailbox",
            )
    return letter


def letter_answer(*, actor: Actor, letter: Letter, text: str) -> Letter:
    """A reviewer or head approves and sends the reply (editing it if needed)."""
    text = require_text(text, "答复内容")
    with _letter_transition(
        actor,
        letter,
        LetterAction.ANSWER,
        may=permissions.can_approve,
        denied="只有审核人或公开办负责人可以签发答复",
    ) as step:
        letter = step.obj
        now = clock.now()
        _close(letter, status=step.state_after, reply=text, actor=actor, now=now)
        step.extra.update(reply=text, on_time=letter.on_time)
        record_event(letter, LetterEventKind.ANSWER, actor, at=now)
        tell_writer(
            letter,
            title=f"您的来信已答复（{letter.number}）",
            body=f"您于{cn_day(letter.received_on)}写给{letter.addressee_label}的信“{letter.subject}”已由{letter.agency.name}答复：\n\n{text}",
        )
    return letter


def letter_redirect(*, actor: Actor, letter: Letter, channel: str, reply: str) -> Letter:
    """A 信访、举报 or 投诉 matter: tell the writer the proper channel, with reasons."""
    if channel not in RedirectChannel.values:
        raise MailboxError("请选择应当通过的渠道", field="channel")
    reply = require_text(reply, "告知理由和渠道")
    with _letter_transition(
        actor, letter, LetterAction.REDIRECT, may=permissions.can_divert
    ) as step:
        letter = step.obj
        now = clock.now()
        letter.redirect_channel = channel
        _close(letter, status=step.state_after, reply=reply, actor=actor, now=now)
        step.extra.update(channel=channel, reply=reply)
        record_event(
            letter, LetterEventKind.REDIRECT, actor, at=now, note=RedirectChannel(channel).label
        )
        tell_writer(letter, title=f"您的来信已答复（{letter.number}）", body=reply)
    return letter


def letter_convert(*, actor: Actor, letter: Letter, note: str = "", id_number: str = "") -> Letter:
    """A disguised disclosure request becomes a 依申请公开 case with its own registration and
    deadline; the letter is closed with a reply that gives the registration number.

    A request needs the applicant's identity document (条例第二十九条): ``id_number`` supplies
    it when the writer did not give one in the letter."""
    id_number = (id_number or "").strip().upper()
    with _letter_transition(
        actor, letter, LetterAction.CONVERT, may=permissions.can_divert
    ) as step:
        letter = step.obj
        number, due = integration.application_register(
            actor=actor,
            agency=letter.agency,
            applicant={
                "type": "natural_person",
                "name": letter.writer_name,
                "id_type": "id_card",
                "id_number": letter.writer_id_number or id_number,
                "phone": letter.writer_phone,
                "email": letter.writer_email,
                "address": letter.writer_address,
            },
            applicant_user=letter.writer_user,
            description=f"{letter.subject}\n\n{letter.content}",
            received_on=letter.received_on,
            source_note=f"由政府信箱来信 {letter.number} 转来",
        )
        now = clock.now()
        due_text = f"，答复期限为{cn_day(due)}" if due else ""
        reply = (
            f"您的来信属于申请获取政府信息，已按《中华人民共和国政府信息公开条例》转为政府信息公开申请办理，"
            f"登记号 {number}{due_text}。{note.strip()}"
        ).strip()
        letter.application_number = number
        _close(letter, status=step.state_after, reply=reply, actor=actor, now=now)
        step.extra["application_number"] = number
        record_event(
            letter, LetterEventKind.CONVERT, actor, at=now, note=f"依申请公开登记号 {number}"
        )
        tell_writer(letter, title=f"您的来信已转为政府信息公开申请（{letter.number}）", body=reply)
    return letter


def letter_mark_invalid(*, actor: Actor, letter: Letter, reason: str) -> Letter:
    """Spam, an empty or duplicate message: not a valid letter, not counted as received."""
    reason = require_text(reason, "认定无效的理由", 2)
    with _letter_transition(
        actor, letter, LetterAction.MARK_INVALID, may=permissions.can_mark_invalid
    ) as step:
        letter = step.obj
        letter.invalid_reason = reason[:300]
        step.extra["reason"] = reason
        record_event(letter, LetterEventKind.INVALID, actor, note=reason)
    return letter


# the writer --------------------------------------------------------------------------------------


def letter_rate(
    *, letter: Letter, satisfaction: str, comment: str = "", actor: Actor | None = None
) -> Letter:
    """The writer rates the reply once (满意 / 基本满意 / 不满意)."""
    if satisfaction not in Satisfaction.values:
        raise MailboxError("请选择满意程度", field="satisfaction")
    with transaction.atomic():
        letter = lock_letter(letter)
        if not letter.is_closed_with_reply:
            raise LetterStateError("信件答复后才能评价")
        if letter.satisfaction:
            raise LetterStateError("该信件已评价过，不能重复评价")
        before = {"satisfaction": ""}
        letter.satisfaction = satisfaction
        letter.satisfaction_comment = comment.strip()[:500]
        letter.rated_at = clock.now()
        letter.save(
            update_fields=["satisfaction", "satisfaction_comment", "rated_at", "updated_at"]
        )
        record_event(letter, LetterEventKind.RATE, actor, note=Satisfaction(satisfaction).label)
        audit_letter(actor, LetterAction.RATE, letter, before, satisfaction=satisfaction)
    return letter


# the working-day calendar changed -----------------------------------------------------------------


def letter_refresh_due(letter: Letter, calendar: Any) -> None:
    """The DueSource hook: a letter's due fields on ``calendar``."""
    letter.set_due(calendar.due(letter.received_on, letter.time_limit_days))


def letters_tell_moved(rows: list[tuple[Letter, Any]], actor: Actor) -> None:
    """After a calendar change: a timeline event per letter and one notice per agency."""
    now = clock.now()
    by_agency: dict[int, list[Letter]] = {}
    for letter, old in rows:
        record_event(
            letter,
            LetterEventKind.DUE_RECOMPUTE,
            actor,
            at=now,
            note=f"工作日历调整，答复期限由 {old.label if old else '—'} 改为 {letter.due.label if letter.due else '—'}",
        )
        by_agency.setdefault(letter.agency_id, []).append(letter)
    for agency_id, letters in by_agency.items():
        numbers = "、".join(lt.number for lt in letters[:5])
        more = f"等 {len(letters)} 封" if len(letters) > 5 else ""
        notify_agency_staff(
            agency_id,
            (Role.OFFICER, Role.REVIEWER, Role.HEAD),
            title=f"工作日历调整：{len(letters)} 封在办信件的答复期限已重新计算",
            body=f"涉及信件 {numbers}{more}。",
            url="/backoffice/mailbox/letters/?status=open",
        )


LETTER_DUES = DueSource(
    name="mailbox",
    open_rows=lambda: Letter.objects.filter(status__in=OPEN_STATUSES),
    refresh=letter_refresh_due,
    action=LetterAction.DUE_RECOMPUTE,
    moved=letters_tell_moved,
)
