from django.shortcuts import get_object_or_404, render

from gongkai.apps.organizations.models import Agency
from gongkai.apps.organizations.selectors import agency_root, agency_tree


def agency_list(request):
    return render(request, "organizations/list.html", {"tree": agency_tree()})


def guide(request, code: str):
    agency = get_object_or_404(Agency.objects.select_related("parent"), code=code, is_active=True)
    root = agency_root()
    supervisor = root if root and root.pk != agency.pk else None
    return render(
        request,
        "organizations/guide.html",
        {"agency": agency, "supervisor_agency": supervisor, "parent": agency.parent},
    )
