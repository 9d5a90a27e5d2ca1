"""Who may do what in the catalogue, built on accounts.permissions."""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import (
    can_act_for_agency,
    can_read_agency,
    is_admin,
    is_staff_member,
    is_supervisor,
)
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import SystemActor

EDIT_ROLES = (Role.OFFICER, Role.REVIEWER, Role.HEAD)
REVIEW_ROLES = (Role.REVIEWER, Role.HEAD)


def is_system(actor: Actor) -> bool:
    """Jobs, imports and demo loading act as the system actor (gongkai.apps.audit SYSTEM)."""
    return isinstance(actor, SystemActor)


def can_use_catalog_backoffice(user: Any) -> bool:
    return is_staff_member(user)


def can_read_document(user: Any, agency_id: int) -> bool:
    """Staff of the agency (and supervisors) see its drafts and unpublished documents."""
    return is_system(user) or can_read_agency(user, agency_id)


def can_edit_for(user: Any, agency_id: int) -> bool:
    return is_system(user) or can_act_for_agency(user, agency_id, *EDIT_ROLES)


def can_review_for(user: Any, agency_id: int) -> bool:
    """保密审查 and approval: 审核人 or 公开办负责人 of the agency."""
    return is_system(user) or can_act_for_agency(user, agency_id, *REVIEW_ROLES)


def can_publish_for(user: Any, agency_id: int) -> bool:
    return can_edit_for(user, agency_id)


def can_withdraw_for(user: Any, agency_id: int) -> bool:
    return can_review_for(user, agency_id)


def can_enter_tallies_for(user: Any, agency_id: int) -> bool:
    return can_edit_for(user, agency_id)


def can_manage_gazette(user: Any, gazette_agency_id: int) -> bool:
    return (
        is_system(user)
        or is_admin(user)
        or can_act_for_agency(user, gazette_agency_id, *EDIT_ROLES)
    )


def can_manage_index(user: Any) -> bool:
    return is_system(user) or is_admin(user)


def can_export_all(user: Any) -> bool:
    return is_supervisor(user)
