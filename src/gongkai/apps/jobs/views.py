from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from gongkai.apps.accounts.permissions import is_staff_member, is_supervisor
from gongkai.apps.jobs.models import Job


def _visible(user, job: Job) -> bool:
    return (
        is_supervisor(user)
        or job.created_by_id == user.pk
        or (job.agency_id is not None and job.agency_id == user.agency_id)
    )


@login_required
def job_list(request):
    if not is_staff_member(request.user):
        raise PermissionDenied
    jobs = Job.objects.select_related("created_by").order_by("-id")
    if not is_supervisor(request.user):
        jobs = jobs.filter(created_by=request.user) | jobs.filter(agency_id=request.user.agency_id)
    return render(request, "jobs/bo/list.html", {"jobs": jobs[:100]})


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(Job, pk=pk)
    if not is_staff_member(request.user) or not _visible(request.user, job):
        raise PermissionDenied
    template = (
        "jobs/bo/_progress.html" if request.headers.get("HX-Request") else "jobs/bo/detail.html"
    )
    return render(request, template, {"job": job})
