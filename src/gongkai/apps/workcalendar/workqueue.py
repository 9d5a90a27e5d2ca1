"""The work-queue section that reminds administrators to load next year's holidays."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from gongkai import clock
from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.apps.workcalendar.permissions import can_edit_calendar, sees_coverage_warning
from gongkai.apps.workcalendar.selectors import calendar_coverage_warning


def calendar_workqueue(user: Any) -> list[WorkSection]:
    if not sees_coverage_warning(user):
        return []
    warning = calendar_coverage_warning(clock.today())
    if warning is None:
        return []
    url = reverse("workcalendar:import" if can_edit_calendar(user) else "workcalendar:home")
    return [
        WorkSection(
            key="calendar",
            title="工作日历待更新",
            count=1,
            items=[
                WorkItem(
                    title=f"导入{warning.year}年节假日安排",
                    url=url,
                    due=dt.date(warning.year - 1, 12, 31) if warning.tone == "warn" else None,
                    note=warning.message,
                    tone=warning.tone,
                )
            ],
            more_url=reverse("workcalendar:home"),
            tone=warning.tone,
            order=5,
        )
    ]
