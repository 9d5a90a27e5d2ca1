"""The mailbox's use of other contexts, in one place: the working-day calendar, the privacy
review and 依申请公开 case registration. Imports are deferred so each context loads on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from gongkai.apps.applications.errors import ApplicationError
from gongkai.apps.applications.services import application_register as register
from gongkai.apps.audit.actors import Actor
from gongkai.apps.mailbox.errors import MailboxError
from gongkai.apps.privacy.errors import PrivacyBlocked
from gongkai.apps.privacy.selectors import privacy_review_latest
from gongkai.apps.privacy.services import (
    ReviewSource,
    mask_decider,
    privacy_assert_publishable,
    privacy_mask_text,
    privacy_review,
)
from gongkai.apps.workcalendar.models import due_columns as columns
from gongkai.apps.workcalendar.selectors import calendar_current
from gongkai.documents.mask import mask_plain_text
from gongkai.domain.reportfacts import RequestChannel


def working_calendar() -> Any:
    """The current official calendar (gongkai.domain.workdays.WorkCalendar), cached per process."""
    return calendar_current()


def due_columns(received_on: dt.date, working_days: int, calendar: Any = None) -> dict[str, Any]:
    """The due fields of a letter received on ``received_on`` with a limit of ``working_days``
    (the day of receipt is not counted; 暂定 past the loaded years)."""
    cal = calendar if calendar is not None else working_calendar()
    return columns(cal.due(received_on, working_days))


def working_days_between(start: dt.date, end: dt.date, calendar: Any = None) -> int:
    """Working days in (start, end]."""
    if end <= start:
        return 0
    cal = calendar if calendar is not None else working_calendar()
    return int(cal.count_working_days(start, end))


def mask_text(text: str, *, target: Any = None) -> str:
    """A masked copy; with ``target``, staff decisions in its current review are honoured
    (a finding marked masked is masked, one released with a reason is kept)."""
    review = None
    if target is not None:
        review = privacy_review_latest(target)
    return privacy_mask_text(text, review=review)


def bulk_masker() -> Callable[[str], str]:
    """A masking function for many texts at once (settings read once; no staff decisions)."""
    decider = mask_decider()
    return lambda text: mask_plain_text(text, decider)


def _sources(texts: Sequence[tuple[str, str]]) -> list[Any]:
    return [ReviewSource(label=label, text=text) for label, text in texts]


def privacy_review_texts(
    *, actor: Actor, target: Any, agency_id: int, texts: Sequence[tuple[str, str]]
) -> Any:
    return privacy_review(actor=actor, target=target, agency_id=agency_id, sources=_sources(texts))


def privacy_blocking_reason(target: Any, texts: Sequence[tuple[str, str]]) -> str | None:
    """None when the privacy review lets ``target`` with exactly ``texts`` be published,
    else the Chinese reason (never reviewed, changed since, or unresolved findings)."""
    try:
        privacy_assert_publishable(target, sources=_sources(texts))
    except PrivacyBlocked as exc:
        return str(exc)
    return None


def privacy_review_url(target: Any) -> str:
    """Where staff resolve the findings of ``target``'s review (the privacy back office)."""
    review = privacy_review_latest(target)
    return review.get_absolute_url() if review is not None else ""


def application_register(
    *,
    actor: Actor,
    agency: Any,
    applicant: dict[str, Any],
    applicant_user: Any,
    description: str,
    received_on: dt.date,
    source_note: str,
) -> tuple[str, dt.date | None]:
    """Register a 依申请公开 case (online channel, received on the letter's day of receipt);
    return its registration number and due date. Refusals come back as MailboxError."""
    try:
        application = register(
            actor=actor,
            agency=agency,
            channel=RequestChannel.ONLINE,
            applicant=applicant,
            description=description,
            received_on=received_on,
            source_note=source_note,
            applicant_user=applicant_user,
        )
    except ApplicationError as exc:
        raise MailboxError(f"无法转为政府信息公开申请：{exc.message}") from exc
    return application.number, application.due_date
