"""The one way to write an audit event.

Every state-changing service in every app calls :func:`audit_record` inside its own
transaction, so the change and its event commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction

from gongkai import clock
from gongkai.apps.audit.actors import SYSTEM, Actor
from gongkai.apps.audit.actors import SystemActor as SystemActor  # importable from here too
from gongkai.apps.audit.context import current_request_context
from gongkai.apps.audit.hashing import (
    GENESIS,
    canonical_json,
    event_digest,
    event_digest_sm3,
    heads_digest,
)
from gongkai.apps.audit.models import AuditChainHead, AuditEvent, AuditHeadPublication
from gongkai.apps.audit.selectors import chain_for_agency
from gongkai.domain.actions import Action
from gongkai.domain.auditlog import AuditAction

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def snapshot(instance: Any, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The values of ``fields`` on a model instance, for before/after records (a name that is
    no column is read as the instance's attribute, e.g. a property over related rows)."""
    data: dict[str, Any] = {}
    for name in fields:
        try:
            attname = instance._meta.get_field(name).attname
        except FieldDoesNotExist:
            attname = name
        data[name] = getattr(instance, attname)
    return data


def _actor_fields(actor: Actor | None) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        label = getattr(actor, "audit_label", "") if actor is not None else ""
        return None, label or "匿名用户"
    label = getattr(actor, "audit_label", None) or cast("AbstractBaseUser", actor).get_username()
    return actor.pk, str(label)[:200]


def audit_record(
    *,
    actor: Actor | None,
    action: Action,
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
        "action": str(action),  # the code, as the chain has always hashed it
        "object_type": object_type or "",
        "object_id": object_id or "",
        "object_label": (object_label or "")[:300],
        "before": canonical_json(before),
        "after": canonical_json(after),
        "context": canonical_json(ctx),
    }
    digest = event_digest(fields, head.hash)
    digest_sm3 = event_digest_sm3(fields, head.hash_sm3 or GENESIS)
    event = AuditEvent.objects.create(
        prev_hash=head.hash, hash=digest, hash_sm3=digest_sm3, **fields
    )
    head.seq = fields["seq"]
    head.hash = digest
    head.hash_sm3 = digest_sm3
    head.save(update_fields=["seq", "hash", "hash_sm3"])
    return event


def audit_chain_open(*, agency_id: int) -> None:
    """Start the chain of a new agency with its first event, so that every agency has a chain
    and a chain that is missing is noticed (ADR 0083)."""
    with transaction.atomic():
        if AuditChainHead.objects.filter(chain=chain_for_agency(agency_id)).exists():
            return
        audit_record(
            actor=SYSTEM,
            action=AuditAction.CHAIN_OPEN,
            agency_id=agency_id,
            object_type="organizations.agency",
            object_id=str(agency_id),
            object_label=f"机关 #{agency_id}",
        )


def audit_heads_publish(*, on: dt.date, now: dt.datetime) -> AuditHeadPublication:
    """Publish the heads of every chain for the day ``on`` (once a day; again on the same day
    returns what was published)."""
    existing = AuditHeadPublication.objects.filter(on=on).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        heads = {
            h.chain: {"seq": h.seq, "sha256": h.hash, "sm3": h.hash_sm3}
            for h in AuditChainHead.objects.order_by("chain")
        }
        digest, digest_sm3 = heads_digest(heads)
        publication, _ = AuditHeadPublication.objects.get_or_create(
            on=on,
            defaults={
                "published_at": now,
                "heads": heads,
                "digest": digest,
                "digest_sm3": digest_sm3,
            },
        )
        audit_record(
            actor=SYSTEM,
            action=AuditAction.HEADS_PUBLISH,
            object_type="audit.auditheadpublication",
            object_id=str(publication.pk),
            object_label=f"{on.isoformat()} 审计链头",
            after={"chains": len(heads), "sha256": digest, "sm3": digest_sm3},
        )
    return publication


@dataclass(frozen=True)
class Problem:
    chain: str
    message: str
    event_id: int | None = None


@dataclass
class VerifyResult:
    checked: int
    chains: int
    problems: list[Problem]
    against: str = ""  # the published heads checked against

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def message(self) -> str:
        against = f"，并与{self.against}公布的链头核对一致" if self.against else ""
        if self.ok:
            return f"OK：已校验 {self.chains} 条链、{self.checked} 条审计事件，哈希链完整{against}"
        return (
            f"发现 {len(self.problems)} 处问题（已校验 {self.chains} 条链、{self.checked} 条事件）"
        )


def _missing(first: int, last: int) -> str:
    return (
        f"第 {first} 条" if first == last else f"第 {first}–{last} 条（共 {last - first + 1} 条）"
    )


