from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.apps.notifications.selectors import notice_list
from gongkai.apps.notifications.services import notice_mark_read


@login_required
def inbox(request):
    page = Paginator(notice_list(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@login_required
def mark_read(request):
    ids = [int(x) for x in request.POST.getlist("id") if x.isdigit()] or None
    notice_mark_read(user=request.user, notice_ids=ids)
    return redirect("notifications:inbox")
