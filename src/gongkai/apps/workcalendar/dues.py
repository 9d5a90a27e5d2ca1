"""One recompute for every context's deadlines.

Each context registers a :class:`~gongkai.registry.DueSource` (its open rows and the function
that sets their due fields). When the calendar changes — an entry edited, a year's notice
imported and confirmed, a rule changed — :func:`dues_recompute` runs inside that transaction:
it locks the open rows whose deadline the change can move, recomputes them, saves and audits
each one that moved, and hands the moved rows to the context to tell its people.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from gongkai import pagecache
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record, snapshot
from gongkai.apps.workcalendar.errors import CalendarEmpty
from gongkai.apps.workcalendar.models import DUE_FIELDS
from gongkai.apps.workcalendar.selectors import calendar_current
from gongkai.registry import DueSource, due_sources


def dues_recompute(
    *,
    actor: Actor,
    changed_dates: set[dt.date] | None = None,
    missing_only: bool = False,
    sources: list[DueSource] | None = None,
) -> dict[str, int]:
    """Recompute the open deadlines that ``changed_dates`` can move (None: all of them;
    ``missing_only``: only rows without a date). Returns the number moved per context."""
    pagecache.bump("site")  # public pages that show a deadline or a working day (ADR 0110)
    try:
        calendar = calendar_current()
    except CalendarEmpty:
        return {}
    first = min(changed_dates) if changed_dates else None
    moved_counts: dict[str, int] = {}
    for source in sources if sources is not None else list(due_sources.values()):
        rows = source.open_rows()
        if missing_only:
            rows = rows.filter(due_date__isnull=True)
        elif first is not None:
            rows = rows.filter(Q(due_date__isnull=True) | Q(due_date__gte=first))
        fields = (*DUE_FIELDS, *source.fields)
        moved: list[tuple[Any, Any]] = []
        for row in rows.select_for_update(of=("self",)).order_by("pk"):
            before = snapshot(row, fields)
            old_due = row.due
            source.refresh(row, calendar)
            after = snapshot(row, fields)
            if after == before:
                continue
            update = list(fields)
            if any(f.name == "updated_at" for f in row._meta.concrete_fields):
                update.append("updated_at")
            row.save(update_fields=update)
            audit_record(
                actor=actor,
                action=source.action,
                obj=row,
                agency_id=getattr(row, "agency_id", None),
                before=before,
                after=after,
            )
            if row.due != old_due:
                moved.append((row, old_due))
        if moved and source.moved is not None:
            source.moved(moved, actor)
        moved_counts[source.name] = len(moved)
    return moved_counts
