"""Who may do what. Every app's own permissions module builds on these predicates."""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.models import Role


def is_staff_member(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_agency_staff


def has_role(user: Any, role: str, agency_id: int | None = None) -> bool:
    """True when the user holds ``role`` (in ``agency_id`` when one is given)."""
    if not is_staff_member(user) or role not in user.role_set:
        return False
    return agency_id is None or user.agency_id == agency_id


def is_supervisor(user: Any) -> bool:
    """市公开办: reads across every agency (but acts only through its own agency's roles)."""
    return is_staff_member(user) and bool(user.role_set & {Role.SUPERVISOR, Role.ADMIN})


def is_admin(user: Any) -> bool:
    return is_staff_member(user) and Role.ADMIN in user.role_set


def visible_agency_ids(user: Any) -> set[int] | None:
    """Agencies whose non-public records the user may read; None means all of them."""
    if is_supervisor(user):
        return None
    if is_staff_member(user) and user.agency_id:
        return {user.agency_id}
    return set()


def can_read_agency(user: Any, agency_id: int | None) -> bool:
    ids = visible_agency_ids(user)
    return ids is None or (agency_id is not None and agency_id in ids)


def can_act_for_agency(user: Any, agency_id: int, *roles: str) -> bool:
    """Staff act only in their own agency, holding one of ``roles`` (any role when none given)."""
    if not is_staff_member(user) or user.agency_id != agency_id:
        return False
    return not roles or bool(user.role_set & set(roles))
