"""Writes of the credit context: enter (idempotent on 文号 + 决定机关), publish, withdraw at
expiry, 信用修复, revoke, correct. Every state change goes through the shared frame."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gongkai.apps.audit.frame import Actor, transition
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.credit import namesearch
from gongkai.apps.credit.errors import CreditError
from gongkai.apps.credit.models import CreditRecord
from gongkai.apps.credit.permissions import can_act_on, can_enter
from gongkai.apps.workcalendar.errors import CalendarEmpty
from gongkai.apps.workcalendar.selectors import calendar_current
from gongkai.clock import local_date
from gongkai.domain.credit import (
    CREDIT_STATES,
    FIELDS,
    Checked,
    CreditAction,
    CreditState,
    Problem,
    Publicity,
    RecordKind,
    public_id_number,
    public_party_name,
    publication_due,
    publicity_for,
    validate_record,
)
from gongkai.registry import DueSource

RECORD_KEYS = tuple(dict.fromkeys(f.key for f in FIELDS))
AUDIT_FIELDS = (
    "state",
    "public_until",
    "repair_from",
    "published_at",
    "withdrawn_at",
    "withdraw_reason",
    "due_date",
)


def refresh_due(record: CreditRecord, calendar: Any = None) -> None:
    """The DueSource hook: the publication deadline of a decision on ``calendar``."""
    try:
        cal = calendar or calendar_current()
    except CalendarEmpty:
        record.set_due(None)
        return
    record.set_due(publication_due(cal, record.kind, record.decided_on))


def _apply(record: CreditRecord, kind: RecordKind, checked: Checked) -> Publicity:
    """Set the record's values from ``checked``; returns its publicity (what was set from)."""
    for key in RECORD_KEYS:
        if key in checked.values:
            value = checked.values[key]
            setattr(record, key, "" if value is None and key not in _NULLABLE else value)
    record.kind = kind.value
    record.minor = checked.minor
    record.public_name = public_party_name(record.party_kind, record.party_name)
    record.public_id_number = public_id_number(record.id_type, record.id_number)
    publicity = publicity_for(
        kind,
        record.decided_on,
        record.severity or None,
        record.field or None,
        minor=record.minor,
        valid_to=record.valid_to,
    )
    record.public_until = publicity.until
    record.repair_from = publicity.repair_from
    record.publicity_note = publicity.explanation[:300]
    return publicity


_NULLABLE = {"fine_wan", "confiscated_wan", "valid_from", "valid_to", "decided_on"}


def _step(
    actor: Actor,
    record: CreditRecord,
    action: CreditAction,
    *,
    fields: tuple[str, ...] = AUDIT_FIELDS,
    may: Any = can_act_on,
) -> Any:
    """The shared frame with the credit context's table, permission and error."""
    return transition(
        actor=actor,
        obj=record,
        action=action,
        table=CREDIT_STATES,
        fields=fields,
        may=may,
        refuse=CreditError,
    )


@dataclass
class Saved:
    record: CreditRecord | None
    outcome: str  # created / updated / corrected / unchanged / refused
    problems: list[Problem]


def check(
    kind: RecordKind | str, raw: Mapping[str, object], *, agency: Any, today: dt.date
) -> Checked:
    """Field rules plus the agency's own: the 决定机关 code is the agency's."""
    raw = dict(raw)
    if agency.uscc and not raw.get("authority_uscc"):
        raw["authority_uscc"] = agency.uscc
    if not raw.get("authority_name"):
        raw["authority_name"] = agency.name
    if agency.uscc and not raw.get("source_uscc"):
        raw["source_uscc"] = agency.uscc
    if not raw.get("source_name"):
        raw["source_name"] = agency.name
    checked = validate_record(RecordKind(kind), raw, today=today)
    code = checked.values.get("authority_uscc")
    if agency.uscc and code and code != agency.uscc:
        checked.problems.append(
            Problem(
                "决定机关统一社会信用代码", f"与本机关（{agency.name}）的代码{agency.uscc}不一致"
            )
        )
    return checked


