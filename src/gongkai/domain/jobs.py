"""What the audit log records of background jobs."""

from __future__ import annotations

from gongkai.domain.actions import Action


class JobAction(Action):
    """Every act the audit log records of the background jobs (their kinds have their own
    labels: ``gongkai.domain.vocabulary.JOB_LABELS``)."""

    ENQUEUE = "job.enqueue", "提交后台任务"
