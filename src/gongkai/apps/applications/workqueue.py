"""Work-queue sections on the back-office home page (a handful of queries whatever the size)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import is_supervisor
from gongkai.apps.applications.permissions import CASE_ROLES, can_use_case_office
from gongkai.apps.applications.selectors import (
    OPEN,
    application_queue_counts,
    soon_horizon,
    staff_cases,
)
from gongkai.apps.applications.services.common import today
from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.domain.casestates import WAITING_STATES, CaseState, ExtensionStatus

QUEUE = "/backoffice/applications/"
ITEMS = 5


def _item(app: Any, note: str = "", tone: str = "") -> WorkItem:
    title = f"{app.number} {app.description[:24]}{'…' if len(app.description) > 24 else ''}"
    if app.due_provisional and app.state in OPEN:
        note = "；".join(filter(None, [note, "答复期限暂定（节假日安排未载入）"]))
    return WorkItem(title, f"{QUEUE}{app.pk}/", app.due_date, note, tone)


def sections(user: Any) -> list[WorkSection]:
    if not can_use_case_office(user):
        return []
    on = today()
    horizon = soon_horizon(on)
    counts = application_queue_counts(user, on, horizon)
    cases = staff_cases(user).select_related("agency")
    supervisor_only = is_supervisor(user) and not (user.role_set & set(CASE_ROLES))
    out: list[WorkSection] = []
    if supervisor_only:
        overdue = list(
            cases.filter(state__in=OPEN, due_date__lt=on).order_by("due_date", "id")[:ITEMS]
        )
        out.append(
            WorkSection(
                "app-city-overdue",
                "全市逾期未答复的申请",
                counts.overdue,
                [_item(a, a.agency.display_short, "danger") for a in overdue],
                f"{QUEUE}overview/",
                "danger" if counts.overdue else "ok",
                order=15,
            )
        )
        return out
    urgent = list(
        cases.filter(state__in=OPEN, due_date__lte=horizon).order_by("due_date", "id")[: ITEMS * 3]
    )
    buckets = {
        "overdue": [a for a in urgent if a.due_date is not None and a.due_date < on][:ITEMS],
        "today": [a for a in urgent if a.due_date == on][:ITEMS],
        "soon": [a for a in urgent if a.due_date is not None and a.due_date > on][:ITEMS],
    }
    out.append(
        WorkSection(
            "app-overdue",
            "已逾期的申请",
            counts.overdue,
            [_item(a, a.get_state_display(), "danger") for a in buckets["overdue"]],
            f"{QUEUE}?due=overdue",
            "danger" if counts.overdue else "",
            order=10,
        )
    )
    out.append(
        WorkSection(
            "app-today",
            "今日到期的申请",
            counts.today,
            [_item(a, a.get_state_display(), "warn") for a in buckets["today"]],
            f"{QUEUE}?due=today",
            "warn" if counts.today else "",
            order=11,
        )
    )
    out.append(
        WorkSection(
            "app-soon",
            "3个工作日内到期的申请",
            counts.soon,
            [_item(a, a.get_state_display(), "warn") for a in buckets["soon"]],
            f"{QUEUE}?due=soon",
            order=12,
        )
    )
    if user.role_set & {Role.REVIEWER, Role.HEAD}:
        head = Role.HEAD in user.role_set
        waiting = Q(state=CaseState.REVIEW)
        if head:
            waiting |= Q(state__in=OPEN, extension_status=ExtensionStatus.REQUESTED)
        # one row per case: a reply under review with an extension request is listed once
        approval = list(cases.filter(waiting).order_by("due_date", "id")[:ITEMS])
        total = cases.filter(waiting).count()

        def note(a: Any) -> str:
            parts = []
            if a.state == CaseState.REVIEW:
                parts.append("答复待审核")
            if head and a.extension_status == ExtensionStatus.REQUESTED:
                parts.append("延期待审批")
            return "；".join(parts)

        out.append(
            WorkSection(
                "app-approval",
                "待审核的答复和待审批的延期",
                total,
                [_item(a, note(a)) for a in approval],
                f"{QUEUE}?due=approval",
                "warn" if total else "",
                order=13,
            )
        )
    if user.role_set & {Role.OFFICER, Role.HEAD}:
        waiting_cases = list(
            cases.filter(state__in=WAITING_STATES).order_by("due_date", "id")[:ITEMS]
        )
        out.append(
            WorkSection(
                "app-waiting",
                "等待申请人补正、缴费或说明理由",
                counts.waiting,
                [_item(a, a.get_state_display()) for a in waiting_cases],
                f"{QUEUE}?due=waiting",
                order=14,
            )
        )
        # ordered along the queue index (agency, state, due_date): by due date
        new = list(cases.filter(state=CaseState.REGISTERED).order_by("due_date", "id")[:ITEMS])
        out.append(
            WorkSection(
                "app-new",
                "新登记待受理的申请",
                counts.registered,
                [_item(a, "待受理") for a in new],
                f"{QUEUE}?state=registered",
                "warn" if counts.registered else "",
                order=9,
            )
        )
    return out
