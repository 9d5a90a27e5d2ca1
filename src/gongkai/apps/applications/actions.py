"""The one registry of a case's staff actions (ADR 0176).

Each :class:`CaseActionSpec` names what an action is everywhere it is offered: the case page's
form, the API's path and payload schema, the service it runs, the step whose roles it needs
(``permissions.ACTION_ROLES``) and what the page says when it is done. The case page
(``views.staff``), the API (``gongkai.api.applications``) and the permission-matrix tests all
iterate :data:`CASE_ACTIONS`; a new action is one entry here.

Both sides call ``spec.run(actor=..., application=..., **fields)``: the page with its form's
cleaned fields, the API with ``spec.fields(payload, application)`` (the payload's fields as
they are, unless the spec converts them: a username to an officer, ``approve`` to a verdict).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from ninja import Schema

from gongkai.apps.accounts.models import User
from gongkai.apps.applications import forms as f
from gongkai.apps.applications import services as svc
from gongkai.apps.applications.errors import ApplicationError, NotAllowed, NotFound
from gongkai.apps.audit.actors import Actor
from gongkai.apps.organizations.models import Agency
from gongkai.domain.casestates import CaseAction
from gongkai.domain.regulations import CURRENT

# ── the API's payloads ───────────────────────────────────────────────────────────────────


class OnIn(Schema):
    on: dt.date | None = None


class AcceptIn(OnIn):
    officer: str = ""  # username; empty: the caller


class CorrectionIn(OnIn):
    items: str
    until: dt.date | None = None


class ConsultIn(OnIn):
    kind: str  # third_party | other_agency
    party: str
    matters: str


class ConsultEndIn(OnIn):
    outcome: str  # agree | object | no_answer | other
    note: str = ""


class ReasonsIn(OnIn):
    grounds: str  # 数量、频次明显超过合理范围的情况
    until: dt.date | None = None  # 说明理由期限; empty: the default number of working days


class ReasonsAcceptIn(OnIn):
    note: str = ""
    until: dt.date | None = None  # 延迟答复期限 (only when 第三十三条's period cannot be met)


class ExtensionIn(Schema):
    days: int
    reason: str


class ExtensionDecisionIn(OnIn):
    approve: bool
    comment: str = ""


class FeeIn(OnIn):
    method: str  # per_item | per_page
    units: int
    # how the notice reaches the applicant (a receipt channel) and, when known, the day it was
    # served: the payment period runs from that day (in person: the day it is sent)
    delivery: str = "in_person"
    served_on: dt.date | None = None


class ReplyIn(Schema):
    decision: str
    text: str = ""
    referred_agency: str = ""  # agency code (不属于本机关)
    referred_other: str = ""
    forward: bool = False


class ReviewIn(OnIn):
    approve: bool
    comment: str = ""


class DeliveryIn(OnIn):
    method: str  # post | email | pickup | online
    ref: str = ""


class WithdrawIn(OnIn):
    reason: str


class AppealIn(Schema):
    kind: str  # reconsideration | litigation_direct | litigation_after
    filed_on: dt.date
    body: str
    case_number: str = ""
    note: str = ""


class AppealDecisionIn(Schema):
    appeal_id: int
    result: str  # upheld | corrected | other
    decided_on: dt.date
    note: str = ""


# ── services that take a verdict ─────────────────────────────────────────────────────────


def _extension_decide(*, actor: Actor, application, decision, comment, on):
    if decision == "approve":
        return svc.application_extension_approve(actor=actor, application=application, on=on)
    return svc.application_extension_reject(
        actor=actor, application=application, comment=comment, on=on
    )


def _review(*, actor: Actor, application, verdict, comment, on):
    if verdict == "approve":
        return svc.application_reply_approve(actor=actor, application=application, on=on)
    return svc.application_reply_return(actor=actor, application=application, comment=comment)


def _appeal_decide(*, actor: Actor, application, appeal, result, decided_on, note):
    found = application.appeals.filter(pk=appeal).first()
    if found is None:
        raise NotAllowed("没有找到该复议或诉讼记录")
    return svc.appeal_decide(
        actor=actor, appeal=found, result=result, decided_on=decided_on, note=note
    )


# ── the API's payload → the service's fields, where they are not named alike ─────────────


def _accept_fields(payload: Any, app: Any) -> dict[str, Any]:
    officer = None
    if payload.officer:
        officer = User.objects.filter(username=payload.officer, agency_id=app.agency_id).first()
        if officer is None:
            raise ApplicationError(f"本机关没有用户“{payload.officer}”")
    return {"officer": officer, "on": payload.on}


def _extension_fields(payload: Any, app: Any) -> dict[str, Any]:
    decision = "approve" if payload.approve else "reject"
    return {"decision": decision, "comment": payload.comment, "on": payload.on}


def _reply_fields(payload: Any, app: Any) -> dict[str, Any]:
    fields = payload.model_dump()
    code = fields.pop("referred_agency")
    referred = None
    if code:
        referred = Agency.objects.filter(code=code, is_active=True).first()
        if referred is None:
            raise ApplicationError(f"找不到机关“{code}”（请使用机关代码）")
    return {**fields, "referred_agency": referred}


def _review_fields(payload: Any, app: Any) -> dict[str, Any]:
    verdict = "approve" if payload.approve else "return"
    return {"verdict": verdict, "comment": payload.comment, "on": payload.on}


def _appeal_result_fields(payload: Any, app: Any) -> dict[str, Any]:
    if not app.appeals.filter(pk=payload.appeal_id).exists():
        raise NotFound("没有找到该复议或诉讼记录")
    return {
        "appeal": payload.appeal_id,
        "result": payload.result,
        "decided_on": payload.decided_on,
        "note": payload.note,
    }


@dataclass(frozen=True)
class CaseActionSpec:
    """One staff action on a case, wherever it is offered.

    ``key`` names it on the case page (``act/<key>/``); ``step`` is the case step whose roles
    it needs; ``run`` is the service, called with ``actor``, ``application`` and the fields;
    ``done`` is the page's message. ``path``, ``schema`` and ``summary`` offer it in the API
    as ``POST cases/{case_id}/<path>`` (no path: the page only); ``convert`` turns a payload
    into the service's fields when they are not named alike."""

    key: str
    step: CaseAction
    form: type[forms.Form]
    run: Callable[..., Any]
    done: str
    path: str = ""
    schema: type[Schema] | None = None
    summary: str = ""
    convert: Callable[[Any, Any], dict[str, Any]] | None = None

    def fields(self, payload: Any, application: Any) -> dict[str, Any]:
        """The service's keyword arguments from an API payload."""
        if self.convert is not None:
            return self.convert(payload, application)
        return dict(payload.model_dump())


