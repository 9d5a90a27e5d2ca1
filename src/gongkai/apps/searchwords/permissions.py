"""Editors (any staff member) read the query counts; administrators edit the aliases."""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.permissions import is_admin, is_staff_member, is_supervisor


def can_view_search_words(user: Any) -> bool:
    return is_staff_member(user)


def can_edit_aliases(user: Any) -> bool:
    return is_admin(user) or is_supervisor(user)
