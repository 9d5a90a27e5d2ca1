"""Who may do what in webcheck: the city office (supervisor) and administrators manage the
registry, the indicators and the samples; an agency's staff see their own sites' checks and
rectification tasks."""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.permissions import is_admin, is_staff_member, is_supervisor


def can_manage(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        is_admin(user) or is_supervisor(user)
    )


def can_see_site(user: Any, site: Any) -> bool:
    if can_manage(user):
        return True
    return is_staff_member(user) and user.agency_id in (site.operator_id, site.sponsor_id)
