from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from gongkai.apps.accounts.permissions import is_staff_member, visible_agency_ids
from gongkai.apps.audit.selectors import (
    audit_events_visible,
    audit_heads_published,
    audit_publication_json,
    audit_publication_latest,
)
from gongkai.domain.vocabulary import all_action_labels


@login_required
def event_list(request):
    if not is_staff_member(request.user):
        raise PermissionDenied
    events = audit_events_visible(request.user, agency_ids=visible_agency_ids(request.user))
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    obj = request.GET.get("object", "").strip()
    if obj:
        events = events.filter(object_label__contains=obj)
    page = Paginator(events, 50).get_page(request.GET.get("page"))

    choices = sorted(all_action_labels().items(), key=lambda item: item[0])
    return render(
        request,
        "audit/bo/list.html",
        {"page": page, "action": action, "object": obj, "action_choices": choices},
    )


def heads(request):
    """Public: the chain heads published each day. Anyone may save them; a later
    ``gongkai audit verify --published FILE`` shows whether anything published was removed
    or rewritten since (ADR 0083). Heads are hashes: no content of any event."""
    page = Paginator(audit_heads_published(), 30).get_page(request.GET.get("page"))
    return render(request, "audit/heads.html", {"page": page, "latest": audit_publication_latest()})


def heads_json(request):
    """Every publication, as the verifier reads it."""
    data = [audit_publication_json(p) for p in audit_heads_published()]
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})
