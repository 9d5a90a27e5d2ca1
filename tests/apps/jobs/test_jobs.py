import datetime as dt

import pytest
from django.db import IntegrityError, OperationalError

from gongkai import clock
from gongkai.apps.jobs.engine import app as celery_app
from gongkai.apps.jobs.engine import beat_schedule
from gongkai.apps.jobs.models import Job, JobStatus
from gongkai.apps.jobs.periodic import periodic_run
from gongkai.apps.jobs.services import (
    JobRetry,
    backoff_delay,
    job_enqueue,
    job_run,
    job_run_inline,
    jobs_sweep,
    queue_stats,
)
from gongkai.registry import PeriodicWork, job_kinds, periodic_work, register_job, register_periodic


@pytest.fixture
def handlers():
    calls = {"flaky": 0}

    def count(job, report):
        total = job.params["n"]
        for i in range(total):
            report(i + 1, total, f"第 {i + 1} 条")
        return {"counted": total}

    def boom(job, report):
        raise ValueError("坏数据")

    def flaky(job, report):
        calls["flaky"] += 1
        if calls["flaky"] <= job.params["fail"]:
            raise OperationalError("could not connect to server")
        return {"attempt": calls["flaky"]}

    def broken_row(job, report):
        raise IntegrityError("duplicate key")

    register_job("test.count", count)
    register_job("test.boom", boom)
    register_job("test.flaky", flaky, retries=2, time_limit=60)
    register_job("test.integrity", broken_row, retries=2)
    yield calls
    for kind in ("test.count", "test.boom", "test.flaky", "test.integrity"):
        job_kinds.pop(kind)


@pytest.fixture
def queued(settings):
    settings.GONGKAI_RUN_JOBS_INLINE = False
    settings.GONGKAI_BROKER_URL = "memory://"
    celery_app.conf.broker_url = "memory://"
    yield
    celery_app.conf.broker_url = settings.GONGKAI_BROKER_URL


@pytest.mark.django_db
def test_job_runs_with_progress_and_result(world, handlers, queued):
    job = job_enqueue(
        kind="test.count", title="计数", params={"n": 5}, actor=world.officer_a, agency=world.dept_a
    )
    assert job.status == JobStatus.QUEUED
    job = job_run(job.pk, worker="w1@a")
    assert (job.status, job.progress, job.total, job.result, job.attempts, job.worker) == (
        JobStatus.DONE,
        5,
        5,
        {"counted": 5},
        1,
        "w1@a",
    )
    assert job.percent == 100


@pytest.mark.django_db
def test_a_failure_is_shown_at_once_when_another_attempt_would_fail_the_same(
    world, handlers, queued
):
    bad = job_enqueue(kind="test.boom", title="坏", params={}, actor=world.officer_a)
    job = job_run(bad.pk)
    assert job.status == JobStatus.FAILED and "坏数据" in job.error and job.attempts == 1
    integrity = job_enqueue(kind="test.integrity", title="坏", params={}, actor=world.officer_a)
    assert job_run(integrity.pk).status == JobStatus.FAILED  # not transient: no retry


@pytest.mark.django_db
def test_transient_failures_are_retried_with_growing_delays_then_succeed(world, handlers, queued):
    job = job_enqueue(
        kind="test.flaky", title="时好时坏", params={"fail": 2}, actor=world.officer_a
    )
    delays = []
    for _ in range(2):
        with pytest.raises(JobRetry) as retry:
            job_run(job.pk)
        delays.append(retry.value.delay)
        row = Job.objects.get(pk=job.pk)
        assert row.status == JobStatus.RETRY and "秒后重试" in row.message
    assert delays == [backoff_delay(1), backoff_delay(2)] == [15, 30]
    done = job_run(job.pk)
    assert (done.status, done.attempts, done.result) == (JobStatus.DONE, 3, {"attempt": 3})


