"""Work-queue sections: what each member of staff has to do with letters today."""

from __future__ import annotations

from typing import Any

from gongkai import clock
from gongkai.apps.accounts.permissions import can_act_for_agency, is_staff_member, is_supervisor
from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.apps.mailbox import permissions, selectors
from gongkai.apps.mailbox.models import Letter, LetterStatus, PublishStatus
from gongkai.domain.mailbox import DueState, due_state

ITEMS = 8
TONES = {
    DueState.OVERDUE: ("danger", "已超期"),
    DueState.DUE_TODAY: ("warn", "今日到期"),
    DueState.DUE_SOON: ("warn", "即将到期"),
}


def _items(qs, today, note: str = "", closed: bool = False) -> list[WorkItem]:
    items = []
    for letter in qs[:ITEMS]:
        tone, label = TONES.get(due_state(letter.due_date, today, closed=closed), ("", ""))
        items.append(
            WorkItem(
                title=f"{letter.number} {letter.subject}",
                url=letter.get_absolute_url(),
                due=None if closed else letter.due_date,
                note=label or note or letter.get_category_display(),
                tone=tone,
            )
        )
    return items


def _section(
    key: str, title: str, qs, today, more_url: str, order: int, note: str = "", closed: bool = False
) -> WorkSection | None:
    count = qs.count()
    if not count:
        return None
    items = _items(qs, today, note, closed)
    tone = (
        "danger"
        if any(i.tone == "danger" for i in items)
        else ("warn" if any(i.tone for i in items) else "")
    )
    return WorkSection(
        key=key, title=title, count=count, items=items, more_url=more_url, tone=tone, order=order
    )


def mailbox_sections(user: Any) -> list[WorkSection]:
    if not is_staff_member(user):
        return []
    today = clock.today()
    sections: list[WorkSection | None] = []
    base = Letter.objects.select_related("agency").order_by("due_date", "received_at", "id")
    if permissions.is_dispatcher(user):
        office = selectors.dispatch_agency()
        if office is not None:
            sections.append(
                _section(
                    "mailbox-dispatch",
                    "待分办的信件",
                    base.filter(agency_id=office.pk, status=LetterStatus.RECEIVED),
                    today,
                    "/backoffice/mailbox/dispatch/",
                    20,
                )
            )
    if user.agency_id and can_act_for_agency(user, user.agency_id, *permissions.HANDLER_ROLES):
        mine = base.filter(agency_id=user.agency_id)
        sections.append(
            _section(
                "mailbox-handling",
                "办理中的信件",
                mine.filter(status=LetterStatus.HANDLING),
                today,
                "/backoffice/mailbox/letters/?status=handling",
                21,
            )
        )
        if can_act_for_agency(user, user.agency_id, *permissions.APPROVER_ROLES):
            sections.append(
                _section(
                    "mailbox-review",
                    "待审核的信件答复",
                    mine.filter(status=LetterStatus.REVIEW),
                    today,
                    "/backoffice/mailbox/letters/?status=review",
                    22,
                )
            )
        sections.append(
            _section(
                "mailbox-publish",
                "待发布的信件（写信人同意公开）",
                Letter.objects.filter(
                    agency_id=user.agency_id,
                    status=LetterStatus.ANSWERED,
                    publish_status=PublishStatus.PENDING,
                ).order_by("replied_at", "id"),
                today,
                "/backoffice/mailbox/letters/?status=answered",
                23,
                note="待生成公开稿",
                closed=True,
            )
        )
    if is_supervisor(user):
        months = selectors.mailbox_settings().unanswered_alert_months
        sections.append(
            _section(
                "mailbox-too-long",
                f"超过{months}个月未答复的信件（网站检查“互动回应差”）",
                selectors.unanswered_too_long(today=today),
                today,
                "/backoffice/mailbox/stats/",
                5,
            )
        )
    return [s for s in sections if s is not None]
