"""Who may see and change the working-day calendar."""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.permissions import is_admin, is_staff_member, is_supervisor


def can_view_calendar(user: Any) -> bool:
    """Every staff member looks dates up; the calendar itself is public information."""
    return is_staff_member(user)


def can_edit_calendar(user: Any) -> bool:
    """Holiday entries, year confirmation, imports and time-limit rules: administrators only."""
    return is_admin(user)


def sees_coverage_warning(user: Any) -> bool:
    """Administrators load the next year; the city office (市公开办) makes sure they do."""
    return is_admin(user) or is_supervisor(user)
