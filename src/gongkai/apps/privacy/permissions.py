"""Who may see and resolve privacy reviews.

Staff read the reviews of their own agency, supervisors (市公开办) read all. Any staff role of
the agency may mask a finding (the safe choice); publishing personal data despite a finding
takes a 审核人 or 公开办负责人. Reviews without an agency belong to the system administrator.
"""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import (
    can_act_for_agency,
    can_read_agency,
    is_admin,
    is_staff_member,
)

MASK_ROLES = (Role.OFFICER, Role.REVIEWER, Role.HEAD)
OVERRIDE_ROLES = (Role.REVIEWER, Role.HEAD)


def can_view_review(user: Any, review: Any) -> bool:
    return is_staff_member(user) and can_read_agency(user, review.agency_id)


def can_mask(user: Any, review: Any) -> bool:
    if review.agency_id is None:
        return is_admin(user)
    return can_act_for_agency(user, review.agency_id, *MASK_ROLES)


def can_override(user: Any, review: Any) -> bool:
    if review.agency_id is None:
        return is_admin(user)
    return can_act_for_agency(user, review.agency_id, *OVERRIDE_ROLES)


def can_use_checks(user: Any) -> bool:
    """自查: staff of an agency with a role there (they check files before publishing)."""
    return (
        is_staff_member(user)
        and user.agency_id is not None
        and can_act_for_agency(user, user.agency_id, *MASK_ROLES)
    )
