"""Work-queue sections: the agency's report due (from its reminder day), and for supervisors
the reports still missing."""

from __future__ import annotations

from typing import Any

from gongkai import clock
from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.apps.organizations.models import Agency
from gongkai.apps.reporting.permissions import can_edit_report, can_see_dashboard
from gongkai.apps.reporting.selectors import reminder_start, reports_due


def report_sections(user: Any) -> list[WorkSection]:
    today = clock.today()
    year = today.year - 1
    sections: list[WorkSection] = []
    agencies = []
    own = getattr(user, "agency", None)
    if own is not None:
        agencies.append(own)
        if own.parent_id:
            parent = Agency.objects.filter(pk=own.parent_id).first()
            if parent is not None and can_edit_report(user, parent):
                agencies.append(parent)
    items = []
    for due in reports_due(year=year, agencies=[a for a in agencies if can_edit_report(user, a)]):
        start = reminder_start(due.agency, year)
        if due.published_on is not None or start is None or today < start:
            continue
        url = f"/backoffice/reporting/{due.report.pk}/" if due.report else "/backoffice/reporting/"
        items.append(
            WorkItem(
                title=f"{due.agency.display_short}{year}年度政府信息公开工作年度报告（{due.status}）",
                url=url,
                due=due.deadline,
                note="已逾期" if today > due.deadline else "条例第四十九条规定的发布期限",
                tone="danger" if today > due.deadline else "warn",
            )
        )
    if items:
        sections.append(
            WorkSection(
                key="reporting-due",
                title="待发布的年度报告",
                count=len(items),
                items=items,
                more_url="/backoffice/reporting/",
                tone="danger" if any(i.tone == "danger" for i in items) else "warn",
                order=40,
            )
        )
    if can_see_dashboard(user):
        missing = [d for d in reports_due(year=year) if d.published_on is None]
        if missing and today >= min(d.deadline for d in missing).replace(month=1, day=1):
            sections.append(
                WorkSection(
                    key="reporting-missing",
                    title=f"{year}年度尚未发布的年度报告",
                    count=len(missing),
                    items=[
                        WorkItem(
                            title=d.agency.name,
                            url=f"/backoffice/reporting/dashboard/?year={year}",
                            due=d.deadline,
                            note=d.status,
                            tone="danger" if today > d.deadline else "warn",
                        )
                        for d in missing[:8]
                    ],
                    more_url=f"/backoffice/reporting/dashboard/?year={year}",
                    tone="danger",
                    order=41,
                )
            )
    return sections
