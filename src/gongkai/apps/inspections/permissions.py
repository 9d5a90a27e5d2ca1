"""Who may do what in 双随机一公开 and 保障房摇号."""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import (
    can_act_for_agency,
    can_read_agency,
    is_admin,
    is_staff_member,
)
from gongkai.apps.inspections.models import InspectionItem

ACTING_ROLES = (Role.OFFICER, Role.HEAD)


def can_manage(user: Any, agency_id: int) -> bool:
    """Officers and heads run their own agency's items, inspectors, tasks and lotteries."""
    return can_act_for_agency(user, agency_id, *ACTING_ROLES)


def can_manage_directory(user: Any) -> bool:
    """The entity directory is shared by every 监管部门: admins, and officers/heads of agencies
    that have inspection items, maintain it."""
    if is_admin(user):
        return True
    if not is_staff_member(user) or not user.agency_id:
        return False

    return (
        bool(user.role_set & set(ACTING_ROLES))
        and InspectionItem.objects.filter(agency_id=user.agency_id).exists()
    )


def can_manage_ruleset(user: Any, agency_id: int | None) -> bool:
    if agency_id is None:
        return is_admin(user)
    return can_manage(user, agency_id)


def can_see_task(user: Any, task: Any) -> bool:
    """Frozen, drawn and published tasks are public; drafts only for their agencies' staff."""
    if task.is_public:
        return True
    return can_read_agency(user, task.agency_id) or (
        is_staff_member(user)
        and user.agency_id is not None
        and task.joint_agencies.filter(pk=user.agency_id).exists()
    )


def can_record_results(user: Any, task: Any) -> bool:
    """The lead department and every joint department enter results (谁检查、谁录入)."""
    if can_manage(user, task.agency_id):
        return True
    return (
        is_staff_member(user)
        and user.agency_id is not None
        and bool(user.role_set & set(ACTING_ROLES))
        and task.joint_agencies.filter(pk=user.agency_id).exists()
    )


def can_see_inspector_private(user: Any, inspector: Any) -> bool:
    """Residence district and conflict reasons: the inspector's agency and supervisors only."""
    return can_read_agency(user, inspector.agency_id)


def can_see_lottery(user: Any, lottery: Any) -> bool:
    return lottery.is_public or can_read_agency(user, lottery.agency_id)


def can_see_applicant_identity(user: Any, lottery: Any) -> bool:
    """Full names and identity numbers: the organising agency's staff only (not supervisors'
    public pages, never the portal)."""
    return can_read_agency(user, lottery.agency_id)
