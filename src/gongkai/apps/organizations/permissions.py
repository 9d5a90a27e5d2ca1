from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import can_act_for_agency, is_admin


def can_edit_guide(user, agency) -> bool:
    """The head of an agency's disclosure office keeps its 公开指南 details current."""
    return is_admin(user) or can_act_for_agency(user, agency.pk, Role.HEAD)
