from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.apps.accounts.permissions import is_staff_member
from gongkai.apps.notifications.selectors import notice_get, notice_list
from gongkai.apps.notifications.services import notice_mark_read


@login_required
def inbox(request):
    page = Paginator(notice_list(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/bo/inbox.html", {"page": page})


@require_POST
@login_required
def mark_read(request):
    ids = [int(x) for x in request.POST.getlist("id") if x.isdigit()] or None
    notice_mark_read(user=request.user, notice_ids=ids)
    return redirect("notifications:inbox")


def _public_user(request):
    if is_staff_member(request.user):
        return None
    return request.user


@never_cache
@login_required
def portal_inbox(request):
    """我的通知: the applicant's notices on the portal, unread first marked."""
    if _public_user(request) is None:
        return redirect("notifications:inbox")
    page = Paginator(notice_list(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/portal_inbox.html", {"page": page})


@never_cache
@login_required
def portal_open(request, notice_id: int):
    """Opening a notice marks it read (the time is kept as evidence) and goes to its page."""
    notice = notice_get(request.user, notice_id)
    if notice is None:
        raise Http404
    notice_mark_read(user=request.user, notice_ids=[notice.pk])
    target = notice.url or "/notices/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/notices/"
    return redirect(target)


@require_POST
@login_required
def portal_mark_read(request):
    notice_mark_read(user=request.user)
    return redirect("notifications_portal:inbox")