@pytest.mark.django_db
def test_the_last_transient_failure_is_shown(world, handlers, queued):
    job = job_enqueue(
        kind="test.flaky", title="一直失败", params={"fail": 99}, actor=world.officer_a
    )
    done = job_run_inline(job.pk)
    assert done.status == JobStatus.FAILED
    assert done.attempts == 3 and "could not connect" in done.error and "第 3 次尝试" in done.error


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_run_again_by_the_next_worker(world, handlers, queued):
    job = job_enqueue(kind="test.count", title="计数", params={"n": 2}, actor=world.officer_a)
    # the first worker claimed it and was killed: the row says running, nothing finished it
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1, worker="w1@a")
    done = job_run(job.pk, worker="w2@b")
    assert (done.status, done.attempts, done.worker, done.result) == (
        JobStatus.DONE,
        2,
        "w2@b",
        {"counted": 2},
    )


@pytest.mark.django_db
def test_a_job_that_kills_its_worker_every_time_stops_being_redelivered(world, handlers, queued):
    job = job_enqueue(kind="test.flaky", title="毒任务", params={"fail": 0}, actor=world.officer_a)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=3)
    row = job_run(job.pk)
    assert row.status == JobStatus.FAILED and "中断" in row.error
    assert handlers["flaky"] == 0


@pytest.mark.django_db
def test_a_job_runs_once_even_if_delivered_twice(world, handlers, queued):
    job = job_enqueue(kind="test.count", title="计数", params={"n": 1}, actor=world.officer_a)
    job_run(job.pk)
    Job.objects.filter(pk=job.pk).update(result={"mark": 1})
    job_run(job.pk)  # already done: not run again
    assert Job.objects.get(pk=job.pk).result == {"mark": 1}


@pytest.mark.django_db
def test_enqueue_hands_the_job_to_the_broker_after_commit_with_its_time_limit(
    world, handlers, queued, django_capture_on_commit_callbacks, monkeypatch
):
    from gongkai.apps.jobs import engine

    sent = []
    monkeypatch.setattr(
        engine.run_job, "apply_async", lambda **kw: sent.append((kw["args"], kw["soft_time_limit"]))
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="test.flaky", title="x", params={"fail": 0}, actor=world.officer_a)
        assert sent == []  # nothing leaves before the commit
    assert sent == [([job.pk], 60)]
    assert Job.objects.get(pk=job.pk).dispatched_at is not None


@pytest.mark.django_db
def test_the_sweep_hands_over_what_the_broker_missed_and_ends_overdue_jobs(
    world, handlers, queued, monkeypatch
):
    from gongkai.apps.jobs import engine

    def unreachable(**kw):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(engine.run_job, "apply_async", unreachable)
    missed = job_enqueue(kind="test.count", title="x", params={"n": 1}, actor=world.officer_a)
    from gongkai.apps.jobs.services import job_dispatch

    assert job_dispatch(missed.pk) is False
    stuck = job_enqueue(kind="test.flaky", title="y", params={"fail": 0}, actor=world.officer_a)
    now = clock.now()
    Job.objects.filter(pk=stuck.pk).update(
        status=JobStatus.RUNNING, started_at=now - dt.timedelta(minutes=10)
    )
    Job.objects.filter(pk=missed.pk).update(created_at=now - dt.timedelta(minutes=5))
    sent = []
    monkeypatch.setattr(engine.run_job, "apply_async", lambda **kw: sent.append(kw["args"]))
    assert jobs_sweep(now=now) == {"dispatched": 1, "timed_out": 1}
    assert sent == [[missed.pk]]
    assert Job.objects.get(pk=stuck.pk).status == JobStatus.FAILED
    assert "超过时限" in Job.objects.get(pk=stuck.pk).error
    stats = queue_stats(now=now)
    assert stats["waiting"] == 1 and stats["oldest_age"] == pytest.approx(300, abs=1)


@pytest.mark.django_db
def test_unknown_kind_is_refused(world):
    with pytest.raises(ValueError, match="未知"):
        job_enqueue(kind="nope", title="x", params={}, actor=world.officer_a)


