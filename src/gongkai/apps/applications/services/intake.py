"""Intake: registering a request from any channel, and storing case documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction

from gongkai import clock
from gongkai.apps.accounts.models import Role, User, user_or_none
from gongkai.apps.applications import due
from gongkai.apps.applications.casefacts import (
    hash_query_code,
    normalize_query_code,
    query_code_matches,
)
from gongkai.apps.applications.errors import InvalidInput, NotAllowed
from gongkai.apps.applications.models import (
    Application,
    CaseDocument,
    CaseRules,
    DeliveryMethod,
    DocumentKind,
    IdType,
    LetterKind,
    ProvideForm,
)
from gongkai.apps.applications.permissions import is_case_staff
from gongkai.apps.applications.services.common import (
    lock,
    next_number,
    snap,
    today,
)
from gongkai.apps.applications.uploads import MAX_FILES_PER_UPLOAD, check_upload, safe_name
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.notifications.services import notify
from gongkai.domain.casestates import ApplicationAction, CaseState
from gongkai.domain.codes import CodeError, normalize_uscc, parse_id_number
from gongkai.domain.deadlines import DeadlineInputError, receipt_date
from gongkai.domain.deadlines import ReceiptChannel as ClockChannel
from gongkai.domain.decisions import APPLICANT_TYPE_LABELS, ApplicantType
from gongkai.domain.duplicates import Earlier, find_repeats, is_mass
from gongkai.domain.reportfacts import RequestChannel

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed
_PHONE_RE = re.compile(r"^[0-9+\-（）() ]{7,20}$")
_LABEL_TO_TYPE = {label: t for t, label in APPLICANT_TYPE_LABELS.items()} | {
    "其他组织": ApplicantType.OTHER_ORG
}


def new_query_code() -> str:
    raw = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def applicant_key(id_type: str, id_number: str) -> str:
    """A stable key for 'the same applicant' that does not reveal the ID number."""
    message = f"{id_type}:{id_number.strip().upper()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def clock_channel(channel: str, letter_kind: str = "") -> ClockChannel:
    if channel == RequestChannel.LETTER:
        return (
            ClockChannel.ORDINARY_LETTER
            if letter_kind == LetterKind.ORDINARY
            else ClockChannel.REGISTERED_POST
        )
    return ClockChannel(channel)


@dataclass(frozen=True)
class CleanedApplicant:
    """The applicant's details as checked (条例第二十九条): the identity normalised, contact
    details stripped. ``fields()`` gives them as the case's columns."""

    type: ApplicantType
    name: str
    id_type: str
    id_number: str
    contact_person: str
    phone: str
    email: str
    address: str
    postcode: str

    def fields(self) -> dict[str, str]:
        return {
            "applicant_type": self.type.value,
            "applicant_name": self.name,
            "applicant_id_type": self.id_type,
            "applicant_id_number": self.id_number,
            "applicant_contact_person": self.contact_person,
            "applicant_phone": self.phone,
            "applicant_email": self.email,
            "applicant_address": self.address,
            "applicant_postcode": self.postcode,
        }


