"""The one way to write an audit event.

Every state-changing service in every app calls :func:`audit_record` inside its own
transaction, so the change and its event commit or roll back together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from gongkai import clock
from gongkai.apps.audit.context import current_request_context
from gongkai.apps.audit.hashing import GENESIS, canonical_json, event_digest
from gongkai.apps.audit.models import AuditChainHead, AuditEvent

SYSTEM_CHAIN = "system"


def chain_for_agency(agency_id: int | None) -> str:
    return f"agency:{agency_id}" if agency_id else SYSTEM_CHAIN


def snapshot(instance: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The values of ``fields`` on a model instance, for before/after records."""
    data: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        data[name] = getattr(instance, field.attname)
    return data


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        label = getattr(actor, "audit_label", "") if actor is not None else ""
        return None, label or "匿名用户"
    label = getattr(actor, "audit_label", None) or actor.get_username()
    return actor.pk, str(label)[:200]


@dataclass(frozen=True)
class SystemActor:
    """An actor for jobs and commands that act without a logged-in user."""

    audit_label: str = "系统"
    is_authenticated: bool = False
    pk: None = None


SYSTEM = SystemActor()


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    agency_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_label: str | None = None,
    context: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain of ``agency_id``. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record 必须在业务事务内调用（transaction.atomic）")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label if object_label is not None else str(obj)[:300]
    actor_id, actor_label = _actor_fields(actor)
    chain = chain_for_agency(agency_id)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        chain=chain, defaults={"seq": 0, "hash": GENESIS}
    )
    ctx = current_request_context()
    if context:
        ctx.update(context)
    fields: dict[str, Any] = {
        "chain": chain,
        "seq": head.seq + 1,
        "created_at": clock.now(),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "agency_id": agency_id,
        "action": action,
        "object_type": object_type or "",
        "object_id": object_id or "",
        "object_label": (object_label or "")[:300],
        "before": canonical_json(before),
        "after": canonical_json(after),
        "context": canonical_json(ctx),
    }
    digest = event_digest(fields, head.hash)
    event = AuditEvent.objects.create(prev_hash=head.hash, hash=digest, **fields)
    head.seq = fields["seq"]
    head.hash = digest
    head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    message: str = ""


def audit_verify(progress: Any = None) -> VerifyResult:
    """Recompute every chain; report the first event whose content or link is broken."""
    checked = 0
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    chains = sorted(set(AuditEvent.objects.values_list("chain", flat=True).distinct()) | set(heads))
    total = AuditEvent.objects.count()
    for chain in chains:
        prev_hash = GENESIS
        expected_seq = 1
        last = None
        events = (
            AuditEvent.objects.filter(chain=chain)
            .order_by("seq")
            .values()
            .iterator(chunk_size=2000)
        )
        for row in events:
            if row["seq"] != expected_seq:
                return VerifyResult(
                    False,
                    checked,
                    row["id"],
                    f"事件 #{row['id']}（链 {chain}）序号为 {row['seq']}，应为 {expected_seq}：其前有事件被删除",
                )
            if row["prev_hash"] != prev_hash:
                return VerifyResult(
                    False,
                    checked,
                    row["id"],
                    f"事件 #{row['id']}（链 {chain} 第 {row['seq']} 条）与前一事件的链接不符",
                )
            if event_digest(row, prev_hash) != row["hash"]:
                return VerifyResult(
                    False,
                    checked,
                    row["id"],
                    f"事件 #{row['id']}（链 {chain} 第 {row['seq']} 条）的内容与其哈希不符：已被改动",
                )
            prev_hash = row["hash"]
            expected_seq += 1
            checked += 1
            last = row
            if progress is not None:
                progress(checked, total)
        head = heads.get(chain)
        if head is not None and (
            last is None or head.seq != last["seq"] or head.hash != last["hash"]
        ):
            last_id = last["id"] if last else None
            return VerifyResult(
                False,
                checked,
                last_id,
                f"链 {chain} 的末尾事件已被删除或替换（链头记录为第 {head.seq} 条）",
            )
        if head is None and last is not None:
            return VerifyResult(False, checked, last["id"], f"链 {chain} 缺少链头记录")
    return VerifyResult(True, checked, None, f"OK：已校验 {checked} 条审计事件，哈希链完整")