@pytest.mark.django_db
def test_progress_page_permissions(world, handlers, client_for, queued):
    job = job_enqueue(
        kind="test.count", title="计数", params={"n": 1}, actor=world.officer_a, agency=world.dept_a
    )
    assert client_for(world.officer_a).get(f"/backoffice/jobs/{job.pk}/").status_code == 200
    assert client_for(world.officer_b).get(f"/backoffice/jobs/{job.pk}/").status_code == 403
    partial = client_for(world.officer_a).get(f"/backoffice/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b"<progress" in partial.content and b"<html" not in partial.content


def test_the_schedule_has_the_reminders_and_the_platform_upkeep():
    schedule = beat_schedule()
    for name in (
        "applications.remind",
        "report.remind",
        "inspections.remind",
        "calendar.coverage",
        "sessions.cleanup",
        "jobs.sweep",
        "jobs.heartbeat",
        "search.upkeep",
    ):
        assert schedule[name]["args"] == (name,)
    assert schedule["applications.remind"]["schedule"].hour == {8}


def test_periodic_work_runs_once_per_period_however_often_it_is_sent():
    runs = []
    register_periodic(PeriodicWork("test.daily", "测试", runs.append, at=(8, 0)))
    try:
        morning = dt.datetime(2026, 11, 30, 0, 5, tzinfo=dt.UTC)  # 08:05 in Shanghai
        periodic_run("test.daily", now=morning)
        periodic_run("test.daily", now=morning + dt.timedelta(minutes=1))  # a second scheduler
        periodic_run("test.daily", now=morning + dt.timedelta(days=1))
        assert runs == [morning, morning + dt.timedelta(days=1)]
    finally:
        periodic_work.pop("test.daily")


def test_a_failed_periodic_run_can_be_tried_again_in_the_same_period():
    attempts = []

    def fails_once(now):
        attempts.append(now)
        if len(attempts) == 1:
            raise OperationalError("db down")

    register_periodic(PeriodicWork("test.often", "测试", fails_once, every=dt.timedelta(minutes=5)))
    try:
        now = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
        with pytest.raises(OperationalError):
            periodic_run("test.often", now=now)
        periodic_run("test.often", now=now)
        periodic_run("test.often", now=now)
        assert len(attempts) == 2
    finally:
        periodic_work.pop("test.often")


def test_drain_runs_every_queued_job_once_and_those_they_queue(
    world, handlers, queued, django_capture_on_commit_callbacks
):
    from gongkai.apps.jobs.services import jobs_drain

    def chain(job, report):
        job_enqueue(kind="test.count", title="后续", params={"n": 1}, actor=world.admin)
        return {}

    register_job("test.chain", chain)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = job_enqueue(kind="test.count", title="计数", params={"n": 3}, actor=world.admin)
            failing = job_enqueue(kind="test.boom", title="坏", params={}, actor=world.admin)
            job_enqueue(kind="test.chain", title="链", params={}, actor=world.admin)
        done = job_enqueue(kind="test.count", title="已完成", params={"n": 1}, actor=world.admin)
        job_run_inline(done.pk)
        seen = []
        outcome = jobs_drain(progress=lambda number, total, title: seen.append(title))
    finally:
        job_kinds.pop("test.chain")
    assert outcome == {"done": 3, "failed": 1}  # 计数, 链 and the job 链 queued; 坏 failed
    assert seen == ["计数", "坏", "链", "后续"]  # oldest first, then what they queued
    first.refresh_from_db()
    failing.refresh_from_db()
    assert first.status == JobStatus.DONE and first.result == {"counted": 3} and first.attempts == 1
    assert failing.status == JobStatus.FAILED and "坏数据" in failing.error
    assert not Job.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RETRY)).exists()
    assert jobs_drain() == {"done": 0, "failed": 0}  # nothing runs twice


def test_the_drain_command_says_what_ran_and_fails_when_a_job_failed(
    world, handlers, queued, capsys, django_capture_on_commit_callbacks
):
    from gongkai.cli import main

    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(kind="test.count", title="计数", params={"n": 2}, actor=world.admin)
    assert main(["worker", "--drain"]) == 0
    assert "完成 1 个，失败 0 个" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(kind="test.boom", title="坏", params={}, actor=world.admin)
    assert main(["worker", "--drain"]) == 1
    captured = capsys.readouterr()
    assert "完成 0 个，失败 1 个" in captured.out and "[1/1] 坏" in captured.err
