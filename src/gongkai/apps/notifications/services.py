"""Tell people things: an in-app notice, and an e-mail when mail is configured."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from gongkai import clock
from gongkai.apps.notifications.models import Notice

log = logging.getLogger(__name__)


def notify(
    users: Iterable[Any], *, title: str, body: str = "", url: str = "", kind: str = ""
) -> list[Notice]:
    """Create one notice per user (deduplicated); e-mails go out after the transaction commits."""
    seen: set[int] = set()
    notices = []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notices.append(Notice(user=user, title=title[:200], body=body, url=url[:300], kind=kind))
    created = Notice.objects.bulk_create(notices)
    if settings.EMAIL_HOST:
        ids = [n.pk for n in created if n.pk]
        transaction.on_commit(lambda: _send_emails(ids))
    return created


def _send_emails(notice_ids: list[int]) -> None:
    for notice in Notice.objects.filter(pk__in=notice_ids).select_related("user"):
        if not notice.user.email:
            continue
        try:
            send_mail(notice.title, f"{notice.body}\n\n{notice.url}", None, [notice.user.email])
        except OSError:  # retryable: the notice stays in the back office either way
            log.warning("notice %s: mail not sent", notice.pk, exc_info=True)
            continue
        Notice.objects.filter(pk=notice.pk).update(emailed_at=clock.now())


def notice_mark_read(*, user: Any, notice_ids: list[int] | None = None) -> int:
    qs = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    return qs.update(read_at=clock.now())
