"""Background jobs: enqueue inside a transaction, run by ``gongkai worker`` with progress.

A handler registered with ``gongkai.registry.register_job(kind, fn)`` is called as
``fn(job, report)`` where ``report(done, total=None, message=None)`` saves progress; whatever
it returns (a JSON-able dict) becomes the job's result.
"""

from __future__ import annotations

import logging
import time
import traceback
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from gongkai import clock
from gongkai.apps.audit.services import audit_record
from gongkai.apps.jobs.models import Job, JobStatus
from gongkai.registry import job_handlers

log = logging.getLogger(__name__)


def job_enqueue(
    *, kind: str, title: str, params: dict[str, Any], actor: Any, agency: Any = None
) -> Job:
    if kind not in job_handlers:
        raise ValueError(f"未知的任务类型：{kind}")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title,
            params=params,
            agency=agency,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="job.enqueue",
            obj=job,
            agency_id=getattr(agency, "pk", None),
            after={"kind": kind, "params": params},
        )
        if settings.GONGKAI_RUN_JOBS_INLINE:
            transaction.on_commit(lambda: job_run(job.pk))
    return job


def _claim(job_id: int) -> bool:
    """Atomically move a queued job to running; False when another worker got it first."""
    return bool(
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=clock.now()
        )
    )


def job_run(job_id: int) -> Job:
    if not _claim(job_id):
        return Job.objects.get(pk=job_id)
    job = Job.objects.get(pk=job_id)
    last_save = [0.0]

    def report(done: int, total: int | None = None, message: str | None = None) -> None:
        job.progress = done
        if total is not None:
            job.total = total
        if message is not None:
            job.message = message[:300]
        now = time.monotonic()
        if now - last_save[0] >= 0.5 or (job.total and done >= job.total):
            last_save[0] = now
            Job.objects.filter(pk=job.pk).update(
                progress=job.progress, total=job.total, message=job.message
            )

    try:
        result = job_handlers[job.kind](job, report)
    except Exception as exc:  # a job failure is recorded, never lost
        log.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=f"{exc}\n\n{traceback.format_exc()}"[:20000],
            finished_at=clock.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            result=result or {},
            finished_at=clock.now(),
            progress=job.total or job.progress,
            message="完成",
        )
    job.refresh_from_db()
    return job


def worker_loop(*, once: bool = False, poll_seconds: float = 1.0) -> int:
    """Run queued jobs oldest first; return how many ran (``once``: until the queue is empty)."""
    ran = 0
    while True:
        if not connection.in_atomic_block:  # a long-running worker drops stale connections
            close_old_connections()
        next_id = (
            Job.objects.filter(status=JobStatus.QUEUED)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        if next_id is None:
            if once:
                return ran
            time.sleep(poll_seconds)
            continue
        job_run(next_id)
        ran += 1
