"""Work-queue sections: documents to review, and 条例第二十六条 deadlines at risk or passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from gongkai import clock
from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import is_staff_member, is_supervisor, visible_agency_ids
from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.apps.catalog.models import Document, DocumentState
from gongkai.apps.catalog.selectors.reports import deadline_items


def _late(document: Document, today: dt.date) -> bool:
    return document.publish_due is not None and document.publish_due < today


def catalog_workqueue(user: Any) -> list[WorkSection]:
    if not is_staff_member(user):
        return []
    sections: list[WorkSection] = []
    agency_ids = visible_agency_ids(user)
    own = {user.agency_id} if user.agency_id else set()
    if user.role_set & {Role.REVIEWER, Role.HEAD} and own:
        pending = Document.objects.filter(agency_id__in=own, state=DocumentState.PENDING).order_by(
            "submitted_at", "pk"
        )
        count = pending.count()
        if count:
            sections.append(
                WorkSection(
                    key="catalog-review",
                    title="待审核的主动公开信息",
                    count=count,
                    items=[
                        WorkItem(
                            title=d.title,
                            url=reverse("catalog:bo_detail", args=[d.pk]),
                            due=d.publish_due,
                            note="提交于 "
                            + clock.localtime(d.submitted_at).strftime("%Y-%m-%d %H:%M")
                            if d.submitted_at
                            else "",
                            tone="warn",
                        )
                        for d in pending[:10]
                    ],
                    more_url=reverse("catalog:bo_list") + "?state=pending",
                    order=20,
                )
            )
    scope = agency_ids if not is_supervisor(user) else None
    if scope is None or scope:
        items = deadline_items(scope)
        count = items.count()
        if count:
            today = clock.today()
            sections.append(
                WorkSection(
                    key="catalog-deadlines",
                    title="临近或超过公开期限的政府信息（条例第二十六条）",
                    count=count,
                    items=[
                        WorkItem(
                            title=d.title,
                            url=reverse("catalog:bo_detail", args=[d.pk]),
                            due=d.publish_due,
                            note=f"{d.agency.name} · {'已超期' if _late(d, today) else '即将到期'}",
                            tone="danger" if _late(d, today) else "warn",
                        )
                        for d in items[:10]
                    ],
                    more_url=reverse("catalog:bo_deadlines"),
                    tone="danger",
                    order=25,
                )
            )
    return sections