def _text(data: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = str(data.get(key) or "").strip()
        if value:
            return value
    return ""


def _check_type(raw: str, errors: dict[str, str]) -> ApplicantType | None:
    try:
        return ApplicantType(raw) if raw not in _LABEL_TO_TYPE else _LABEL_TO_TYPE[raw]
    except ValueError:
        errors["applicant_type"] = "请选择申请人类型（自然人，或法人或其他组织的类别）"
        return None


def _check_name(name: str, errors: dict[str, str]) -> None:
    if not name:
        errors["name"] = "请填写申请人姓名或名称"
    elif len(name) > 100:
        errors["name"] = "姓名或名称不能超过100个字"


def _check_organisation_code(id_number: str, errors: dict[str, str]) -> str:
    """A legal person's or organisation's 统一社会信用代码, normalised."""
    if not id_number:
        errors["id_number"] = "法人或其他组织请填写统一社会信用代码"
        return id_number
    try:
        return normalize_uscc(id_number)
    except CodeError as exc:
        errors["id_number"] = str(exc)
        return id_number


def _check_person_id(id_type: str, id_number: str, errors: dict[str, str]) -> str:
    """A natural person's identity document; an ID card number normalised."""
    if id_type not in IdType.values or id_type == IdType.USCC:
        errors["id_type"] = "请选择有效的身份证件类型"
    elif not id_number:
        errors["id_number"] = "请填写身份证件号码"
    elif id_type == IdType.ID_CARD:
        try:
            return parse_id_number(id_number).number
        except CodeError as exc:
            errors["id_number"] = str(exc)
    elif len(id_number) > 40:
        errors["id_number"] = "证件号码过长"
    return id_number


def _check_contacts(
    phone: str, email: str, address: str, postcode: str, delivery: str, errors: dict[str, str]
) -> None:
    if phone and not _PHONE_RE.match(phone):
        errors["phone"] = "联系电话格式不正确"
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "电子邮箱格式不正确"
    if not (phone or email or address):
        errors["phone"] = "请至少填写一种联系方式（电话、电子邮箱或通信地址）"
    if delivery == DeliveryMethod.POST and not address:
        errors["address"] = "选择邮寄的，请填写通信地址"
    if delivery == DeliveryMethod.EMAIL and not email:
        errors["email"] = "选择电子邮件获取的，请填写电子邮箱"
    if postcode and not (postcode.isdigit() and len(postcode) == 6):
        errors["postcode"] = "邮政编码应为6位数字"
    if len(address) > 200:
        errors["address"] = "通信地址不能超过200个字"


def check_applicant(data: dict[str, Any], *, delivery: str) -> CleanedApplicant:
    """Check the applicant's details (条例第二十九条); InvalidInput with every field's error."""
    errors: dict[str, str] = {}
    kind = _check_type(_text(data, "type"), errors)
    name = _text(data, "name")
    _check_name(name, errors)
    id_type = _text(data, "id_type")
    id_number = _text(data, "id_number", "uscc")
    if kind is not None and kind.is_organisation:
        id_type = IdType.USCC
        id_number = _check_organisation_code(id_number, errors)
    elif kind is not None:
        id_type = id_type or IdType.ID_CARD
        id_number = _check_person_id(id_type, id_number, errors)
    phone, email = _text(data, "phone"), _text(data, "email")
    address, postcode = _text(data, "address"), _text(data, "postcode")
    _check_contacts(phone, email, address, postcode, delivery, errors)
    if errors or kind is None:
        raise InvalidInput("申请人信息有误：" + "；".join(errors.values()), errors)
    return CleanedApplicant(
        type=kind,
        name=name,
        id_type=str(id_type),
        id_number=id_number,
        contact_person=_text(data, "contact_person")[:50],
        phone=phone,
        email=email,
        address=address,
        postcode=postcode,
    )


def clean_applicant(data: dict[str, Any], *, delivery: str) -> dict[str, str]:
    """The applicant's details as the case's columns (:func:`check_applicant`)."""
    return check_applicant(data, delivery=delivery).fields()


def _check_choice(value: str, choices: Any, field: str, label: str) -> None:
    if value not in choices.values:
        raise InvalidInput(f"{label}不正确", {field: f"请选择{label}"})


def _flags(
    agency_id: int, key: str, description: str, received: dt.date, rules: CaseRules
) -> tuple[Application | None, float | None, int]:
    since = received - dt.timedelta(days=rules.repeat_window_days)
    earlier = list(
        Application.objects.filter(agency_id=agency_id, applicant_key=key, received_on__gte=since)
        .order_by("-id")
        .values_list("id", "received_on", "description")[:200]
    )
    matches = find_repeats(
        description,
        (Earlier(pk, rec, desc) for pk, rec, desc in earlier),
        threshold=rules.repeat_similarity,
    )
    repeat = Application.objects.get(pk=matches[0].ref) if matches else None
    mass_since = received - dt.timedelta(days=rules.mass_window_days)
    mass = (
        Application.objects.filter(
            agency_id=agency_id, applicant_key=key, received_on__gte=mass_since
        ).count()
        + 1
    )
    return repeat, (matches[0].score if matches else None), mass


def _store_document(
    application: Application,
    *,
    kind: str,
    name: str,
    content: bytes,
    actor: Actor | None,
    saved: list[str],
) -> CaseDocument:
    sniffed = check_upload(name, content)
    document = CaseDocument(
        application=application,
        kind=kind,
        original_name=safe_name(name, sniffed),
        content_type=sniffed.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user_or_none(actor),
    )
    document.file.save(f"{sniffed.extension}", ContentFile(content), save=False)
    assert document.file.name is not None  # (just saved)
    saved.append(document.file.name)
    document.save()
    return document


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            continue


def _notify_new(application: Application) -> None:
    staff = User.objects.filter(
        agency_id=application.agency_id,
        is_active=True,
        role_grants__role__in=[Role.OFFICER, Role.HEAD],
    ).distinct()
    notify(
        staff,
        title=f"新的政府信息公开申请 {application.number}",
        body="请及时受理并分派承办人。",
        url=f"/backoffice/applications/{application.pk}/",
        kind="application.new",
    )


NOTICE_CHANNELS = {"sms": "短信", "email": "电子邮件"}
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def clean_notice_contacts(channels: Sequence[str], *, phone: str, email: str) -> tuple[str, str]:
    """(phone, e-mail) to send notices to, from the channels the applicant ticked; an address
    the channel cannot use is refused with a Chinese message on ``notify_by``."""
    unknown = set(channels) - set(NOTICE_CHANNELS)
    if unknown:
        raise InvalidInput("通知方式不正确", {"notify_by": "请选择短信或电子邮件"})
    phone = re.sub(r"[\s-]", "", phone or "")
    email = (email or "").strip()
    if "sms" in channels and not MOBILE.match(phone):
        message = "短信通知需要11位手机号码，请填写手机号码或取消短信通知"
        raise InvalidInput(message, {"notify_by": message})
    if "email" in channels:
        try:
            validate_email(email)
        except ValidationError:
            message = "邮件通知需要有效的电子邮箱，请填写电子邮箱或取消邮件通知"
            raise InvalidInput(message, {"notify_by": message}) from None
    return (phone if "sms" in channels else ""), (email if "email" in channels else "")


Attachment = tuple[str, bytes] | tuple[str, bytes, str]


@dataclass(frozen=True)
class RegisterInput:
    """A request as checked, ready to be registered: what :func:`check_register` returns and
    :func:`do_register` stores."""

    agency: Any
    channel: RequestChannel
    applicant: CleanedApplicant
    description: str
    received_on: dt.date
    submitted_on: dt.date
    form: str
    delivery: str
    letter_kind: str = ""
    signed_for_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    attachments: tuple[Attachment, ...] = ()
    source_note: str = ""
    purpose: str = ""
    applicant_user: Any = None
    forwarded_from: Application | None = None
    notice_phone: str = ""
    notice_email: str = ""
    notify_by: tuple[str, ...] = ()


def _check_channel(
    channel: RequestChannel | str, agency: Any, form: str, delivery: str, letter_kind: str
) -> tuple[RequestChannel, str]:
    """The channel (and, for a letter, its kind), the agency and the choices of form."""
    try:
        channel = RequestChannel(channel)
    except ValueError:
        raise InvalidInput("申请渠道不正确", {"channel": "请选择申请渠道"}) from None
    if not getattr(agency, "is_active", False):
        raise InvalidInput("请选择受理申请的机关", {"agency": "请选择受理申请的机关"})
    _check_choice(form, ProvideForm, "form", "获取信息的形式")
    _check_choice(delivery, DeliveryMethod, "delivery", "获取信息的方式")
    if channel != RequestChannel.LETTER:
        return channel, ""
    letter_kind = letter_kind or LetterKind.REGISTERED
    _check_choice(letter_kind, LetterKind, "letter_kind", "信函种类")
    return channel, letter_kind


def _check_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) < 5:
        message = "请描述所需政府信息的名称、文号或者便于查询的其他特征（至少5个字）"
        raise InvalidInput(message, {"description": message})
    if len(description) > 5000:
        raise InvalidInput("信息描述不能超过5000字", {"description": "信息描述不能超过5000字"})
    return description


