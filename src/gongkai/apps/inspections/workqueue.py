"""Work-queue sections: sources to enter, results to publish (with their deadlines)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

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
    today = timezone.localdate()
    sections = []
    waiting = list(selectors.tasks_awaiting_source(user)[:20])
    if waiting:
        items = []
        for task in waiting:
            due = min((s["expected_on"] for s in task.sources), default="")
            ready = bool(due) and due <= today.isoformat()
            items.append(
                WorkItem(
                    title=f"{task.number} {task.title}",
                    url=task.get_backoffice_url(),
                    note="随机源已公布，请录入并抽取" if ready else f"随机源预计{due}公布",
                    tone="warn" if ready else "",
                )
            )
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
        for task in rows:
            progress = selectors.task_progress(task)
            tone = ""
            if task.results_due and task.results_due < today:
                tone = "danger"
            elif task.results_due and (task.results_due - today).days <= 5:
                tone = "warn"
            items.append(
                WorkItem(
                    title=f"{task.number} {task.title}",
                    url=task.get_backoffice_url(),
                    due=task.results_due,
                    note=f"已录入 {progress.recorded}/{progress.total} 户"
                    + ("，已逾期" if tone == "danger" else "")
                    + (f"；{task.results_due_note}" if task.results_due_note else ""),
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
        items = []
        for lottery in lotteries:
            due = min((s["expected_on"] for s in lottery.sources), default="")
            ready = bool(due) and due <= today.isoformat()
            items.append(
                WorkItem(
                    title=lottery.title,
                    url=lottery.get_backoffice_url(),
                    note="随机源已公布，请录入并摇号" if ready else f"随机源预计{due}公布",
                    tone="warn" if ready else "",
                )
            )
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