_S = CaseAction
_SPECS = (
    CaseActionSpec(
        "accept",
        _S.ACCEPT,
        f.AcceptForm,
        svc.application_accept,
        "已受理",
        "accept",
        AcceptIn,
        "受理并分派承办人",
        _accept_fields,
    ),
    CaseActionSpec("assign", _S.ASSIGN, f.AssignForm, svc.application_assign, "已改派承办人"),
    CaseActionSpec(
        "correction_request",
        _S.CORRECTION_REQUEST,
        f.CorrectionRequestForm,
        svc.application_correction_request,
        "补正告知书已生成",
        "correction",
        CorrectionIn,
        f"补正告知（一次性告知，收到申请之日起{CURRENT.correction_notice_days}个工作日内）",
    ),
    CaseActionSpec(
        "correction_receive",
        _S.CORRECTION_RECEIVE,
        f.CorrectionReceiveForm,
        svc.application_correction_receive,
        "已登记补正材料，答复期限重新计算",
        "correction-received",
        OnIn,
        "登记收到补正后的申请（答复期限重新计算）",
    ),
    CaseActionSpec(
        "consult_start",
        _S.CONSULT_START,
        f.ConsultStartForm,
        svc.application_consult_start,
        "征求意见函已生成，征求意见期间中止计算答复期限",
        "consultation",
        ConsultIn,
        "征求第三方或其他机关意见（期间不计入答复期限）",
    ),
    CaseActionSpec(
        "consult_end",
        _S.CONSULT_END,
        f.ConsultEndForm,
        svc.application_consult_end,
        "已登记征求意见结果，恢复计算答复期限",
        "consultation-result",
        ConsultEndIn,
        "登记征求意见结果（恢复计算）",
    ),
    CaseActionSpec(
        "extension_request",
        _S.EXTENSION_REQUEST,
        f.ExtensionRequestForm,
        svc.application_extension_request,
        "延期申请已提交负责人审批",
        "extension",
        ExtensionIn,
        "申请延期答复",
    ),
    CaseActionSpec(
        "extension_decide",
        _S.EXTENSION_APPROVE,
        f.ExtensionDecideForm,
        _extension_decide,
        "延期审批已完成",
        "extension-decision",
        ExtensionDecisionIn,
        "公开办负责人审批延期",
        _extension_fields,
    ),
    CaseActionSpec(
        "fee_notice",
        _S.FEE_NOTICE,
        f.FeeNoticeForm,
        svc.application_fee_notice,
        "收费通知书已生成，缴费期间中止计算答复期限",
        "fee",
        FeeIn,
        "收费通知（信息处理费，缴费期间不计入答复期限）",
    ),
    CaseActionSpec(
        "fee_served",
        _S.FEE_SERVED,
        f.FeeServedForm,
        svc.application_fee_served,
        "已登记收费通知送达，缴费期限自送达之日起计算",
        "fee-served",
        OnIn,
        "登记收费通知送达（缴费期限自送达之日起计算）",
    ),
    CaseActionSpec(
        "fee_paid",
        _S.FEE_PAID,
        f.FeePaidForm,
        svc.application_fee_paid,
        "已登记缴费，恢复计算答复期限",
        "fee-paid",
        OnIn,
        "登记已缴费",
    ),
    CaseActionSpec(
        "reasons_request",
        _S.REASONS_REQUEST,
        f.ReasonsRequestForm,
        svc.application_reasons_request,
        "说明理由告知书已生成（答复期限照常计算）",
        "reasons",
        ReasonsIn,
        "要求申请人说明理由（条例第三十五条：数量、频次明显超过合理范围；答复期限照常计算）",
    ),
    CaseActionSpec(
        "reasons_accept",
        _S.REASONS_ACCEPT,
        f.ReasonsAcceptForm,
        svc.application_reasons_accept,
        "已认可申请理由，继续办理",
        "reasons-accepted",
        ReasonsAcceptIn,
        "认可申请理由，继续办理；无法按期答复的确定延迟答复期限（条例第三十五条）",
    ),
    CaseActionSpec(
        "reply_draft",
        _S.REPLY_DRAFT,
        f.ReplyDraftForm,
        svc.application_reply_draft,
        "答复已提交审核",
        "reply",
        ReplyIn,
        "拟写答复并提交审核",
        _reply_fields,
    ),
    CaseActionSpec(
        "review",
        _S.REPLY_APPROVE,
        f.ReviewForm,
        _review,
        "审核已完成",
        "review",
        ReviewIn,
        "审核答复：通过即作出答复并生成答复书；或退回修改",
        _review_fields,
    ),
    CaseActionSpec(
        "deliver",
        _S.DELIVER,
        f.DeliverForm,
        svc.application_deliver,
        "已登记送达",
        "delivery",
        DeliveryIn,
        "登记送达",
    ),
    CaseActionSpec(
        "archive",
        _S.ARCHIVE,
        f.ArchiveForm,
        svc.application_archive,
        "已归档",
        "archive",
        OnIn,
        "归档",
    ),
    CaseActionSpec(
        "withdraw",
        _S.WITHDRAW,
        f.StaffWithdrawForm,
        svc.application_withdraw,
        "已登记撤回",
        "withdrawal",
        WithdrawIn,
        "登记申请人书面撤回",
    ),
    CaseActionSpec(
        "appeal",
        _S.APPEAL_RECORD,
        f.AppealForm,
        svc.appeal_record,
        "已登记行政复议或诉讼",
        "appeals",
        AppealIn,
        "登记行政复议或行政诉讼",
    ),
    CaseActionSpec(
        "appeal_decide",
        _S.APPEAL_RECORD,
        f.AppealDecideForm,
        _appeal_decide,
        "已登记审结结果",
        "appeal-result",
        AppealDecisionIn,
        "登记复议或诉讼的审结结果",
        _appeal_result_fields,
    ),
    # the officer's and head's roles; offered on its own, not as a step
    CaseActionSpec(
        "document", _S.ACCEPT, f.DocumentForm, svc.application_document_add, "材料已上传"
    ),
)

# every action by its page key, in the order the page and the API list them
CASE_ACTIONS: Mapping[str, CaseActionSpec] = {spec.key: spec for spec in _SPECS}
# the actions offered in the API, by path
API_ACTIONS: Mapping[str, CaseActionSpec] = {
    spec.path: spec for spec in _SPECS if spec.path and spec.schema is not None
}
# the forms a step offers on the case page (uploading documents is offered on its own)
STEP_KEYS: dict[CaseAction, list[str]] = {}
for _spec in _SPECS:
    if _spec.key != "document":
        STEP_KEYS.setdefault(_spec.step, []).append(_spec.key)