def _check_attachments(attachments: Sequence[Attachment]) -> None:
    if len(attachments) > MAX_FILES_PER_UPLOAD:
        raise InvalidInput(f"一次最多上传{MAX_FILES_PER_UPLOAD}个文件", {"attachments": "文件过多"})
    for item in attachments:
        check_upload(item[0], item[1])


def _check_dates(
    channel: RequestChannel,
    letter_kind: str,
    *,
    now: dt.date,
    received_on: dt.date | None,
    submitted_on: dt.date | None,
    signed_for_on: dt.date | None,
    confirmed_on: dt.date | None,
) -> tuple[dt.date, dt.date, dt.date | None]:
    """(received, submitted, confirmed): the 条例第三十一条 receipt date derived from the
    channel when not given, never in the future nor before the request was sent."""
    submitted = submitted_on or received_on or now
    if received_on is None:
        if channel in (RequestChannel.ONLINE, RequestChannel.EMAIL, RequestChannel.FAX):
            confirmed_on = confirmed_on or (now if channel == RequestChannel.ONLINE else None)
        try:
            received_on = receipt_date(
                clock_channel(channel, letter_kind),
                submitted=submitted,
                signed_for=signed_for_on,
                confirmed=confirmed_on,
            )
        except DeadlineInputError as exc:
            raise InvalidInput(str(exc), {"received_on": str(exc)}) from exc
    if received_on > now:
        raise InvalidInput("收到申请之日不能晚于今天", {"received_on": "收到申请之日不能晚于今天"})
    if submitted > received_on:
        raise InvalidInput(
            "提交日期不能晚于收到申请之日", {"submitted_on": "提交日期不能晚于收到申请之日"}
        )
    return received_on, submitted, confirmed_on


