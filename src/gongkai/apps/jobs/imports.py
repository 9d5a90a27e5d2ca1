"""The life of an import batch (ADR 0173): start it → run its rows → record row errors →
finish (or fail) it, with one audit event per state change.

Each importer keeps its own reading and row rules; what they all did the same way — mark the
batch running, collect row errors in one shape with a cap, store the counts, set
``finished_at`` from the clock and leave an audit event — lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai import clock
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.jobs.models import ImportBatchBase, ImportStatus
from gongkai.domain.actions import Action

MAX_ROW_ERRORS = 5000
WHOLE_ROW = "整行"


@dataclass
class RowErrors:
    """Row errors in the one stored shape; at most ``limit`` are kept, all are counted."""

    limit: int = MAX_ROW_ERRORS
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    def add(self, line: int, field: str, message: str, *, ref: str = "") -> None:
        self.total += 1
        if len(self.items) < self.limit:
            item: dict[str, Any] = {"line": line, "field": field, "message": message}
            if ref:
                item["ref"] = ref
            self.items.append(item)

    def lines(self) -> int:
        """How many distinct rows have an error (of those kept)."""
        return len({item["line"] for item in self.items})


def batch_running(batch: ImportBatchBase) -> None:
    """The batch's rows are being read (the job has picked it up)."""
    type(batch)._default_manager.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    batch.status = ImportStatus.RUNNING


def batch_finish(
    batch: ImportBatchBase,
    *,
    actor: Actor,
    action: Action,
    counts: dict[str, int],
    errors: list[dict[str, Any]],
    message: str = "",
    audit_after: dict[str, Any] | None = None,
) -> None:
    """Store the outcome (``counts`` names the batch's count fields) and audit it."""
    values = {**counts, "status": ImportStatus.DONE, "errors": errors[:MAX_ROW_ERRORS]}
    _end(batch, values, message, actor=actor, action=action, after=audit_after or counts)


def batch_fail(batch: ImportBatchBase, *, actor: Actor, action: Action, message: str) -> None:
    """The file could not be read at all: the batch ends failed with the reason."""
    values = {"status": ImportStatus.FAILED}
    _end(batch, values, message, actor=actor, action=action, after={"message": message})


def _end(
    batch: ImportBatchBase,
    values: dict[str, Any],
    message: str,
    *,
    actor: Actor,
    action: Action,
    after: dict[str, Any],
) -> None:
    values = {**values, "message": message[:300], "finished_at": clock.now()}
    with transaction.atomic():
        type(batch)._default_manager.filter(pk=batch.pk).update(**values)
        for name, value in values.items():
            setattr(batch, name, value)
        audit_record(actor=actor, action=action, obj=batch, agency_id=batch.agency_id, after=after)


ERROR_HEADER = ("行", "字段", "问题")


def error_table(errors: list[dict[str, Any]]) -> list[list[Any]]:
    """The stored row errors as a table (header first) for a CSV download."""
    table: list[list[Any]] = [list(ERROR_HEADER)]
    for item in errors:
        field_name = item.get("field") or WHOLE_ROW
        if item.get("ref"):
            field_name = f"{field_name}（{item['ref']}）"
        table.append([item.get("line"), field_name, item.get("message")])
    return table
