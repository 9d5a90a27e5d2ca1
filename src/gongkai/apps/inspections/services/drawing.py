"""The steps every verifiable draw takes, whether it draws an 抽查任务 or a 保障房摇号: sources
announced ahead at freeze, the commitment stored, the published values checked, the record built
and stored. Each caller keeps its own wording (抽取 / 摇号) through its ``DrawSubject``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from gongkai import __version__, clock
from gongkai.apps.audit.frame import Actor, transition
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import (
    DrawDocumentKind,
    LotteryStatus,
    PublicDraw,
    TaskStatus,
)
from gongkai.apps.inspections.services.documents import document_load, document_store
from gongkai.domain.draws.canonical import nfc
from gongkai.domain.draws.record import build_record
from gongkai.domain.draws.sources import SourceError, SourceSpec, source_values
from gongkai.domain.inspections import DRAW_STATES, InspectionAction

D = TypeVar("D", bound=Any)


@dataclass(frozen=True)
class DrawSubject:
    """What is drawn: where its documents hang (``owner``), its states, its actions in
    ``DRAW_STATES`` and the words for it."""

    owner: str  # the DrawDocument field: "task" or "lottery"
    status: type[TaskStatus] | type[LotteryStatus]
    freeze: InspectionAction
    draw: InspectionAction
    cancel: InspectionAction
    noun: str  # 任务 / 摇号
    verb: str  # 抽取 / 摇号
    start: str  # what the draw button does: 抽取 / 开始摇号


_A = InspectionAction
TASK = DrawSubject(
    "task", TaskStatus, _A.TASK_FREEZE, _A.TASK_DRAW, _A.TASK_CANCEL, "任务", "抽取", "抽取"
)
LOTTERY = DrawSubject(
    "lottery",
    LotteryStatus,
    _A.LOTTERY_FREEZE,
    _A.LOTTERY_DRAW,
    _A.LOTTERY_CANCEL,
    noun="摇号",
    verb="摇号",
    start="开始摇号",
)


def draw_step(
    actor: Actor,
    obj: Any,
    action: InspectionAction,
    *,
    lock: Callable[[Any], Any],
    check: Callable[[Any], None] | None = None,
    fields: tuple[str, ...] = (),
) -> Any:
    """The shared frame with the draws' table and error: the state follows ``DRAW_STATES``;
    ``check`` keeps each step's own refusal in the words the staff already saw."""
    return transition(
        actor=actor,
        obj=obj,
        action=action,
        table=DRAW_STATES,
        state_field="status",
        fields=fields,
        refuse=InspectionError,
        lock=lock,
        check=check,
    )


def next_seq(model: type[PublicDraw], *, agency: Any, year: int) -> int:
    """The agency's next batch number in ``year``; the rows stay locked until the caller's
    transaction ends, so two creations never take the same number."""
    last = (
        model.objects.select_for_update()
        .filter(agency=agency, year=year)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return (last or 0) + 1


def require_sources_ahead(sources: Sequence[SourceSpec], today: dt.date) -> None:
    """A commitment may only name random numbers that do not exist yet."""
    for spec in sources:
        if dt.date.fromisoformat(spec.expected_on) < today:
            raise InspectionError(
                f"随机源“{spec.name}”的公布日期已过：必须指明冻结之后才产生的随机数"
            )


def require_draft(subject: DrawSubject, obj: Any) -> None:
    if obj.status != subject.status.DRAFT:
        raise InspectionError(f"只有草稿状态的{subject.noun}可以固化名单")


def require_frozen(subject: DrawSubject, obj: Any) -> None:
    if obj.status != subject.status.FROZEN:
        raise InspectionError(
            f"只有名单已固化、尚未{subject.verb}的{subject.noun}可以{subject.start}"
        )


def previous_record_hash(obj: Any) -> str | None:
    """The record a correction replaces, named in the new commitment."""
    return (obj.replaces.record_hash if obj.replaces_id else "") or None


def commitment_store(
    subject: DrawSubject,
    obj: Any,
    *,
    commitment: dict[str, Any],
    sources: Sequence[SourceSpec],
    frozen_at: dt.datetime,
) -> None:
    """Publish the commitment on ``obj`` (inside its freeze step, which sets the state)."""
    doc = document_store(
        kind=DrawDocumentKind.COMMITMENT, document=commitment, **{subject.owner: obj}
    )
    obj.sources = [s.as_json() for s in sources]
    obj.commitment_hash = doc.sha256
    obj.frozen_at = frozen_at


def record_build(
    subject: DrawSubject,
    obj: Any,
    observed: Sequence[str],
    *,
    today: dt.date,
    drawn_at: dt.datetime,
) -> dict[str, Any]:
    """Check that the frozen ``obj`` may be drawn now with these published values; run the draw
    on its stored commitment and return the record (not stored yet)."""
    require_frozen(subject, obj)
    specs = [SourceSpec.from_json(s) for s in obj.sources]
    for spec in specs:
        if dt.date.fromisoformat(spec.expected_on) > today:
            raise InspectionError(
                f"随机源“{spec.name}”预计于{spec.expected_on}公布，现在还不能{subject.verb}"
            )
    if len(observed) != len(specs):
        raise InspectionError(f"请输入全部 {len(specs)} 个随机源的公布值")
    try:
        for spec, text in zip(specs, observed, strict=True):
            source_values(spec, text)
    except SourceError as exc:
        raise InspectionError(str(exc)) from exc
    commitment = document_load(obj.documents.get(kind=DrawDocumentKind.COMMITMENT))
    record = build_record(
        commitment,
        list(observed),
        drawn_at=clock.localtime(drawn_at).isoformat(timespec="seconds"),
        engine={"name": "gongkai", "version": __version__},
    )
    # the commitment file on disk must still be the one whose hash was published at freeze
    if record["commitment_hash"] != obj.commitment_hash:
        raise InspectionError(
            f"已保存的承诺文件与承诺哈希不符，{subject.verb}已停止：请联系系统管理员"
        )
    return record


def record_store(
    subject: DrawSubject, obj: Any, *, record: dict[str, Any], drawn_at: dt.datetime
) -> None:
    """Publish the record on ``obj`` (inside its draw step, which sets the state)."""
    document_store(kind=DrawDocumentKind.RECORD, document=record, **{subject.owner: obj})
    obj.observed = record["observed"]
    obj.record_hash = record["record_hash"]
    obj.drawn_at = drawn_at


def draw_cancel(
    subject: DrawSubject, obj: D, *, actor: Actor, reason: str, lock: Callable[[D], D], refused: str
) -> D:
    """Cancel a draft or frozen draw; ``refused`` is the caller's message once it is drawn."""
    reason = nfc(reason)
    if not reason:
        raise InspectionError(f"请填写撤销理由（已固化的{subject.noun}会公开显示该理由）")

    def check(found: Any) -> None:
        if found.status not in (subject.status.DRAFT, subject.status.FROZEN):
            raise InspectionError(refused)

    with draw_step(actor, obj, subject.cancel, lock=lock, check=check) as step:
        step.obj.cancel_reason = reason[:300]
        step.extra["reason"] = reason
    return step.obj
