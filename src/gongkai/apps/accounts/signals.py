from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from gongkai.apps.audit.services import audit_record
from gongkai.domain.accounts import AccountAction


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    with transaction.atomic():
        audit_record(actor=user, action=AccountAction.LOGIN, obj=user, agency_id=user.agency_id)
