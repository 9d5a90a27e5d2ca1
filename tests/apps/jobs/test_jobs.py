import pytest

from gongkai.apps.jobs.models import Job, JobStatus
from gongkai.apps.jobs.services import job_enqueue, job_run, worker_loop
from gongkai.registry import job_handlers, register_job


@pytest.fixture
def handlers():
    def count(job, report):
        total = job.params["n"]
        for i in range(total):
            report(i + 1, total, f"第 {i + 1} 条")
        return {"counted": total}

    def boom(job, report):
        raise ValueError("坏数据")

    register_job("test.count", count)
    register_job("test.boom", boom)
    yield
    job_handlers.pop("test.count")
    job_handlers.pop("test.boom")


@pytest.mark.django_db
def test_job_runs_with_progress_and_result(world, handlers, settings):
    settings.GONGKAI_RUN_JOBS_INLINE = False
    job = job_enqueue(
        kind="test.count", title="计数", params={"n": 5}, actor=world.officer_a, agency=world.dept_a
    )
    assert job.status == JobStatus.QUEUED
    job = job_run(job.pk)
    assert (job.status, job.progress, job.total, job.result) == (
        JobStatus.DONE,
        5,
        5,
        {"counted": 5},
    )
    assert job.percent == 100


@pytest.mark.django_db
def test_failure_is_recorded_and_the_worker_goes_on(world, handlers, settings):
    settings.GONGKAI_RUN_JOBS_INLINE = False
    bad = job_enqueue(kind="test.boom", title="坏", params={}, actor=world.officer_a)
    good = job_enqueue(kind="test.count", title="好", params={"n": 1}, actor=world.officer_a)
    assert worker_loop(once=True) == 2
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == JobStatus.FAILED and "坏数据" in bad.error
    assert good.status == JobStatus.DONE


@pytest.mark.django_db
def test_a_job_runs_once_even_if_claimed_twice(world, handlers, settings):
    settings.GONGKAI_RUN_JOBS_INLINE = False
    job = job_enqueue(kind="test.count", title="计数", params={"n": 1}, actor=world.officer_a)
    job_run(job.pk)
    Job.objects.filter(pk=job.pk).update(result={"mark": 1})
    job_run(job.pk)  # already done: not run again
    assert Job.objects.get(pk=job.pk).result == {"mark": 1}


@pytest.mark.django_db
def test_unknown_kind_is_refused(world):
    with pytest.raises(ValueError, match="未知"):
        job_enqueue(kind="nope", title="x", params={}, actor=world.officer_a)


@pytest.mark.django_db
def test_progress_page_permissions(world, handlers, client_for, settings):
    settings.GONGKAI_RUN_JOBS_INLINE = False
    job = job_enqueue(
        kind="test.count", title="计数", params={"n": 1}, actor=world.officer_a, agency=world.dept_a
    )
    assert client_for(world.officer_a).get(f"/backoffice/jobs/{job.pk}/").status_code == 200
    assert client_for(world.officer_b).get(f"/backoffice/jobs/{job.pk}/").status_code == 403
    partial = client_for(world.officer_a).get(f"/backoffice/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b"<progress" in partial.content and b"<html" not in partial.content
