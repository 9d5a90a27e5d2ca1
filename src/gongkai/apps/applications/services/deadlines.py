"""Deadlines after the fact: recompute when the calendar changes, and the daily reminder."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction

from gongkai.apps.accounts.models import Role, User
from gongkai.apps.applications import due
from gongkai.apps.applications.models import Application, CaseRules, ClockEvent
from gongkai.apps.applications.services.common import snap, today
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.domain.casestates import OPEN_STATES

OPEN = [s.value for s in OPEN_STATES]


def applications_recompute_deadlines(
    *, actor: Any = SYSTEM, changed_dates: set[dt.date] | None = None, agency_ids=None
) -> list[Application]:
    """Recompute open cases' deadlines (those the changed dates can move); notify handlers."""
    with transaction.atomic():
        qs = Application.objects.filter(state__in=OPEN).select_related("officer")
        if agency_ids is not None:
            qs = qs.filter(agency_id__in=agency_ids)
        if changed_dates:
            first, last = min(changed_dates), max(changed_dates)
            qs = qs.filter(received_on__lte=last).exclude(due_date__lt=first)
        cases = list(qs.select_for_update(of=("self",)).order_by("id"))
        events: dict[int, list[ClockEvent]] = defaultdict(list)
        for event in ClockEvent.objects.filter(application__in=[c.pk for c in cases]):
            events[event.application_id].append(event)
        changed: list[Application] = []
        for app in cases:
            before = snap(app)
            due.apply(app, events.get(app.pk, []))
            if (app.due_date, app.due_pending_year, app.fee_pay_until) == (
                before["due_date"],
                before["due_pending_year"],
                before["fee_pay_until"],
            ):
                continue
            app.save(
                update_fields=[
                    "due_date",
                    "due_pending_year",
                    "correction_notice_due",
                    "fee_pay_until",
                ]
            )
            audit_record(
                actor=actor,
                action="application.deadline_recompute",
                obj=app,
                agency_id=app.agency_id,
                before={
                    "due_date": before["due_date"],
                    "due_pending_year": before["due_pending_year"],
                },
                after={"due_date": app.due_date, "due_pending_year": app.due_pending_year},
                object_label=app.number,
            )
            changed.append(app)
        _notify_moved(changed)
    return changed


def _notify_moved(changed: list[Application]) -> None:
    from gongkai.apps.notifications.services import notify

    if not changed:
        return
    by_user: dict[int, list[Application]] = defaultdict(list)
    users: dict[int, Any] = {}
    for app in changed:
        if app.officer_id:
            by_user[app.officer_id].append(app)
            users[app.officer_id] = app.officer
    for user_id, apps in by_user.items():
        lines = [
            f"{a.number}：{a.due_date.isoformat() if a.due_date else due.pending_text(a.due_pending_year)}"
            for a in apps
        ]
        notify(
            [users[user_id]],
            title=f"工作日历调整：{len(apps)}件申请的答复期限已重新计算",
            body="\n".join(lines[:50]),
            url="/backoffice/applications/",
            kind="application.deadline",
        )


def on_calendar_change(changed_dates: set[dt.date], actor: Any) -> None:
    """Registered with the calendar: runs inside the transaction that changed it."""
    applications_recompute_deadlines(actor=actor, changed_dates=set(changed_dates))


def applications_remind(*, on: dt.date | None = None, actor: Any = SYSTEM) -> int:
    """Daily: tell handlers of open cases due within N working days (once per case per day)."""
    from gongkai.apps.notifications.services import notify

    on = on or today()
    days = CaseRules.current().reminder_working_days
    horizon = due.add_working_days(on, days) or dt.date(on.year, 12, 31)
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
            overdue = sum(1 for a in apps if a.due_date < on)
            notify(
                [officers[officer_id]],
                title=f"到期提醒：{len(apps)}件申请将在{days}个工作日内到期"
                + (f"（其中{overdue}件已逾期）" if overdue else ""),
                body="\n".join(f"{a.number}：{a.due_date.isoformat()}" for a in apps[:50]),
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
                body="\n".join(f"{a.number}：{a.due_date.isoformat()}" for a in apps[:50]),
                url="/backoffice/applications/?state=registered",
                kind="application.reminder",
            )
        Application.objects.filter(pk__in=[a.pk for a in cases]).update(last_reminded_on=on)
        audit_record(
            actor=actor,
            action="application.remind",
            after={"on": on, "cases": len(cases), "horizon": horizon},
            object_type="applications.application",
            object_label=f"到期提醒 {on.isoformat()}",
        )
    return len(cases)


def job_remind(job: Any, report: Any) -> dict[str, Any]:
    on = job.params.get("on")
    count = applications_remind(on=dt.date.fromisoformat(on) if on else None)
    report(1, 1, f"已提醒{count}件")
    return {"reminded": count}
