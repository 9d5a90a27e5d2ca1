from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.apps.organizations.forms import GUIDE_FIELDS, AgencyGuideForm
from gongkai.apps.organizations.models import Agency
from gongkai.apps.organizations.permissions import can_edit_guide
from gongkai.apps.organizations.selectors import agency_root, agency_tree
from gongkai.apps.organizations.services import agency_update


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


@login_required
def guide_edit(request, code: str | None = None):
    agency = get_object_or_404(Agency, code=code) if code else request.user.agency
    if agency is None or not can_edit_guide(request.user, agency):
        raise PermissionDenied
    form = AgencyGuideForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        agency_update(
            actor=request.user, agency=agency, **{f: form.cleaned_data[f] for f in GUIDE_FIELDS}
        )
        messages.success(request, "公开指南信息已更新。")
        return redirect("organizations:guide_edit_code", code=agency.code)
    return render(request, "organizations/bo/guide_edit.html", {"agency": agency, "form": form})
