import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import is_staff_member
from gongkai.registry import workqueue_providers

log = logging.getLogger(__name__)


@login_required
def home(request):
    user = request.user
    if not is_staff_member(user):
        raise PermissionDenied
    sections = []
    for provider in workqueue_providers:
        sections.extend(provider(user) or [])
    sections.sort(key=lambda s: (s.order, s.title))
    roles = [Role(r).label for r in sorted(user.role_set)]
    return render(request, "backoffice/home.html", {"sections": sections, "roles": roles})
