"""Work-queue section: open rectification tasks, overdue ones first (the supervisor sees all,
an agency its own)."""

from __future__ import annotations

from typing import Any

from gongkai import clock
from gongkai.apps.accounts.permissions import is_staff_member
from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.apps.webcheck import selectors
from gongkai.domain.webcheck.states import RectifyState


def webcheck_workqueue(user: Any) -> list[WorkSection]:
    if not is_staff_member(user):
        return []
    today = clock.today()
    open_tasks = (
        selectors.tasks_for(user).filter(state=RectifyState.OPEN).order_by("due_date", "pk")
    )
    count = open_tasks.count()
    if not count:
        return []
    items = []
    for task in open_tasks[:20]:
        overdue = task.due_date is not None and task.due_date < today
        soon = task.due_date is not None and not overdue and (task.due_date - today).days <= 3
        items.append(
            WorkItem(
                title=f"{task.subject_name}：{task.label}",
                url=task.get_backoffice_url(),
                due=task.due_date,
                note=("已逾期；" if overdue else "") + task.summary[:80],
                tone="danger" if overdue else "warn" if soon else "",
            )
        )
    overdue_count = selectors.overdue_tasks(user, today).count()
    return [
        WorkSection(
            key="webcheck-rectify",
            title=f"网站检查：整改任务（逾期{overdue_count}件）",
            count=count,
            items=items,
            more_url="/backoffice/webcheck/tasks/",
            tone="danger" if overdue_count else "",
            order=66,
        )
    ]
