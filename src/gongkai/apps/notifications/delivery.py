"""Notices that must reach a person outside the back office: the portal inbox, e-mail through
Django's mail backends and text messages through the SMS adapter.

``deliver`` is called inside the caller's transaction: it writes the inbox notice and one
Delivery row per channel with an audit event; the e-mail and the text message go out after
commit, and each result (sent with the backend's reference, or failed with the reason) is
recorded on its row with its own audit event. The rows are the 送达 evidence of electronic
notices (the document's number and SHA-256, the text's SHA-256, address, time, reference).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction

from gongkai import clock
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.notifications.models import (
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Notice,
)
from gongkai.apps.notifications.sms import SmsError, backend_name, sms_backend
from gongkai.domain.notices import NoticeAction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """What to tell: a title, the text, a link on the portal and the document it is about."""

    title: str
    body: str
    url: str = ""
    sms: str = ""
    kind: str = ""
    document_title: str = ""
    document_number: str = ""
    document_sha256: str = ""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _audit(delivery: Delivery, agency_id: int | None, action: NoticeAction) -> None:
    audit_record(
        actor=SYSTEM,
        action=action,
        obj=delivery,
        agency_id=agency_id,
        object_label=delivery.title[:300],
        after={
            "channel": delivery.channel,
            "to": delivery.masked_recipient,
            "status": delivery.status,
            "document": delivery.document_number,
            "document_sha256": delivery.document_sha256,
            "content_sha256": delivery.content_sha256,
            "ref": delivery.provider_ref,
            "error": delivery.error,
        },
    )


def deliver(
    message: Message,
    *,
    user: Any = None,
    email: str = "",
    phone: str = "",
    subject: Any = None,
    agency_id: int | None = None,
) -> list[Delivery]:
    """Record the notice for every channel the person has (inbox for an account, e-mail and
    text message where an address was left); send after commit."""
    subject_type = subject._meta.label_lower if subject is not None else ""
    subject_id = str(subject.pk) if subject is not None else ""
    common = {
        "subject_type": subject_type,
        "subject_id": subject_id,
        "document_title": message.document_title[:100],
        "document_number": message.document_number[:60],
        "document_sha256": message.document_sha256,
        "title": message.title[:200],
    }
    rows: list[Delivery] = []
    with transaction.atomic():
        if user is not None and getattr(user, "pk", None):
            notice = Notice.objects.create(
                user=user,
                title=message.title[:200],
                body=message.body,
                url=message.url[:300],
                kind=message.kind,
            )
            rows.append(
                Delivery.objects.create(
                    notice=notice,
                    channel=DeliveryChannel.INBOX,
                    recipient=user.get_username(),
                    content_sha256=_sha(message.body),
                    status=DeliveryStatus.SENT,
                    backend="站内通知",
                    provider_ref=f"notice-{notice.pk}",
                    sent_at=clock.now(),
                    **common,
                )
            )
        if email:
            rows.append(
                Delivery.objects.create(
                    channel=DeliveryChannel.EMAIL,
                    recipient=email,
                    content_sha256=_sha(message.body),
                    **common,
                )
            )
        if phone:
            rows.append(
                Delivery.objects.create(
                    channel=DeliveryChannel.SMS,
                    recipient=phone,
                    content_sha256=_sha(message.sms or message.title),
                    **common,
                )
            )
        for row in rows:
            _audit(row, agency_id, NoticeAction.DELIVER)
    pending = [r.pk for r in rows if r.status == DeliveryStatus.PENDING]
    if pending:
        transaction.on_commit(lambda: send_pending(pending, message, agency_id))
    return rows


def _send_email(delivery: Delivery, message: Message) -> str:
    msgid = make_msgid(domain="gongkai")
    mail = EmailMessage(
        subject=message.title,
        body=message.body,
        to=[delivery.recipient],
        headers={"Message-ID": msgid},
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    mail.send()
    return msgid


def send_pending(ids: list[int], message: Message, agency_id: int | None) -> None:
    """Send the e-mails and text messages of ``ids``; record each outcome (never raises: a
    failure is kept on its row, the notice stays in the inbox and on the case)."""
    for delivery in Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING):
        try:
            if delivery.channel == DeliveryChannel.EMAIL:
                ref, backend = _send_email(delivery, message), settings.EMAIL_BACKEND
            else:
                ref = sms_backend().send(delivery.recipient, message.sms or message.title)
                backend = backend_name()
        except (OSError, SmsError) as exc:
            log.warning("delivery %s failed", delivery.pk, exc_info=True)
            delivery.status, delivery.error = DeliveryStatus.FAILED, str(exc)[:300]
            delivery.backend = (
                settings.EMAIL_BACKEND
                if delivery.channel == DeliveryChannel.EMAIL
                else backend_name()
            )
        else:
            delivery.status, delivery.provider_ref = DeliveryStatus.SENT, ref[:200]
            delivery.backend = backend[:200]
            delivery.sent_at = clock.now()
        with transaction.atomic():
            delivery.save(update_fields=["status", "error", "backend", "provider_ref", "sent_at"])
            _audit(
                delivery, agency_id, NoticeAction.SENT if delivery.sent_at else NoticeAction.FAILED
            )


def deliveries_for(subject: Any) -> list[Delivery]:
    return list(
        Delivery.objects.filter(
            subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
        ).select_related("notice")
    )