def check_register(
    *,
    agency: Any,
    channel: RequestChannel | str,
    applicant: dict[str, Any],
    description: str,
    received_on: dt.date | None = None,
    form: str = ProvideForm.ELECTRONIC,
    delivery: str = DeliveryMethod.ONLINE,
    source_note: str = "",
    purpose: str = "",
    submitted_on: dt.date | None = None,
    letter_kind: str = "",
    signed_for_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    attachments: Sequence[Attachment] = (),
    applicant_user: Any = None,
    forwarded_from: Application | None = None,
    notify_by: Sequence[str] = (),
    now: dt.date | None = None,
) -> RegisterInput:
    """Check a request from any channel — the public form, the staff intake, the API, a
    converted mailbox letter, a forwarded request — and return it typed; InvalidInput or
    UploadRejected (Chinese messages, by field) when something is wrong. Stores nothing.

    ``received_on`` is the 条例第三十一条 receipt date; when omitted it is derived from
    ``submitted_on``/``signed_for_on``/``confirmed_on`` and the channel. Attachments are
    ``(filename, bytes[, DocumentKind])``."""
    channel, letter_kind = _check_channel(channel, agency, form, delivery, letter_kind)
    cleaned = check_applicant(applicant, delivery=delivery)
    notice_phone, notice_email = clean_notice_contacts(
        notify_by, phone=cleaned.phone, email=cleaned.email
    )
    description = _check_description(description)
    _check_attachments(attachments)
    received, submitted, confirmed_on = _check_dates(
        channel,
        letter_kind,
        now=now or today(),
        received_on=received_on,
        submitted_on=submitted_on,
        signed_for_on=signed_for_on,
        confirmed_on=confirmed_on,
    )
    return RegisterInput(
        agency=agency,
        channel=channel,
        applicant=cleaned,
        description=description,
        received_on=received,
        submitted_on=submitted,
        form=form,
        delivery=delivery,
        letter_kind=letter_kind,
        signed_for_on=signed_for_on,
        confirmed_on=confirmed_on,
        attachments=tuple(attachments),
        source_note=(source_note or "").strip()[:300],
        purpose=(purpose or "").strip(),
        applicant_user=applicant_user
        if getattr(applicant_user, "is_authenticated", False)
        else None,
        forwarded_from=forwarded_from,
        notice_phone=notice_phone,
        notice_email=notice_email,
        notify_by=tuple(notify_by),
    )


