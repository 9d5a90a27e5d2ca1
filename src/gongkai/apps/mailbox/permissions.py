"""Who may do what with letters.

- The dispatcher (staff of the dispatch office, 市政府办公室 by default) and supervisors route,
  transfer and mark letters invalid.
- Staff read the letters their agency handles; supervisors (市公开办) read every agency's.
- Officers, reviewers and heads of the handling agency draft answers; reviewers and heads
  approve them, convert and redirect; publication is done by the handling agency.
"""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import (
    can_act_for_agency,
    can_read_agency,
    is_staff_member,
    is_supervisor,
)
from gongkai.apps.mailbox.models import LetterStatus
from gongkai.apps.mailbox.selectors import dispatch_agency

HANDLER_ROLES = (Role.OFFICER, Role.REVIEWER, Role.HEAD)
APPROVER_ROLES = (Role.REVIEWER, Role.HEAD)


def is_dispatcher(user: Any) -> bool:
    if not is_staff_member(user):
        return False
    if is_supervisor(user):
        return True
    cached = user.__dict__.get("_mailbox_dispatcher")  # once per request (the user object's life)
    if cached is None:
        office = dispatch_agency()
        cached = office is not None and user.agency_id == office.pk
        user.__dict__["_mailbox_dispatcher"] = cached
    return bool(cached)


def can_use_mailbox_backoffice(user: Any) -> bool:
    return is_staff_member(user)


def can_read_letter(user: Any, letter: Any) -> bool:
    return is_staff_member(user) and (
        can_read_agency(user, letter.agency_id) or is_dispatcher(user)
    )


def can_route(user: Any, letter: Any) -> bool:
    return is_dispatcher(user) and letter.is_open


def can_return(user: Any, letter: Any) -> bool:
    """The handling agency sends a letter that is not its business back to the dispatcher."""
    return letter.status == LetterStatus.HANDLING and can_act_for_agency(
        user, letter.agency_id, *HANDLER_ROLES
    )


def can_draft(user: Any, letter: Any) -> bool:
    return letter.status == LetterStatus.HANDLING and can_act_for_agency(
        user, letter.agency_id, *HANDLER_ROLES
    )


def can_approve(user: Any, letter: Any) -> bool:
    return letter.status in (LetterStatus.HANDLING, LetterStatus.REVIEW) and can_act_for_agency(
        user, letter.agency_id, *APPROVER_ROLES
    )


def can_divert(user: Any, letter: Any) -> bool:
    """Convert to a disclosure request or answer with another channel (信访、举报、投诉)."""
    if letter.status == LetterStatus.RECEIVED:
        return is_dispatcher(user)
    return can_approve(user, letter)


def can_mark_invalid(user: Any, letter: Any) -> bool:
    return letter.is_open and (
        is_dispatcher(user) or can_act_for_agency(user, letter.agency_id, *APPROVER_ROLES)
    )


def can_publish(user: Any, letter: Any) -> bool:
    return letter.status == LetterStatus.ANSWERED and can_act_for_agency(
        user, letter.agency_id, *HANDLER_ROLES
    )


def can_import_hotline(user: Any) -> bool:
    """12345 work orders are taken in by the dispatch office (file import or the API)."""
    return is_dispatcher(user)


def can_train_classifier(user: Any) -> bool:
    return is_dispatcher(user)


def can_read_statistics(user: Any) -> bool:
    return is_staff_member(user)