def record_save(
    *,
    actor: Actor,
    agency: Any,
    kind: RecordKind | str,
    raw: Mapping[str, object],
    channel: str,
    now: dt.datetime,
    publish: bool = True,
    calendar: Any = None,
) -> Saved:
    """Enter one decision. Idempotent on 文号 + 决定机关: the same values again change nothing;
    a draft is updated; a published decision with other values is corrected (a new record
    replaces it, the old one kept in history)."""
    if not isinstance(actor, type(SYSTEM)) and not can_enter(actor, agency.pk):
        raise CreditError("您没有权限登记本机关的双公示信息")
    kind = RecordKind(kind)
    checked = check(kind, raw, agency=agency, today=local_date(now))
    if not checked.ok:
        return Saved(None, "refused", checked.problems)
    with transaction.atomic():
        existing = (
            CreditRecord.objects.select_for_update()
            .filter(
                authority_uscc=checked.values["authority_uscc"],
                doc_number=checked.values["doc_number"],
            )
            .exclude(state=CreditState.SUPERSEDED)
            .first()
        )
        if existing is not None and existing.kind != kind:
            return Saved(existing, "refused", [Problem("决定文书号", "该文号已登记为另一类决定")])
        if existing is not None:
            probe = CreditRecord(kind=kind)
            for key in RECORD_KEYS:
                setattr(probe, key, getattr(existing, key))
            _apply(probe, kind, checked)
            if all(getattr(probe, k) == getattr(existing, k) for k in RECORD_KEYS):
                return Saved(existing, "unchanged", [])
            if existing.state == CreditState.DRAFT:
                with _step(actor, existing, CreditAction.UPDATE, fields=RECORD_KEYS) as step:
                    _apply(step.obj, kind, checked)
                    step.obj.updated_at = now
                    refresh_due(step.obj, calendar)
                record = step.obj
                outcome = "updated"
            else:
                record = _correct(actor, existing, kind, checked, channel, now, calendar)
                outcome = "corrected"
        else:
            record = CreditRecord(agency=agency, channel=channel, created_at=now, updated_at=now)
            _apply(record, kind, checked)
            refresh_due(record, calendar)
            record.save()
            audit_record(
                actor=actor,
                action=CreditAction.RECORD,
                obj=record,
                agency_id=agency.pk,
                after={"kind": kind.value, "doc_number": record.doc_number, "channel": channel},
            )
            outcome = "created"
        namesearch.index_names([record.public_name])
        if record.state == CreditState.DRAFT and (publish or record.minor):
            record_publish(actor=actor, record=record, now=now)
            record.refresh_from_db()
    return Saved(record, outcome, [])


def _correct(
    actor: Actor,
    old: CreditRecord,
    kind: RecordKind,
    checked: Checked,
    channel: str,
    now: dt.datetime,
    calendar: Any,
) -> CreditRecord:
    _withdraw(actor, old, CreditAction.SUPERSEDE, "已更正，由新记录替换", now)
    new = CreditRecord(
        agency_id=old.agency_id, channel=channel, created_at=now, updated_at=now, replaces=old
    )
    _apply(new, kind, checked)
    refresh_due(new, calendar)
    new.save()
    audit_record(
        actor=actor,
        action=CreditAction.RECORD,
        obj=new,
        agency_id=old.agency_id,
        after={"kind": kind.value, "doc_number": new.doc_number, "replaces": old.pk},
    )
    return new


def record_publish(*, actor: Actor, record: CreditRecord, now: dt.datetime) -> CreditRecord:
    """Publish a draft — or, for a minor or a decision the regime does not publish, withhold it."""
    publicity = publicity_for(
        record.kind,
        record.decided_on,
        record.severity or None,
        record.field or None,
        minor=record.minor,
        valid_to=record.valid_to,
    )
    today = local_date(now)
    expired = publicity.until is not None and publicity.until < today
    action = CreditAction.PUBLISH
    if not publicity.publish or expired:
        action = CreditAction.WITHHOLD
    with _step(actor, record, action) as step:
        if action is CreditAction.PUBLISH:
            step.obj.published_at = now
        else:
            step.obj.withdraw_reason = (
                publicity.explanation if not publicity.publish else "公示期已届满，不再公示"
            )
        step.obj.updated_at = now
    return step.obj


def _withdraw(
    actor: Actor,
    record: CreditRecord,
    action: CreditAction,
    reason: str,
    now: dt.datetime,
    *,
    may: Any = can_act_on,
) -> CreditRecord:
    if not reason.strip():
        raise CreditError("请填写撤下理由")
    with _step(actor, record, action, may=may) as step:
        step.obj.withdrawn_at = now
        step.obj.withdraw_reason = reason.strip()[:500]
        step.obj.updated_at = now
    return step.obj


def record_repair(
    *, actor: Actor, record: CreditRecord, reason: str, now: dt.datetime
) -> CreditRecord:
    """信用修复: the agency's decision removes a penalty early, after its minimum period."""
    if record.kind == RecordKind.LICENCE:
        raise CreditError("行政许可信息不适用信用修复")
    today = local_date(now)
    if record.repair_from is None:
        raise CreditError("该信息依规定不可提前修复（特定严重失信或无最短公示期）")
    if today < record.repair_from:
        raise CreditError(f"最短公示期未满，{record.repair_from.isoformat()}起方可信用修复")
    return _withdraw(actor, record, CreditAction.REPAIR, reason, now)


def record_revoke(
    *, actor: Actor, record: CreditRecord, reason: str, now: dt.datetime
) -> CreditRecord:
    """The decision was revoked or annulled: taken down at once."""
    return _withdraw(actor, record, CreditAction.REVOKE, reason, now)


def records_expire(*, now: dt.datetime, actor: Actor = SYSTEM) -> int:
    """Withdraw every published record whose publicity period ended before today (audited)."""
    today = local_date(now)
    count = 0
    due = CreditRecord.objects.filter(state=CreditState.PUBLISHED, public_until__lt=today)
    for record in due.order_by("pk").iterator():  # each locked again, in its own step
        reason = f"公示期于{record.public_until}届满"
        _withdraw(actor, record, CreditAction.EXPIRE, reason, now, may=None)
        count += 1
    return count


CREDIT_DUES = DueSource(
    name="credit",
    open_rows=lambda: CreditRecord.objects.filter(state=CreditState.DRAFT),
    refresh=refresh_due,
    action=CreditAction.DEADLINE,
)