def _query_code(forwarded_from: Application | None) -> tuple[str, str, str | None]:
    """(salt, hash, code): a new query code, or the forwarded request's (the applicant keeps
    using the one they have; it is not shown again)."""
    if forwarded_from is not None:
        return forwarded_from.query_code_salt, forwarded_from.query_code_hash, None
    code = new_query_code()
    salt = secrets.token_hex(8)
    return salt, hash_query_code(salt, code), code


def do_register(*, actor: Actor | None, request: RegisterInput) -> Application:
    """Register a checked request: the next registration number of the agency's year
    (``YSQ-2026-000123``), a query code (returned once as ``application.query_code``; only its
    hash is stored), the statutory deadline, the repeat/mass flags, the files, one audit
    event. Nothing is stored if any of it fails."""
    r = request
    key = applicant_key(r.applicant.id_type, r.applicant.id_number)
    rules = CaseRules.current()
    saved: list[str] = []
    try:
        with transaction.atomic():
            repeat, score, mass = _flags(r.agency.pk, key, r.description, r.received_on, rules)
            year = r.received_on.year
            seq = next_number(r.agency.pk, year, "YSQ")
            salt, code_hash, code = _query_code(r.forwarded_from)
            application = Application(
                agency=r.agency,
                number=f"YSQ-{year}-{seq:06d}",
                year=year,
                seq=seq,
                query_code_salt=salt,
                query_code_hash=code_hash,
                state=CaseState.REGISTERED.value,
                state_changed_at=clock.now(),
                channel=r.channel.value,
                letter_kind=r.letter_kind,
                provide_form=r.form,
                delivery=r.delivery,
                applicant_key=key,
                applicant_user=r.applicant_user,
                description=r.description,
                purpose=r.purpose,
                source_note=r.source_note,
                submitted_on=r.submitted_on,
                signed_for_on=r.signed_for_on,
                confirmed_on=r.confirmed_on,
                received_on=r.received_on,
                repeat_of=repeat,
                repeat_score=score,
                mass_count=mass,
                flagged_mass=is_mass(mass, threshold=rules.mass_threshold),
                forwarded_from=r.forwarded_from,
                notice_phone=r.notice_phone,
                notice_email=r.notice_email,
                **r.applicant.fields(),
            )
            due.apply(application, [])  # a new case has no steps yet
            application.save()
            for item in r.attachments:
                kind = item[2] if len(item) > 2 else DocumentKind.APPLICANT_FILE
                _store_document(
                    application, kind=kind, name=item[0], content=item[1], actor=actor, saved=saved
                )
            audit_record(
                actor=actor,
                action=ApplicationAction.REGISTER,
                obj=application,
                agency_id=r.agency.pk,
                after=snap(application)
                | {
                    "number": application.number,
                    "channel": r.channel.value,
                    "applicant_type": application.applicant_type,
                    "received_on": r.received_on,
                    "attachments": len(r.attachments),
                    "repeat_of": repeat.number if repeat else None,
                    "mass_count": mass,
                    "source_note": application.source_note,
                    "notify_by": sorted(r.notify_by),
                },
                object_label=application.number,
            )
            transaction.on_commit(lambda: _notify_new(application))
    except BaseException:
        _delete_files(saved)
        raise
    application.query_code = code  # type: ignore[attr-defined]
    return application


