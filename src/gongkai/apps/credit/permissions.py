"""Who may do what with 双公示 records."""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import can_act_for_agency, is_staff_member, is_supervisor
from gongkai.apps.audit.services import SystemActor

ACTING_ROLES = (Role.OFFICER, Role.HEAD)


def can_enter(user: Any, agency_id: int) -> bool:
    """Officers and heads enter, publish and withdraw their own agency's decisions."""
    return can_act_for_agency(user, agency_id, *ACTING_ROLES)


def can_act_on(user: Any, record: Any) -> bool:
    if isinstance(user, SystemActor):
        return True
    return can_enter(user, record.agency_id)


def can_see_backoffice(user: Any) -> bool:
    return is_staff_member(user) and (is_supervisor(user) or bool(user.agency_id))
