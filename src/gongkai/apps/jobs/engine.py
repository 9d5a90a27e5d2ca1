"""The task engine: Celery with the broker of ``GONGKAI_BROKER_URL`` (ADR 0120).

Production uses RabbitMQ (or Redis): every web server sends, workers on any number of machines
take. A message is acknowledged only after its job finished (``acks_late``), so a worker killed
in the middle of a job leaves it to another; ``gongkai scheduler`` (Celery beat) sends the
periodic work of :data:`gongkai.registry.periodic_work`. Without a broker (``make demo``) the
queue is a folder under the data directory, served by the one worker ``gongkai serve`` starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
from pathlib import Path
from typing import Any

from celery import Celery
from celery.schedules import crontab, schedule
from django.conf import settings

from gongkai import clock, process
from gongkai.apps.jobs.periodic import periodic_run
from gongkai.apps.jobs.services import JobRetry, job_run
from gongkai.registry import periodic_work

log = logging.getLogger(__name__)

JOB_TASK = "gongkai.job"
PERIODIC_TASK = "gongkai.periodic"
QUEUE = "gongkai"


def _broker_options() -> dict[str, Any]:
    if settings.GONGKAI_BROKER_URL.startswith("filesystem:"):
        folder = Path(settings.GONGKAI_QUEUE_DIR)
        for sub in ("messages", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        return {
            "data_folder_in": str(folder / "messages"),
            "data_folder_out": str(folder / "messages"),
            "control_folder": str(folder / "control"),
        }
    if settings.GONGKAI_BROKER_URL.startswith(("redis:", "rediss:")):
        # Redis has no delivery acknowledgement: an unacknowledged job comes back after the
        # visibility timeout, which must exceed the longest time limit (ADR 0120)
        return {"visibility_timeout": settings.GONGKAI_BROKER_VISIBILITY_TIMEOUT}
    return {}


app = Celery("gongkai")
app.conf.update(
    broker_url=settings.GONGKAI_BROKER_URL,
    broker_transport_options=_broker_options(),
    broker_connection_retry_on_startup=True,
    broker_connection_timeout=5,
    task_default_queue=QUEUE,
    task_acks_late=True,  # acknowledged after the job, so a dead worker's job is redelivered
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,  # a worker holds only the job it runs
    task_ignore_result=True,  # results and progress live on the Job row
    task_serializer="json",
    accept_content=["json"],
    timezone=settings.TIME_ZONE,
    enable_utc=True,
    worker_hijack_root_logger=False,
    worker_enable_remote_control=False,
    worker_send_task_events=False,
    beat_max_loop_interval=30,
)


@app.task(name=JOB_TASK, bind=True)
def run_job(self: Any, job_id: int) -> None:
    try:
        job_run(job_id, worker=self.request.hostname or socket.gethostname())
    except JobRetry as retry:
        raise self.retry(countdown=retry.delay, max_retries=None) from None


@app.task(name=PERIODIC_TASK)
def run_periodic(name: str) -> None:
    periodic_run(name, now=clock.now())


def send_job(job_id: int, *, soft_limit: int, hard_limit: int) -> None:
    run_job.apply_async(
        args=[job_id], soft_time_limit=soft_limit, time_limit=hard_limit, retry=False
    )


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Celery beat entries for every registered piece of periodic work."""
    entries: dict[str, dict[str, Any]] = {}
    for work in periodic_work.values():
        if work.at is not None:
            when: Any = crontab(hour=work.at[0], minute=work.at[1])
        else:
            assert work.every is not None
            when = schedule(run_every=work.every)
        entries[work.name] = {
            "task": PERIODIC_TASK,
            "schedule": when,
            "args": (work.name,),
            # a missed run is not worth sending late once the next one is near
            "options": {"expires": _expiry(work)},
        }
    return entries


def _expiry(work: Any) -> float:
    period = work.every or dt.timedelta(days=1)
    return max(30.0, period.total_seconds() / 2)


def worker_main(*, concurrency: int, beat: bool, name: str, loglevel: str) -> None:
    process.role = "worker"
    argv = [
        "worker",
        f"--concurrency={concurrency}",
        f"--hostname={name}",
        f"--loglevel={loglevel}",
        f"--queues={QUEUE}",
        "--without-mingle",
        "--without-gossip",
        "--pool=prefork",
    ]
    if beat:
        app.conf.beat_schedule = beat_schedule()
        argv += ["--beat", f"--schedule={Path(settings.DATA_DIR) / 'scheduler-state'}"]
    app.worker_main(argv)


def beat_main(*, loglevel: str) -> None:
    app.conf.beat_schedule = beat_schedule()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    app.start(
        [
            "beat",
            f"--loglevel={loglevel}",
            f"--schedule={Path(settings.DATA_DIR) / 'scheduler-state'}",
        ]
    )
