"""Work-queue sections: sources to enter, results to publish (with their deadlines)."""

from __future__ import annotations

from typing import Any

from gongkai import clock
from gongkai.apps.accounts.permissions import is_staff_member
from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.apps.inspections import selectors
from gongkai.apps.inspections.models import HousingLottery, InspectionItem, LotteryStatus


def inspections_workqueue(user: Any) -> list[WorkSection]:
    if not is_staff_member(user):
        return []
    involved = (
        InspectionItem.objects.filter(agency_id=user.agency_id).exists()
        or HousingLottery.objects.filter(agency_id=user.agency_id).exists()
        or selectors.task_list_for_user(user).exists()
    )
    if user.agency_id and not involved:
        return []
    today = clock.today()
    sections = []
    waiting = list(selectors.tasks_awaiting_source(user)[:20])
    if waiting:
        items = [
            _awaiting_source(
                f"{task.number} {task.title}",
                task.get_backoffice_url(),
                task.sources,
                "抽取",
                today,
            )
            for task in waiting
        ]
        sections.append(
            WorkSection(
                key="inspections-sources",
                title="双随机：待录入随机源",
                count=selectors.tasks_awaiting_source(user).count(),
                items=items,
                more_url="/backoffice/inspections/?status=frozen",
                order=60,
            )
        )
    due = selectors.tasks_due(user, today=today)
    rows = list(due[:20])
    if rows:
        items = []
        progress_of = selectors.tasks_progress(rows)
        for task in rows:
            progress = progress_of[task.pk]
            tone = ""
            if task.due_date and task.due_date < today:
                tone = "danger"
            elif task.due_date and (task.due_date - today).days <= 5:
                tone = "warn"
            items.append(
                WorkItem(
                    title=f"{task.number} {task.title}",
                    url=task.get_backoffice_url(),
                    due=task.due_date,
                    note=f"已录入 {progress.recorded}/{progress.total} 户"
                    + ("，已逾期" if tone == "danger" else "")
                    + (f"；{task.due_reason}" if task.due_reason else ""),
                    tone=tone,
                )
            )
        overdue = any(i.tone == "danger" for i in items)
        sections.append(
            WorkSection(
                key="inspections-results",
                title="双随机：检查结果待公示",
                count=due.count(),
                items=items,
                more_url="/backoffice/inspections/?status=drawn",
                tone="danger" if overdue else "",
                order=61,
            )
        )
    lotteries = list(
        selectors.lottery_list_for_user(user)
        .filter(status=LotteryStatus.FROZEN)
        .order_by("frozen_at")[:20]
    )
    if lotteries:
        items = [
            _awaiting_source(
                lottery.title, lottery.get_backoffice_url(), lottery.sources, "摇号", today
            )
            for lottery in lotteries
        ]
        sections.append(
            WorkSection(
                key="inspections-lotteries",
                title="保障房摇号：待录入随机源",
                count=len(items),
                items=items,
                more_url="/backoffice/inspections/lotteries/",
                order=62,
            )
        )
    return sections


def _awaiting_source(title: str, url: str, sources: list, verb: str, today: Any) -> WorkItem:
    """A frozen task or lottery waiting for its random sources: when they are due out."""
    due = min((s["expected_on"] for s in sources), default="")
    ready = bool(due) and due <= today.isoformat()
    return WorkItem(
        title=title,
        url=url,
        note=f"随机源已公布，请录入并{verb}" if ready else f"随机源预计{due}公布",
        tone="warn" if ready else "",
    )
