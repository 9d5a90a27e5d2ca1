"""Intake: registering a request from any channel, and storing case documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction

from gongkai import clock
from gongkai.apps.accounts.models import Role
from gongkai.apps.applications import due
from gongkai.apps.applications.errors import InvalidInput
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
from gongkai.apps.applications.services.common import (
    next_number,
    snap,
    today,
)
from gongkai.apps.applications.uploads import MAX_FILES_PER_UPLOAD, check_upload, safe_name
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.domain.casestates import CaseState
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


def normalize_query_code(code: str) -> str:
    return re.sub(r"[\s\-－—]", "", code or "").upper()


def hash_query_code(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{normalize_query_code(code)}".encode()).hexdigest()


def query_code_matches(application: Application, code: str) -> bool:
    return hmac.compare_digest(
        application.query_code_hash, hash_query_code(application.query_code_salt, code)
    )


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


def clean_applicant(data: dict[str, Any], *, delivery: str) -> dict[str, str]:
    """Validate the applicant's details (条例第二十九条); raise InvalidInput with field errors."""
    errors: dict[str, str] = {}
    raw_type = str(data.get("type") or "").strip()
    try:
        kind = (
            ApplicantType(raw_type) if raw_type not in _LABEL_TO_TYPE else _LABEL_TO_TYPE[raw_type]
        )
    except ValueError:
        kind = None
        errors["applicant_type"] = "请选择申请人类型（自然人，或法人或其他组织的类别）"
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = "请填写申请人姓名或名称"
    elif len(name) > 100:
        errors["name"] = "姓名或名称不能超过100个字"
    id_type = str(data.get("id_type") or "").strip()
    id_number = str(data.get("id_number") or data.get("uscc") or "").strip()
    if kind is not None and kind.is_organisation:
        id_type = IdType.USCC
        if not id_number:
            errors["id_number"] = "法人或其他组织请填写统一社会信用代码"
        else:
            try:
                id_number = normalize_uscc(id_number)
            except CodeError as exc:
                errors["id_number"] = str(exc)
    elif kind is not None:
        id_type = id_type or IdType.ID_CARD
        if id_type not in IdType.values or id_type == IdType.USCC:
            errors["id_type"] = "请选择有效的身份证件类型"
        elif not id_number:
            errors["id_number"] = "请填写身份证件号码"
        elif id_type == IdType.ID_CARD:
            try:
                id_number = parse_id_number(id_number).number
            except CodeError as exc:
                errors["id_number"] = str(exc)
        elif len(id_number) > 40:
            errors["id_number"] = "证件号码过长"
    phone = str(data.get("phone") or "").strip()
    email = str(data.get("email") or "").strip()
    address = str(data.get("address") or "").strip()
    postcode = str(data.get("postcode") or "").strip()
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
    if errors:
        raise InvalidInput("申请人信息有误：" + "；".join(errors.values()), errors)
    assert kind is not None
    return {
        "applicant_type": kind.value,
        "applicant_name": name,
        "applicant_id_type": id_type,
        "applicant_id_number": id_number,
        "applicant_contact_person": str(data.get("contact_person") or "").strip()[:50],
        "applicant_phone": phone,
        "applicant_email": email,
        "applicant_address": address,
        "applicant_postcode": postcode,
    }


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
    actor: Actor,
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
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(f"{sniffed.extension}", ContentFile(content), save=False)
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
    from gongkai.apps.accounts.models import User
    from gongkai.apps.notifications.services import notify

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


