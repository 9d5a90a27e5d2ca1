"""What the scheduler runs, each piece through its registered entry."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from gongkai import clock
from gongkai.apps.jobs.models import Job, JobStatus, Node, NodeRole
from gongkai.apps.notifications.models import Notice
from gongkai.registry import periodic_work

pytestmark = pytest.mark.django_db


def run(name, now):
    return periodic_work[name].run(now)


def test_the_calendar_check_tells_the_city_once_a_week_while_next_year_is_missing(world):
    from gongkai.apps.workcalendar.selectors import calendar_coverage_warning

    now = clock.now()  # 30 November: next year's notice is due
    warning = calendar_coverage_warning(clock.local_date(now))
    assert warning is not None  # the test calendar stops at this year
    sent = run("calendar.coverage", now)
    told = set(Notice.objects.filter(kind="calendar.coverage").values_list("user", flat=True))
    assert sent == len(told) and told == {world.supervisor.pk, world.admin.pk}
    assert run("calendar.coverage", now + dt.timedelta(days=1)) == 0
    assert run("calendar.coverage", now + dt.timedelta(days=8)) == 2


def test_session_cleanup_removes_only_expired_sessions():
    live, old = SessionStore(), SessionStore()
    live.create()
    old.create()
    now = clock.now()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=now - dt.timedelta(hours=1)
    )
    Session.objects.filter(session_key=live.session_key).update(
        expire_date=now + dt.timedelta(hours=1)
    )
    run("sessions.cleanup", now)
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_the_rebuild_job_asks_every_server_and_waits_for_those_seen_lately(
    world, settings, django_capture_on_commit_callbacks
):
    from gongkai.apps.catalog.models import SearchChange
    from gongkai.apps.catalog.search.indexing import REBUILD_JOB
    from gongkai.apps.jobs.services import job_enqueue

    settings.GONGKAI_SEARCH_ENGINE = "tantivy"
    now = clock.now()
    Node.objects.create(
        name="web1", role=NodeRole.WEB, engine="tantivy", position=10**9, seen_at=now
    )
    Node.objects.create(
        name="gone",
        role=NodeRole.WEB,
        engine="tantivy",
        position=0,
        seen_at=now - dt.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind=REBUILD_JOB, title="重建", params={}, actor=world.admin)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    marker = SearchChange.objects.get(document_id__isnull=True)
    assert job.params["marker"] == marker.pk
    assert job.result["已重建的服务器"] == "web1" and job.result["服务器数"] == 1
    assert Job.objects.get(pk=job.pk).progress == 1


def test_deploy_check_warns_when_the_queue_is_a_local_folder(settings):
    from gongkai.apps.jobs.checks import broker_configured

    settings.GONGKAI_BROKER_URL = "filesystem://"
    assert [w.id for w in broker_configured(None)] == ["gongkai.W120"]
    settings.GONGKAI_BROKER_URL = "amqp://gongkai@mq:5672/gongkai"
    assert broker_configured(None) == []


def test_the_progress_page_says_which_attempt_and_worker(world, client_for, settings):
    job = Job.objects.create(
        kind="x",
        title="导入",
        status=JobStatus.RUNNING,
        attempts=2,
        worker="w2@web2",
        created_by=world.officer_a,
    )
    page = client_for(world.officer_a).get(f"/backoffice/jobs/{job.pk}/").content.decode()
    assert "第 2 次尝试" in page and "执行进程 w2@web2" in page
