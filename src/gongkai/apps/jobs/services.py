"""Background jobs: a Job row for the back office, the work itself on the task engine.

``job_enqueue`` writes the row inside the caller's transaction and, once it commits, hands the
job to the task engine (Celery, ADR 0120), which delivers it to one worker on any machine. The
worker calls :func:`job_run` for one attempt. A handler registered with
``gongkai.registry.register_job(kind, fn)`` is called as ``fn(job, report)`` where
``report(done, total=None, message=None)`` saves progress; whatever it returns (a JSON-able
dict) becomes the job's result.

Attempts: a transient failure (database or network unreachable, index busy) is retried with
exponential backoff while the kind has retries left (:class:`JobRetry` tells the engine when);
any other failure, or the last transient one, is shown as failed. A worker killed in the middle
of a job never acknowledged it, so the engine gives it to another worker, which finds the row
``running`` and runs it again (handlers are idempotent); a job that kills its worker every time
is failed after its attempts are spent instead of circling forever.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q

from gongkai import clock
from gongkai.apps.accounts.models import user_or_none
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.jobs.errors import TransientError
from gongkai.apps.jobs.models import Job, JobStatus, Node, NodeRole
from gongkai.domain.jobs import JobAction
from gongkai.registry import JobKind, job_kinds

log = logging.getLogger(__name__)

BACKOFF_FIRST = 15  # seconds before the first retry; doubled for each further one
BACKOFF_MAX = 15 * 60
HARD_LIMIT_GRACE = 60  # seconds between the soft limit (the job stops itself) and the kill
DISPATCH_RETRY_AFTER = dt.timedelta(minutes=1)


class JobRetry(Exception):
    """This attempt failed transiently; run the job again after ``delay`` seconds."""

    def __init__(self, delay: int) -> None:
        super().__init__(delay)
        self.delay = delay


def job_kind(kind: str) -> JobKind:
    try:
        return job_kinds[kind]
    except KeyError:
        raise ValueError(f"未知的任务类型：{kind}") from None


def job_enqueue(
    *, kind: str, title: str, params: dict[str, Any], actor: Actor, agency: Any = None
) -> Job:
    job_kind(kind)
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title,
            params=params,
            agency=agency,
            created_by=user_or_none(actor),
        )
        audit_record(
            actor=actor,
            action=JobAction.ENQUEUE,
            obj=job,
            agency_id=getattr(agency, "pk", None),
            after={"kind": kind, "params": params},
        )
        pk = job.pk
        if settings.GONGKAI_RUN_JOBS_INLINE:
            transaction.on_commit(lambda: job_run_inline(pk))
        else:
            transaction.on_commit(lambda: job_dispatch(pk))
    return job


def job_dispatch(job_id: int) -> bool:
    """Hand a job to the task engine. If the broker cannot be reached the row stays queued
    without a dispatch time and the periodic sweep hands it over later."""
    # deferred: import cycle (jobs.engine imports jobs.services)
    from gongkai.apps.jobs.engine import send_job

    job = Job.objects.only("kind").get(pk=job_id)
    limit = job_kind(job.kind).time_limit
    try:
        send_job(job_id, soft_limit=limit, hard_limit=limit + HARD_LIMIT_GRACE)
    except Exception:
        log.warning("job %s could not be handed to the task queue yet", job_id, exc_info=True)
        return False
    Job.objects.filter(pk=job_id).update(dispatched_at=clock.now())
    return True


def job_run_inline(job_id: int) -> Job:
    """Run a job in this process, retries included without waiting (tests, ``--inline``)."""
    while True:
        try:
            return job_run(job_id, worker="inline")
        except JobRetry:
            continue


def jobs_drain(*, progress: Callable[[int, int, str], None] | None = None) -> dict[str, int]:
    """Run every queued job in this process, oldest first, until none is left (a job may
    queue others), and say how many ended done and failed. For a machine without a running
    worker: the demo before a benchmark, a restored backup. A job a worker also receives
    later is not run twice: only a queued one is claimed."""
    outcome = {"done": 0, "failed": 0}
    while True:
        pending = list(
            Job.objects.filter(status__in=(JobStatus.QUEUED, JobStatus.RETRY))
            .order_by("pk")
            .values_list("pk", "title")
        )
        if not pending:
            return outcome
        for number, (pk, title) in enumerate(pending, start=1):
            if progress is not None:
                progress(number, len(pending), title)
            job = job_run_inline(pk)
            outcome["done" if job.status == JobStatus.DONE else "failed"] += 1


def _claim(job_id: int, worker: str, kind: JobKind) -> Job | None:
    """Take the job for this attempt: queued, waiting for a retry, or running on a worker that
    died (the engine only redelivers what was never acknowledged). None: nothing to run."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        if job.status == JobStatus.RUNNING and job.attempts > kind.retries:
            job.status = JobStatus.FAILED
            job.error = f"执行进程在第 {job.attempts} 次尝试中中断，已不再重试"
            job.finished_at = clock.now()
            job.save(update_fields=["status", "error", "finished_at"])
            return None
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.RUNNING,
            started_at=clock.now(),
            attempts=F("attempts") + 1,
            worker=worker[:200],
        )
    job.refresh_from_db()
    return job


