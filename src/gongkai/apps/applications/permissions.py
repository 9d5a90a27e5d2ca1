"""Who may see and do what with a 依申请公开 case.

Staff read the cases of their own agency when they hold a disclosure role there (公开专员,
审核人, 公开办负责人); supervisors (市公开办) read every agency's cases. Acting needs the role
the step calls for, in the case's own agency. Applicants see their own cases: by account, or
in the session after giving the registration number and query code.
"""

from __future__ import annotations

from typing import Any

from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import (
    can_act_for_agency,
    has_role,
    is_staff_member,
    is_supervisor,
)
from gongkai.domain.casestates import CaseAction

CASE_ROLES = (Role.OFFICER, Role.REVIEWER, Role.HEAD)

# the roles that may take each step (in the case's agency)
ACTION_ROLES: dict[CaseAction, tuple[str, ...]] = {
    CaseAction.ACCEPT: (Role.OFFICER, Role.HEAD),
    CaseAction.ASSIGN: (Role.HEAD,),
    CaseAction.CORRECTION_REQUEST: (Role.OFFICER, Role.HEAD),
    CaseAction.CORRECTION_RECEIVE: (Role.OFFICER, Role.HEAD),
    CaseAction.CONSULT_START: (Role.OFFICER, Role.HEAD),
    CaseAction.CONSULT_END: (Role.OFFICER, Role.HEAD),
    CaseAction.EXTENSION_REQUEST: (Role.OFFICER, Role.HEAD),
    # 条例第三十三条: an extension needs the approval of the office's 负责人
    CaseAction.EXTENSION_APPROVE: (Role.HEAD,),
    CaseAction.EXTENSION_REJECT: (Role.HEAD,),
    CaseAction.FEE_NOTICE: (Role.OFFICER, Role.HEAD),
    CaseAction.FEE_SERVED: (Role.OFFICER, Role.HEAD),
    CaseAction.FEE_PAID: (Role.OFFICER, Role.HEAD),
    CaseAction.REASONS_REQUEST: (Role.OFFICER, Role.HEAD),
    CaseAction.REASONS_ACCEPT: (Role.OFFICER, Role.HEAD),
    CaseAction.REPLY_DRAFT: (Role.OFFICER, Role.HEAD),
    CaseAction.REPLY_APPROVE: (Role.REVIEWER, Role.HEAD),
    CaseAction.REPLY_RETURN: (Role.REVIEWER, Role.HEAD),
    CaseAction.DELIVER: (Role.OFFICER, Role.HEAD),
    CaseAction.ARCHIVE: (Role.OFFICER, Role.HEAD),
    CaseAction.WITHDRAW: (Role.OFFICER, Role.HEAD),
    CaseAction.APPEAL_RECORD: (Role.OFFICER, Role.HEAD),
}


def is_case_staff(user: Any, agency_id: int) -> bool:
    return can_act_for_agency(user, agency_id, *CASE_ROLES)


def can_view_case(user: Any, application: Any) -> bool:
    """Staff view: the handling agency's disclosure staff, or a supervisor."""
    return is_supervisor(user) or is_case_staff(user, application.agency_id)


def can_act(user: Any, application: Any, action: CaseAction) -> bool:
    return can_act_for_agency(user, application.agency_id, *ACTION_ROLES[action])


def can_intake(user: Any, agency_id: int) -> bool:
    return can_act_for_agency(user, agency_id, Role.OFFICER, Role.HEAD)


def can_use_case_office(user: Any) -> bool:
    """May open the back-office case pages at all (any disclosure role, or supervisor)."""
    if not is_staff_member(user):
        return False
    return is_supervisor(user) or any(has_role(user, role) for role in CASE_ROLES)


def can_configure(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def is_applicant_of(user: Any, application: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and application.applicant_user_id is not None
        and application.applicant_user_id == user.pk
    )
