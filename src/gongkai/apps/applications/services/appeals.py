"""行政复议 and 行政诉讼 linked to a case (年报表四)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai.apps.applications.errors import InvalidInput, NotAllowed
from gongkai.apps.applications.models import Appeal
from gongkai.apps.applications.services.common import guard, lock, today
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.domain.casestates import ApplicationAction, CaseAction
from gongkai.domain.reportfacts import AppealKind, AppealResult

APPEAL_FIELDS = ("kind", "filed_on", "body", "case_number", "result", "decided_on")


def _snap(appeal: Appeal) -> dict[str, Any]:
    return {name: getattr(appeal, name) for name in APPEAL_FIELDS}


def appeal_record(
    *,
    actor: Actor,
    application: Any,
    kind: str,
    filed_on: dt.date,
    body: str,
    case_number: str = "",
    note: str = "",
) -> Appeal:
    """Register a 行政复议 or 行政诉讼 against the handling of a closed case."""
    try:
        kind = AppealKind(kind).value
    except ValueError:
        raise InvalidInput("请选择复议或诉讼类型", {"kind": "请选择类型"}) from None
    body = (body or "").strip()
    if not body:
        raise InvalidInput("请填写复议机关或人民法院", {"body": "请填写复议机关或人民法院"})
    if filed_on > today():
        raise InvalidInput("申请或起诉日期不能晚于今天", {"filed_on": "日期不能晚于今天"})
    with transaction.atomic():
        app = lock(application)
        guard(actor, app, CaseAction.APPEAL_RECORD, today())
        if app.closed_on and filed_on < app.closed_on:
            raise InvalidInput("申请或起诉日期不能早于答复日期", {"filed_on": "日期不正确"})
        appeal = Appeal.objects.create(
            application=app,
            agency_id=app.agency_id,
            kind=kind,
            filed_on=filed_on,
            body=body[:100],
            case_number=(case_number or "").strip()[:60],
            note=(note or "").strip(),
        )
        audit_record(
            actor=actor,
            action=ApplicationAction.APPEAL_RECORD,
            obj=app,
            agency_id=app.agency_id,
            after=_snap(appeal) | {"appeal_id": appeal.pk},
            object_label=app.number,
        )
    return appeal


def appeal_decide(
    *, actor: Actor, appeal: Appeal, result: str, decided_on: dt.date, note: str = ""
) -> Appeal:
    """The 复议机关 or court decided: 维持 / 纠正 / 其他."""
    try:
        result_enum = AppealResult(result)
    except ValueError:
        raise InvalidInput("请选择结果", {"result": "请选择结果"}) from None
    if result_enum is AppealResult.PENDING:
        raise InvalidInput("请选择审结结果（维持、纠正或其他）", {"result": "请选择审结结果"})
    if decided_on > today():
        raise InvalidInput("审结日期不能晚于今天", {"decided_on": "日期不能晚于今天"})
    with transaction.atomic():
        app = lock(appeal.application_id)
        guard(actor, app, CaseAction.APPEAL_RECORD, today())
        row = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if row.result != AppealResult.PENDING:
            raise NotAllowed("该复议或诉讼已登记审结结果")
        if decided_on < row.filed_on:
            raise InvalidInput("审结日期不能早于申请或起诉日期", {"decided_on": "日期不正确"})
        before = _snap(row)
        row.result = result_enum.value
        row.decided_on = decided_on
        if note.strip():
            row.note = f"{row.note}\n{note.strip()}".strip()
        row.save()
        audit_record(
            actor=actor,
            action=ApplicationAction.APPEAL_DECIDE,
            obj=app,
            agency_id=app.agency_id,
            before=before,
            after=_snap(row) | {"appeal_id": row.pk},
            object_label=app.number,
        )
    return row
