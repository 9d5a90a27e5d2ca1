"""Who may see and do what with annual reports.

Published reports are public. Drafts, drill-downs and entered figures are the agency's own
(supervisors read every agency's). An agency's officers and heads build and edit its report; a
head (公开办负责人) publishes it. A government's own report is prepared by its 政府信息公开工作
主管部门 (条例第四十九条): the 市公开办 supervisors, whose agency is the government or one of its
offices; county governments' staff act for their own government directly.
"""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import (
    can_act_for_agency,
    can_read_agency,
    has_role,
    is_staff_member,
    is_supervisor,
)


def _is_competent_office(user: Any, agency: Any) -> bool:
    """A supervisor working in the government or directly under it acts for the government."""
    if not agency.is_government or not has_role(user, Role.SUPERVISOR):
        return False
    own = getattr(user, "agency", None)
    return own is not None and (own.pk == agency.pk or own.parent_id == agency.pk)


def can_view_report(user: Any, report: Any) -> bool:
    return report.is_published or can_read_agency(user, report.agency_id)


def can_edit_report(user: Any, agency: Any) -> bool:
    return can_act_for_agency(user, agency.pk, Role.OFFICER, Role.HEAD) or _is_competent_office(
        user, agency
    )


def can_publish_report(user: Any, agency: Any) -> bool:
    return can_act_for_agency(user, agency.pk, Role.HEAD) or _is_competent_office(user, agency)


def can_enter_figures(user: Any, agency: Any) -> bool:
    return can_edit_report(user, agency)


def can_see_dashboard(user: Any) -> bool:
    return is_supervisor(user)


def can_use_backoffice(user: Any) -> bool:
    return is_staff_member(user)