class _ChainCheck:
    """One chain read in order: every break is noted and the reading goes on."""

    def __init__(self, chain: str, published: dict[int, tuple[str, str]]):
        self.chain = chain
        self.published = published  # seq -> (sha256, day) from the publications
        self.problems: list[Problem] = []
        self.prev_hash = GENESIS
        self.prev_sm3 = GENESIS
        self.sm3_started = False
        self.expected = 1
        self.last: Mapping[str, Any] | None = None

    def note(self, message: str, event_id: int | None = None) -> None:
        self.problems.append(Problem(self.chain, message, event_id))

    def event(self, row: Mapping[str, Any]) -> None:
        seq, ident = row["seq"], row["id"]
        where = f"链 {self.chain} 第 {seq} 条（事件 #{ident}）"
        linked = True
        if seq != self.expected:
            if seq > self.expected:
                self.note(
                    f"链 {self.chain} 缺少{_missing(self.expected, seq - 1)}事件：已被删除", ident
                )
            else:
                self.note(f"{where}序号重复或倒序", ident)
            linked = False
        if linked and row["prev_hash"] != self.prev_hash:
            self.note(f"{where}与前一事件的链接不符：其前的事件被改动或替换", ident)
        if event_digest(row, row["prev_hash"]) != row["hash"]:
            self.note(f"{where}的内容与其 SHA-256 哈希不符：已被改动", ident)
        if row["hash_sm3"]:
            prev_sm3 = self.prev_sm3 if self.sm3_started else GENESIS
            if event_digest_sm3(row, prev_sm3) != row["hash_sm3"] and linked:
                self.note(f"{where}的内容与其 SM3 哈希不符：已被改动", ident)
            self.sm3_started = True
        elif self.sm3_started:
            self.note(f"{where}缺少 SM3 哈希：已被改动", ident)
        published = self.published.get(seq)
        if published is not None and published[0] != row["hash"]:
            self.note(f"{where}与 {published[1]} 公布的链头不符：公布后被改写", ident)
        self.prev_hash, self.prev_sm3 = row["hash"], row["hash_sm3"]
        self.expected = seq + 1
        self.last = row

    def finish(self, head: AuditChainHead | None, label: str) -> None:
        last_seq = self.last["seq"] if self.last else 0
        last_id = self.last["id"] if self.last else None
        if self.last is None and head is None:
            self.note(f"{label}的审计链不存在：其全部事件和链头已被删除")
        elif head is None:
            self.note(f"链 {self.chain} 缺少链头记录", last_id)
        elif head.seq > last_seq:
            self.note(
                f"链 {self.chain} 末尾缺少{_missing(last_seq + 1, head.seq)}事件"
                f"（链头记录为第 {head.seq} 条）：已被删除",
                last_id,
            )
        elif head.seq != last_seq or head.hash != (self.last or {}).get("hash"):
            self.note(f"链 {self.chain} 的链头与末尾事件不符：末尾已被替换", last_id)
        for seq, (_hash, day) in sorted(self.published.items()):
            if seq > last_seq:
                self.note(
                    f"链 {self.chain} 于 {day} 公布的链头为第 {seq} 条，现仅存 {last_seq} 条："
                    f"{_missing(last_seq + 1, seq)}已被删除",
                    last_id,
                )
                break


def _published_points(
    publications: list[dict[str, Any]],
) -> dict[str, dict[int, tuple[str, str]]]:
    points: dict[str, dict[int, tuple[str, str]]] = {}
    for publication in publications:
        day = str(publication["on"])
        for chain, head in publication["heads"].items():
            points.setdefault(chain, {})[int(head["seq"])] = (head["sha256"], day)
    return points


def audit_verify(
    progress: Any = None,
    *,
    expected: dict[str, str] | None = None,
    published: list[dict[str, Any]] | None = None,
) -> VerifyResult:
    """Recompute every chain and report every problem: changed, reordered or deleted events,
    a chain that is missing although it is ``expected`` (chain -> label: every agency has
    one), and anything that no longer matches the heads published before (those stored here,
    and ``published`` ones kept elsewhere, e.g. saved from the public page)."""
    stored = [
        {"on": p.on.isoformat(), "heads": p.heads, "digest": p.digest, "id": p.pk}
        for p in AuditHeadPublication.objects.order_by("on")
    ]
    problems: list[Problem] = []
    for p in stored:
        if heads_digest(p["heads"])[0] != p["digest"]:
            problems.append(Problem("", f"{p['on']} 公布的链头记录与其摘要不符：已被改动"))
    outside = published or []
    points = _published_points([*stored, *outside])
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    labels = expected or {}
    present = set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    chains = sorted(present | set(heads) | set(labels) | set(points))
    total = AuditEvent.objects.count()
    checked = 0
    for chain in chains:
        check = _ChainCheck(chain, points.get(chain, {}))
        rows = (
            AuditEvent.objects.filter(chain=chain)
            .order_by("seq", "id")
            .values()
            .iterator(chunk_size=2000)
        )
        for row in rows:
            check.event(row)
            checked += 1
            if progress is not None:
                progress(checked, total)
        if chain in present or chain in heads or chain in labels or chain in points:
            check.finish(heads.get(chain), labels.get(chain, f"链 {chain}"))
        problems.extend(check.problems)
    days = sorted({str(p["on"]) for p in [*stored, *outside]})
    against = f"{days[-1]}（共 {len(days)} 次）" if days else ""
    return VerifyResult(checked, len(chains), problems, against)