def application_register(*, actor: Actor | None, **fields: Any) -> Application:
    """Register a 政府信息公开申请 received through any channel: :func:`check_register` with
    ``fields``, then :func:`do_register`. Raises InvalidInput or UploadRejected (Chinese
    messages) without storing anything."""
    return do_register(actor=actor, request=check_register(**fields))


def application_document_add(
    *,
    actor: Actor,
    application: Application,
    kind: str,
    files: Sequence[tuple[str, bytes]],
) -> list[CaseDocument]:
    """Staff add documents to a case (scans, released information, delivery proof …)."""
    if kind not in DocumentKind.values:
        raise InvalidInput("材料类别不正确", {"kind": "请选择材料类别"})
    if not files:
        raise InvalidInput("请选择要上传的文件", {"files": "请选择要上传的文件"})
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise InvalidInput(f"一次最多上传{MAX_FILES_PER_UPLOAD}个文件", {"files": "文件过多"})
    for name, content in files:
        check_upload(name, content)
    saved: list[str] = []
    try:
        with transaction.atomic():
            app = lock(application)
            if not is_case_staff(actor, app.agency_id):
                raise NotAllowed("您没有权限为该申请添加材料")
            if (
                app.state in (CaseState.ARCHIVED, CaseState.WITHDRAWN)
                and kind != DocumentKind.OTHER
            ):
                raise NotAllowed("已归档或已撤回的申请只能补充“其他”类材料")
            if kind == DocumentKind.RELEASED and app.state != CaseState.PROCESSING:
                # released files are reviewed for privacy with the draft: add them before it
                raise NotAllowed("拟公开的政府信息须在提交审核前添加（审核中请先退回修改）")
            documents = [
                _store_document(app, kind=kind, name=n, content=c, actor=actor, saved=saved)
                for n, c in files
            ]
            audit_record(
                actor=actor,
                action=ApplicationAction.DOCUMENT_ADD,
                obj=app,
                agency_id=app.agency_id,
                after={
                    "kind": kind,
                    "files": [{"name": d.original_name, "sha256": d.sha256} for d in documents],
                },
                object_label=app.number,
            )
    except BaseException:
        _delete_files(saved)
        raise
    return documents


def application_document_withdraw(*, actor: Actor, document: CaseDocument, reason: str) -> None:
    """Take a document off a case (kept on disk and in the audit log, no longer served)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写撤下理由", {"reason": "请填写撤下理由"})
    with transaction.atomic():
        app = lock(document.application_id)
        if not is_case_staff(actor, app.agency_id):
            raise NotAllowed("您没有权限撤下该材料")
        if app.state not in (CaseState.REGISTERED, CaseState.PROCESSING, CaseState.REVIEW):
            raise NotAllowed("答复后材料不能撤下")
        doc = CaseDocument.objects.select_for_update().get(pk=document.pk)
        if doc.withdrawn:
            raise NotAllowed("该材料已撤下")
        doc.withdrawn = True
        doc.save(update_fields=["withdrawn"])
        audit_record(
            actor=actor,
            action=ApplicationAction.DOCUMENT_WITHDRAW,
            obj=app,
            agency_id=app.agency_id,
            after={"document": doc.original_name, "sha256": doc.sha256, "reason": reason},
            object_label=app.number,
        )


__all__ = [
    "applicant_key",
    "application_document_add",
    "application_document_withdraw",
    "application_register",
    "clean_applicant",
    "clock_channel",
    "hash_query_code",
    "new_query_code",
    "normalize_query_code",
    "query_code_matches",
]
