"""Deadlines after the fact: recompute when the calendar changes, and the daily reminder."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

from django.db import transaction

from gongkai.apps.accounts.models import Role, User
from gongkai.apps.applications import due
from gongkai.apps.applications.models import Application, CaseRules
from gongkai.apps.applications.services.common import today
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.jobs.services import job_enqueue
from gongkai.apps.notifications.services import notify
from gongkai.apps.workcalendar.dues import dues_recompute
from gongkai.domain.casestates import OPEN_STATES, ApplicationAction
from gongkai.domain.workdays import Due
from gongkai.registry import DueSource

OPEN = [s.value for s in OPEN_STATES]


def open_cases() -> Any:
    """The DueSource rows: open cases, with their steps (the deadline's inputs)."""
    return Application.objects.filter(state__in=OPEN).prefetch_related("steps")


def applications_recompute_deadlines(
    *, actor: Actor = SYSTEM, agency_ids: Any = None
) -> list[Application]:
    """Recompute open cases' deadlines on the current calendar (``gongkai applications
    recompute``); the calendar's own changes go through the same DueSource."""
    source = DUE_SOURCE
    if agency_ids is not None:
        source = replace(
            DUE_SOURCE, open_rows=lambda: open_cases().filter(agency_id__in=agency_ids)
        )
    moved: list[Application] = []
    with transaction.atomic():
        dues_recompute(actor=actor, sources=[replace(source, moved=_collect(moved, source))])
    return moved


def _collect(into: list[Application], source: DueSource) -> Any:
    def moved(rows: list[tuple[Application, Due | None]], actor: Actor) -> None:
        into.extend(row for row, _ in rows)
        if source.moved is not None:
            source.moved(rows, actor)

    return moved


def _tell_moved(rows: list[tuple[Application, Due | None]], actor: Actor) -> None:
    """Tell each handler which of their cases moved, and each applicant with an account that
    the answer date of their request changed (the case page shows both dates, ADR 0012)."""
    by_user: dict[int, list[Application]] = defaultdict(list)
    users: dict[int, Any] = {}
    for app, _old in rows:
        if app.officer_id:
            by_user[app.officer_id].append(app)
            users[app.officer_id] = app.officer
    for user_id, apps in by_user.items():
        lines = [f"{a.number}：{a.due.label if a.due else '—'}" for a in apps]
        notify(
            [users[user_id]],
            title=f"工作日历调整：{len(apps)}件申请的答复期限已重新计算",
            body="\n".join(lines[:50]),
            url="/backoffice/applications/",
            kind="application.deadline",
        )
    for app, old in rows:
        if app.applicant_user_id and app.due is not None:
            notify(
                [app.applicant_user],
                title=f"您的申请 {app.number} 答复期限已更新为{app.due.label}",
                body=(f"原告知的答复期限为{old.label}。" if old is not None else "")
                + "因国务院节假日安排载入或调整，答复期限按正式工作日历重新计算。",
                url=f"/track/{app.public_id}/",
                kind="application.deadline",
            )


DUE_SOURCE = DueSource(
    name="applications",
    open_rows=open_cases,
    refresh=due.refresh,
    action=ApplicationAction.DEADLINE_RECOMPUTE,
    fields=("correction_notice_due", "fee_pay_until"),
    moved=_tell_moved,
)


def applications_remind(*, on: dt.date | None = None, actor: Actor = SYSTEM) -> int:
    """Daily: tell handlers of open cases due within N working days (once per case per day)."""
    on = on or today()
    days = CaseRules.current().reminder_working_days
    horizon = due.add_working_days(on, days).on
    with transaction.atomic():
        cases = list(
            Application.objects.filter(state__in=OPEN, due_date__lte=horizon)
            .exclude(last_reminded_on=on)
            .select_related("officer")
            .order_by("due_date", "id")
        )
        if not cases:
            return 0
        by_agency_unassigned: dict[int, list[Application]] = defaultdict(list)
        by_officer: dict[int, list[Application]] = defaultdict(list)
        officers: dict[int, Any] = {}
        for app in cases:
            if app.officer_id:
                by_officer[app.officer_id].append(app)
                officers[app.officer_id] = app.officer
            else:
                by_agency_unassigned[app.agency_id].append(app)
        for officer_id, apps in by_officer.items():
            overdue = sum(1 for a in apps if a.due_date is not None and a.due_date < on)
            notify(
                [officers[officer_id]],
                title=f"到期提醒：{len(apps)}件申请将在{days}个工作日内到期"
                + (f"（其中{overdue}件已逾期）" if overdue else ""),
                body="\n".join(f"{a.number}：{a.due_date}" for a in apps[:50]),
                url="/backoffice/applications/?due=soon",
                kind="application.reminder",
            )
        for agency_id, apps in by_agency_unassigned.items():
            heads = User.objects.filter(
                agency_id=agency_id, is_active=True, role_grants__role__in=[Role.HEAD, Role.OFFICER]
            ).distinct()
            notify(
                heads,
                title=f"到期提醒：{len(apps)}件未分派的申请将在{days}个工作日内到期",
                body="\n".join(f"{a.number}：{a.due_date}" for a in apps[:50]),
                url="/backoffice/applications/?state=registered",
                kind="application.reminder",
            )
        Application.objects.filter(pk__in=[a.pk for a in cases]).update(last_reminded_on=on)
        audit_record(
            actor=actor,
            action=ApplicationAction.REMIND,
            after={"on": on, "cases": len(cases), "horizon": horizon},
            object_type="applications.application",
            object_label=f"到期提醒 {on.isoformat()}",
        )
    return len(cases)


def applications_remind_enqueue(*, on: dt.date) -> None:
    """The scheduler's daily run: the reminder as a job the back office can follow."""
    job_enqueue(
        kind="applications.remind",
        title=f"依申请公开到期提醒 {on.isoformat()}",
        params={"on": on.isoformat()},
        actor=SYSTEM,
    )


def job_remind(job: Any, report: Any) -> dict[str, Any]:
    on = job.params.get("on")
    count = applications_remind(on=dt.date.fromisoformat(on) if on else None)
    report(1, 1, f"已提醒{count}件")
    return {"reminded": count}