def application_register(
    *,
    actor: Actor,
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
    attachments: Sequence[tuple[str, bytes] | tuple[str, bytes, str]] = (),
    applicant_user: Any = None,
    forwarded_from: Application | None = None,
    notify_by: Sequence[str] = (),
) -> Application:
    """Register a 政府信息公开申请 received by ``agency`` through ``channel``.

    Gives it the next registration number of the agency's year (``YSQ-2026-000123``), a query
    code (returned once as ``application.query_code``; only its hash is stored), the statutory
    deadline and the repeat/mass flags. ``received_on`` is the 条例第三十一条 receipt date; when
    omitted it is derived from ``submitted_on``/``signed_for_on``/``confirmed_on`` and the
    channel. Attachments are ``(filename, bytes[, DocumentKind])``. Raises InvalidInput or
    UploadRejected (Chinese messages) without storing anything.
    """
    try:
        channel = RequestChannel(channel)
    except ValueError:
        raise InvalidInput("申请渠道不正确", {"channel": "请选择申请渠道"}) from None
    if not getattr(agency, "is_active", False):
        raise InvalidInput("请选择受理申请的机关", {"agency": "请选择受理申请的机关"})
    _check_choice(form, ProvideForm, "form", "获取信息的形式")
    _check_choice(delivery, DeliveryMethod, "delivery", "获取信息的方式")
    if channel == RequestChannel.LETTER:
        letter_kind = letter_kind or LetterKind.REGISTERED
        _check_choice(letter_kind, LetterKind, "letter_kind", "信函种类")
    else:
        letter_kind = ""
    cleaned = clean_applicant(applicant, delivery=delivery)
    notice_phone, notice_email = clean_notice_contacts(
        notify_by, phone=cleaned["applicant_phone"], email=cleaned["applicant_email"]
    )
    description = (description or "").strip()
    if len(description) < 5:
        raise InvalidInput(
            "请描述所需政府信息的名称、文号或者便于查询的其他特征（至少5个字）",
            {"description": "请描述所需政府信息的名称、文号或者便于查询的其他特征（至少5个字）"},
        )
    if len(description) > 5000:
        raise InvalidInput("信息描述不能超过5000字", {"description": "信息描述不能超过5000字"})
    if len(attachments) > MAX_FILES_PER_UPLOAD:
        raise InvalidInput(f"一次最多上传{MAX_FILES_PER_UPLOAD}个文件", {"attachments": "文件过多"})
    for item in attachments:
        check_upload(item[0], item[1])

    now = today()
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

    key = applicant_key(cleaned["applicant_id_type"], cleaned["applicant_id_number"])
    rules = CaseRules.current()
    saved: list[str] = []
    try:
        with transaction.atomic():
            repeat, score, mass = _flags(agency.pk, key, description, received_on, rules)
            year = received_on.year
            seq = next_number(agency.pk, year, "YSQ")
            if forwarded_from is not None:
                salt, code_hash, code = (
                    forwarded_from.query_code_salt,
                    forwarded_from.query_code_hash,
                    None,
                )
            else:
                code = new_query_code()
                salt = secrets.token_hex(8)
                code_hash = hash_query_code(salt, code)
            application = Application(
                agency=agency,
                number=f"YSQ-{year}-{seq:06d}",
                year=year,
                seq=seq,
                query_code_salt=salt,
                query_code_hash=code_hash,
                state=CaseState.REGISTERED.value,
                state_changed_at=clock.now(),
                channel=channel.value,
                letter_kind=letter_kind,
                provide_form=form,
                delivery=delivery,
                applicant_key=key,
                applicant_user=applicant_user
                if getattr(applicant_user, "is_authenticated", False)
                else None,
                description=description,
                purpose=(purpose or "").strip(),
                source_note=(source_note or "").strip()[:300],
                submitted_on=submitted,
                signed_for_on=signed_for_on,
                confirmed_on=confirmed_on,
                received_on=received_on,
                repeat_of=repeat,
                repeat_score=score,
                mass_count=mass,
                flagged_mass=is_mass(mass, threshold=rules.mass_threshold),
                forwarded_from=forwarded_from,
                notice_phone=notice_phone,
                notice_email=notice_email,
                **cleaned,
            )
            due.apply(application, [])  # a new case has no clock events yet
            application.save()
            for item in attachments:
                kind = item[2] if len(item) > 2 else DocumentKind.APPLICANT_FILE  # type: ignore[misc]
                _store_document(
                    application, kind=kind, name=item[0], content=item[1], actor=actor, saved=saved
                )
            after = snap(application) | {
                "number": application.number,
                "channel": channel.value,
                "applicant_type": application.applicant_type,
                "received_on": received_on,
                "attachments": len(attachments),
                "repeat_of": repeat.number if repeat else None,
                "mass_count": mass,
                "source_note": application.source_note,
                "notify_by": sorted(notify_by),
            }
            audit_record(
                actor=actor,
                action="application.register",
                obj=application,
                agency_id=agency.pk,
                after=after,
                object_label=application.number,
            )
            transaction.on_commit(lambda: _notify_new(application))
    except BaseException:
        _delete_files(saved)
        raise
    application.query_code = code  # type: ignore[attr-defined]
    return application


def application_document_add(
    *,
    actor: Actor,
    application: Application,
    kind: str,
    files: Sequence[tuple[str, bytes]],
) -> list[CaseDocument]:
    """Staff add documents to a case (scans, released information, delivery proof …)."""
    from gongkai.apps.applications.errors import NotAllowed
    from gongkai.apps.applications.permissions import is_case_staff
    from gongkai.apps.applications.services.common import lock

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
                action="application.document_add",
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
    from gongkai.apps.applications.errors import NotAllowed
    from gongkai.apps.applications.permissions import is_case_staff
    from gongkai.apps.applications.services.common import lock

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
            action="application.document_withdraw",
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
