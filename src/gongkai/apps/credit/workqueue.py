"""Work queue: decisions whose publication deadline has passed or comes within a week."""

from __future__ import annotations

from typing import Any

from gongkai import clock
from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.apps.credit import selectors
from gongkai.apps.credit.permissions import can_see_backoffice


def credit_workqueue(user: Any) -> list[WorkSection]:
    if not can_see_backoffice(user):
        return []
    today = clock.today()
    late, soon = selectors.late_and_due(user, today=today)
    sections = []
    for key, title, rows, tone, order in (
        ("credit-late", "双公示：已逾期未公示", late, "danger", 66),
        ("credit-soon", "双公示：即将到期待公示", soon, "warn", 67),
    ):
        if not rows:
            continue
        items = [
            WorkItem(
                title=f"{r.get_kind_display()} {r.doc_number} {r.public_name}",
                url=r.get_backoffice_url(),
                due=r.due_date,
                note=f"{r.agency.name}；{r.due_reason}" if r.due_reason else r.agency.name,
                tone=tone,
            )
            for r in rows
        ]
        sections.append(
            WorkSection(
                key=key,
                title=title,
                count=len(items),
                items=items,
                more_url=f"/backoffice/credit/?state=draft&queue={key[7:]}",
                tone=tone,
                order=order,
            )
        )
    return sections
