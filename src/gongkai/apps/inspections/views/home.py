"""The portal home page's 双随机一公开 section: the latest published results."""

from __future__ import annotations

from typing import Any

from gongkai.apps.inspections.models import TaskStatus
from gongkai.apps.inspections.selectors import task_list_public


def home_section(request: Any) -> dict[str, Any] | None:
    tasks = list(
        task_list_public(status=TaskStatus.PUBLISHED).order_by("-results_published_at")[:5]
    )
    upcoming = list(task_list_public(status=TaskStatus.FROZEN)[:3])
    if not tasks and not upcoming:
        return None
    return {"template": "inspections/_home.html", "tasks": tasks, "upcoming": upcoming}
