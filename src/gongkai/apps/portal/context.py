from django.urls import NoReverseMatch, reverse

from gongkai.apps.accounts.permissions import is_staff_member
from gongkai.apps.notifications.selectors import notice_unread_count
from gongkai.apps.organizations.models import PortalSettings
from gongkai.registry import backoffice_nav, portal_nav


def _links(entries, request, user):
    links = []
    for entry in entries:
        if not entry.visible(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        links.append(
            {
                "label": entry.label,
                "url": url,
                "current": request.path.startswith(url) and url != "/",
            }
        )
    return links


def site(request):
    user = getattr(request, "user", None)
    staff = is_staff_member(user) if user is not None else False
    return {
        "site": PortalSettings.current(),
        "portal_nav": _links([e for e in portal_nav if e.order < 900], request, user),
        "backoffice_nav": _links(backoffice_nav, request, user) if staff else [],
        "is_staff_member": staff,
        # staff see theirs in the back office, applicants beside 我的 on the portal
        "unread_notices": notice_unread_count(user) if user is not None else 0,
    }