def is_transient(exc: BaseException) -> bool:
    """Failures that another attempt may not meet: the database, the broker, a remote
    storage or the index was unreachable or busy for a moment."""
    if isinstance(exc, TransientError | OperationalError | InterfaceError):
        return True
    if isinstance(exc, DatabaseError):
        return False  # integrity and programming errors repeat
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    module = type(exc).__module__
    return module.startswith(("redis.", "botocore.", "urllib3.")) and (
        "Connection" in type(exc).__name__ or "Timeout" in type(exc).__name__
    )


def backoff_delay(attempt: int) -> int:
    """Seconds before attempt ``attempt + 1`` (15 s, 30 s, 1 min … at most 15 min)."""
    return min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** max(0, attempt - 1))


def job_run(job_id: int, *, worker: str = "") -> Job:
    """One attempt at a job. Raises :class:`JobRetry` when the engine should try again."""
    from celery.exceptions import SoftTimeLimitExceeded

    row = Job.objects.only("kind").filter(pk=job_id).first()
    if row is None:
        raise Job.DoesNotExist(job_id)
    kind = job_kind(row.kind)
    job = _claim(job_id, worker, kind)
    if job is None:
        return Job.objects.get(pk=job_id)
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
        result = kind.handler(job, report)
    except SoftTimeLimitExceeded:
        _fail(job, f"超过时限（{kind.time_limit // 60} 分钟），任务已停止", "")
    except Exception as exc:
        if is_transient(exc) and job.attempts <= kind.retries:
            delay = backoff_delay(job.attempts)
            log.warning("job %s attempt %s failed transiently", job.pk, job.attempts, exc_info=True)
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.RETRY,
                message=f"第 {job.attempts} 次尝试暂时失败（{str(exc)[:120]}），{delay} 秒后重试",
            )
            raise JobRetry(delay) from exc
        log.exception("job %s failed", job.pk)
        _fail(job, str(exc), traceback.format_exc())
    else:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            result=result or {},
            finished_at=clock.now(),
            progress=job.total or job.progress,
            message="完成",
            error="",
        )
    job.refresh_from_db()
    return job


def _fail(job: Job, error: str, trace: str) -> None:
    text = f"{error}（第 {job.attempts} 次尝试）"
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED,
        error=f"{text}\n\n{trace}"[:20000] if trace else text,
        finished_at=clock.now(),
    )


def jobs_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Periodic: hand over jobs the broker never received, and fail jobs that outlived their
    hard time limit (their worker was stopped by the engine without a word to the row)."""
    undispatched = list(
        Job.objects.filter(
            status=JobStatus.QUEUED,
            dispatched_at__isnull=True,
            created_at__lt=now - DISPATCH_RETRY_AFTER,
        ).values_list("pk", flat=True)[:500]
    )
    sent = sum(1 for pk in undispatched if job_dispatch(pk))
    overdue = 0
    running = Job.objects.filter(status=JobStatus.RUNNING).values_list("pk", "kind", "started_at")
    for pk, kind, started in running:
        spec = job_kinds.get(kind)
        limit = (spec.time_limit if spec else 30 * 60) + 2 * HARD_LIMIT_GRACE
        if started is not None and started < now - dt.timedelta(seconds=limit):
            overdue += Job.objects.filter(
                Q(pk=pk), Q(status=JobStatus.RUNNING), Q(started_at=started)
            ).update(
                status=JobStatus.FAILED,
                error=f"超过时限（{limit // 60} 分钟）仍未结束，执行进程已被停止",
                finished_at=now,
            )
    return {"dispatched": sent, "timed_out": overdue}


def queue_stats(*, now: dt.datetime) -> dict[str, float]:
    """Jobs waiting (queued or waiting for a retry) and the age of the oldest, in seconds."""
    waiting = Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RETRY])
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "waiting": waiting.count(),
        "running": Job.objects.filter(status=JobStatus.RUNNING).count(),
        "oldest_age": (now - oldest).total_seconds() if oldest else 0.0,
    }


def node_report(
    *, name: str, role: str, now: dt.datetime, started_at: dt.datetime | None = None, **facts: Any
) -> Node:
    """A process says it is alive (and, for a web server, how its index stands)."""
    defaults: dict[str, Any] = {"seen_at": now, **facts}
    if started_at is not None:
        defaults["started_at"] = started_at
    node, _ = Node.objects.update_or_create(name=name[:200], role=role, defaults=defaults)
    return node


def worker_heartbeat(*, now: dt.datetime) -> Node:
    """Scheduled work a worker runs every 30 s: the scheduler, the broker and this worker
    are alive (health checks and metrics read it)."""
    import socket

    from celery import current_task

    request = getattr(current_task, "request", None)
    name = getattr(request, "hostname", None) or f"worker@{socket.gethostname()}"
    return node_report(name=name, role=NodeRole.WORKER, now=now)
