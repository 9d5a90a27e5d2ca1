"""The life of a disclosure request: states named as the law names them and the transitions.

条例第四十五条 asks for 登记、审核、办理、答复、归档 procedures. A case is 登记 (registered),
then 办理 by an assigned 公开专员, may wait for 补正 (第三十条), for the opinion of a third
party or another agency (第三十二条, 第三十四条; the clock stands still), for payment of a fee
(第四十二条), or for the reasons of clearly excessive requests (第三十五条; the clock runs on),
goes to 审核 (a reviewer approves the draft reply), is 答复 (the decision is issued), 送达
(delivered) and 归档 (archived). The applicant may withdraw while it is open.

This module is the transition table and the rules that depend only on a case's facts. Every
step runs in the shared transition frame (``gongkai.apps.audit.frame``), which checks
:func:`refusal` and sets the state from :data:`CASE_STATES`; the audit log names each step by
its :class:`ApplicationAction` (the audit code and its Chinese label).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gongkai.domain.actions import Action, State, StateTable
from gongkai.domain.actions import TransitionNotAllowed as TransitionNotAllowed


class CaseState(State):
    REGISTERED = "registered", "已登记"
    PROCESSING = "processing", "办理中"
    CORRECTION = "correction", "待补正"
    CONSULTING = "consulting", "征求意见中"
    FEE = "fee", "待缴费"
    REASONS = "reasons", "待说明理由"  # 第三十五条: the applicant is asked for reasons
    REVIEW = "review", "待审核"
    REPLIED = "replied", "已答复"
    DELIVERED = "delivered", "已送达"
    ARCHIVED = "archived", "已归档"
    WITHDRAWN = "withdrawn", "已撤回"

    @property
    def is_open(self) -> bool:
        """Still being handled: the deadline runs (or stands still) and it can be withdrawn."""
        return self in OPEN_STATES

    @property
    def clock_stopped(self) -> bool:
        return self in (CaseState.CORRECTION, CaseState.CONSULTING, CaseState.FEE)


STATE_LABELS: dict[CaseState, str] = {s: s.label for s in CaseState}

# what an applicant following the case is told (internal steps stay internal)
PUBLIC_STATE_LABELS: dict[CaseState, str] = {
    CaseState.REGISTERED: "已登记，等待受理",
    CaseState.PROCESSING: "办理中",
    CaseState.CORRECTION: "待补正：请按补正告知书补充材料",
    CaseState.CONSULTING: "办理中（征求意见，期间不计入答复期限）",
    CaseState.FEE: "待缴纳信息处理费",
    CaseState.REASONS: "待说明理由：请按说明理由告知书说明申请理由",
    CaseState.REVIEW: "办理中",
    CaseState.REPLIED: "已答复",
    CaseState.DELIVERED: "已答复并送达",
    CaseState.ARCHIVED: "已办结",
    CaseState.WITHDRAWN: "已撤回",
}

OPEN_STATES = frozenset(
    {
        CaseState.REGISTERED,
        CaseState.PROCESSING,
        CaseState.CORRECTION,
        CaseState.CONSULTING,
        CaseState.FEE,
        CaseState.REASONS,
        CaseState.REVIEW,
    }
)

CLOSED_STATES = frozenset(set(CaseState) - OPEN_STATES)
# waiting for the applicant: 补正, payment, reasons (第三十五条)
WAITING_STATES = (CaseState.CORRECTION, CaseState.FEE, CaseState.REASONS)


class CaseAction(StrEnum):
    ACCEPT = "accept"
    ASSIGN = "assign"
    CORRECTION_REQUEST = "correction_request"
    CORRECTION_RECEIVE = "correction_receive"
    CONSULT_START = "consult_start"
    CONSULT_END = "consult_end"
    EXTENSION_REQUEST = "extension_request"
    EXTENSION_APPROVE = "extension_approve"
    EXTENSION_REJECT = "extension_reject"
    FEE_NOTICE = "fee_notice"
    FEE_SERVED = "fee_served"
    FEE_PAID = "fee_paid"
    REASONS_REQUEST = "reasons_request"
    REASONS_ACCEPT = "reasons_accept"
    REPLY_DRAFT = "reply_draft"
    REPLY_APPROVE = "reply_approve"
    REPLY_RETURN = "reply_return"
    DELIVER = "deliver"
    ARCHIVE = "archive"
    WITHDRAW = "withdraw"
    APPEAL_RECORD = "appeal_record"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]

    @property
    def audit(self) -> ApplicationAction:
        """The audit action that records this step."""
        return ApplicationAction(f"application.{self.value}")


ACTION_LABELS: dict[CaseAction, str] = {
    CaseAction.ACCEPT: "受理并分派承办人",
    CaseAction.ASSIGN: "改派承办人",
    CaseAction.CORRECTION_REQUEST: "发出补正告知",
    CaseAction.CORRECTION_RECEIVE: "登记补正材料",
    CaseAction.CONSULT_START: "征求第三方或其他机关意见",
    CaseAction.CONSULT_END: "登记征求意见结果",
    CaseAction.EXTENSION_REQUEST: "申请延期答复",
    CaseAction.EXTENSION_APPROVE: "批准延期",
    CaseAction.EXTENSION_REJECT: "不批准延期",
    CaseAction.FEE_NOTICE: "发出收费通知",
    CaseAction.FEE_SERVED: "登记收费通知送达",
    CaseAction.FEE_PAID: "登记已缴费",
    CaseAction.REASONS_REQUEST: "要求申请人说明理由",
    CaseAction.REASONS_ACCEPT: "认可申请理由",
    CaseAction.REPLY_DRAFT: "拟写答复并提交审核",
    CaseAction.REPLY_APPROVE: "审核通过并答复",
    CaseAction.REPLY_RETURN: "退回修改",
    CaseAction.DELIVER: "登记送达",
    CaseAction.ARCHIVE: "归档",
    CaseAction.WITHDRAW: "撤回申请",
    CaseAction.APPEAL_RECORD: "登记行政复议或诉讼",
}


class ApplicationAction(Action):
    """Every act the audit log records of a request, with the label the log shows."""

    REGISTER = "application.register", "登记申请"
    REGISTER_PAST = "application.register_past", "导入往年登记簿中的申请"
    ACCEPT = "application.accept", "受理并分派承办人"
    ASSIGN = "application.assign", "改派承办人"
    CORRECTION_REQUEST = "application.correction_request", "发出补正告知"
    CORRECTION_RECEIVE = "application.correction_receive", "收到补正材料"
    CONSULT_START = "application.consult_start", "征求意见"
    CONSULT_END = "application.consult_end", "收到征求意见结果"
    EXTENSION_REQUEST = "application.extension_request", "申请延期"
    EXTENSION_APPROVE = "application.extension_approve", "批准延期"
    EXTENSION_REJECT = "application.extension_reject", "不批准延期"
    FEE_NOTICE = "application.fee_notice", "发出收费通知"
    FEE_SERVED = "application.fee_served", "收费通知送达"
    FEE_PAID = "application.fee_paid", "已缴费"
    REASONS_REQUEST = "application.reasons_request", "要求申请人说明理由（条例第三十五条）"
    REASONS_ACCEPT = "application.reasons_accept", "认可申请理由（条例第三十五条）"
    REPLY_DRAFT = "application.reply_draft", "拟写答复，提交审核"
    REPLY_RETURN = "application.reply_return", "退回修改"
    REPLY_APPROVE = "application.reply_approve", "审核通过，作出答复"
    DELIVER = "application.deliver", "送达"
    ARCHIVE = "application.archive", "归档"
    WITHDRAW = "application.withdraw", "撤回申请"
    DOCUMENT_ADD = "application.document_add", "添加材料"
    DOCUMENT_WITHDRAW = "application.document_withdraw", "撤下材料"
    APPEAL_RECORD = "application.appeal_record", "登记行政复议或诉讼"
    APPEAL_DECIDE = "application.appeal_decide", "登记复议或诉讼结果"
    DEADLINE_RECOMPUTE = "application.deadline_recompute", "工作日历调整，重新计算期限"
    NOTICE_CONTACTS = "application.notice_contacts", "设置接收通知的方式"
    EXPORT = "application.export", "导出申请登记簿"
    PROACTIVE_DRAFT = "application.proactive_draft", "建议转为主动公开，生成目录草稿"
    PROACTIVE_DISMISS = "application.proactive_dismiss", "不采纳转为主动公开的建议"
    REMIND = "application.remind", "发送到期提醒"
    RELEASED_RENDER = "application.released_render", "生成送申请人的遮盖版本"


class ExtensionStatus(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


_S = CaseState
_A = CaseAction

# (state, action) -> state after the action
TRANSITIONS: dict[tuple[CaseState, CaseAction], CaseState] = {
    (_S.REGISTERED, _A.ACCEPT): _S.PROCESSING,
    (_S.PROCESSING, _A.CORRECTION_REQUEST): _S.CORRECTION,
    (_S.CORRECTION, _A.CORRECTION_RECEIVE): _S.PROCESSING,
    (_S.PROCESSING, _A.CONSULT_START): _S.CONSULTING,
    (_S.CONSULTING, _A.CONSULT_END): _S.PROCESSING,
    (_S.PROCESSING, _A.FEE_NOTICE): _S.FEE,
    (_S.FEE, _A.FEE_SERVED): _S.FEE,
    (_S.FEE, _A.FEE_PAID): _S.PROCESSING,
    (_S.PROCESSING, _A.REPLY_DRAFT): _S.REVIEW,
    (_S.CORRECTION, _A.REPLY_DRAFT): _S.REVIEW,  # only when the 补正 period has lapsed
    (_S.FEE, _A.REPLY_DRAFT): _S.REVIEW,  # only when the payment period has lapsed
    # 第三十五条: ask for the reasons; reasonable ⇒ back to 办理 (perhaps with a later answer
    # date); unreasonable or none given ⇒ the reply 不予处理
    (_S.PROCESSING, _A.REASONS_REQUEST): _S.REASONS,
    (_S.REASONS, _A.REASONS_ACCEPT): _S.PROCESSING,
    (_S.REASONS, _A.REPLY_DRAFT): _S.REVIEW,
    (_S.REVIEW, _A.REPLY_APPROVE): _S.REPLIED,
    (_S.REVIEW, _A.REPLY_RETURN): _S.PROCESSING,
    (_S.REPLIED, _A.DELIVER): _S.DELIVERED,
    (_S.DELIVERED, _A.ARCHIVE): _S.ARCHIVED,
    (_S.WITHDRAWN, _A.ARCHIVE): _S.ARCHIVED,
}
for _state in OPEN_STATES:
    TRANSITIONS[(_state, _A.WITHDRAW)] = _S.WITHDRAWN
    if _state is not _S.REGISTERED:
        TRANSITIONS[(_state, _A.ASSIGN)] = _state
for _state in (_S.PROCESSING, _S.CONSULTING, _S.REASONS, _S.REVIEW):
    for _action in (_A.EXTENSION_REQUEST, _A.EXTENSION_APPROVE, _A.EXTENSION_REJECT):
        TRANSITIONS[(_state, _action)] = _state
for _state in (_S.REPLIED, _S.DELIVERED, _S.ARCHIVED):
    TRANSITIONS[(_state, _A.APPEAL_RECORD)] = _state


@dataclass(frozen=True)
class CaseFacts:
    """What, besides the state, decides which actions and decisions are open."""

    state: CaseState
    correction_sent: bool = False  # 补正 is a one-time notice (一次性告知)
    correction_received: bool = False
    correction_lapsed: bool = False  # the 补正 period ended without material
    extension: ExtensionStatus = ExtensionStatus.NONE
    fee_noticed: bool = False
    fee_served: bool = False  # the 收费通知's 送达 date is known
    fee_lapsed: bool = False  # the payment period ended unpaid
    reasons_requested: bool = False  # 第三十五条: the applicant was asked for reasons


# the same table for the shared transition frame, keyed by the audit actions
CASE_STATES: StateTable[CaseState, ApplicationAction] = StateTable(
    {(state, action.audit): after for (state, action), after in TRANSITIONS.items()}
)


def refusal(facts: CaseFacts, action: CaseAction) -> str | None:
    """Why ``action`` is refused for a case with these facts, or None when it is allowed."""
    if (facts.state, action) not in TRANSITIONS:
        return f"当前状态“{facts.state.label}”下不能{action.label}"
    if action is _A.CORRECTION_REQUEST and facts.correction_sent:
        return "补正告知只能发出一次（条例第三十条：一次性告知）"
    if action is _A.EXTENSION_REQUEST and facts.extension is not ExtensionStatus.NONE:
        return "延期只能申请一次（条例第三十三条）"
    if (
        action in (_A.EXTENSION_APPROVE, _A.EXTENSION_REJECT)
        and facts.extension is not ExtensionStatus.REQUESTED
    ):
        return "没有待审批的延期申请"
    if action is _A.FEE_NOTICE and facts.fee_noticed:
        return "收费通知已发出过"
    if action is _A.REASONS_REQUEST and facts.reasons_requested:
        return "已要求申请人说明理由（条例第三十五条），不能再次要求"
    if action is _A.FEE_SERVED and facts.fee_served:
        return "收费通知的送达日期已登记"
    if action is _A.REPLY_DRAFT:
        if facts.state is _S.CORRECTION and not facts.correction_lapsed:
            return "补正期限尚未届满，不能终止办理"
        if facts.state is _S.FEE and not facts.fee_lapsed:
            return "缴费期限尚未届满，不能终止办理"
    return None


def can(facts: CaseFacts, action: CaseAction) -> bool:
    return refusal(facts, action) is None


def check(facts: CaseFacts, action: CaseAction) -> CaseState:
    """The state after ``action``, or TransitionNotAllowed with the reason."""
    reason = refusal(facts, action)
    if reason is not None:
        raise TransitionNotAllowed(reason)
    return TRANSITIONS[(facts.state, action)]


def available_actions(facts: CaseFacts) -> list[CaseAction]:
    return [action for action in CaseAction if can(facts, action)]


# decisions an officer may draft, by what happened to the case
LAPSED_CORRECTION_DECISIONS = ("other.no_correction",)
LAPSED_FEE_DECISIONS = ("other.fee_unpaid",)
# 第三十五条: 不予处理 only after the applicant was asked for reasons and gave none reasonable
EXCESSIVE_DECISIONS = ("ignored.excessive",)
NEVER_DRAFTED = ("other.withdrawn",)  # withdrawal is the applicant's act, not a reply


def allowed_decisions(facts: CaseFacts, all_codes: tuple[str, ...]) -> tuple[str, ...]:
    """The decision codes a reply may carry for a case with these facts."""
    if facts.state is _S.CORRECTION:
        return LAPSED_CORRECTION_DECISIONS if facts.correction_lapsed else ()
    if facts.state is _S.FEE:
        return LAPSED_FEE_DECISIONS if facts.fee_lapsed else ()
    if facts.state is _S.REASONS:
        return EXCESSIVE_DECISIONS
    if facts.state is not _S.PROCESSING:
        return ()
    excluded = (
        set(NEVER_DRAFTED)
        | set(LAPSED_CORRECTION_DECISIONS)
        | set(LAPSED_FEE_DECISIONS)
        | set(EXCESSIVE_DECISIONS)
    )
    if not facts.correction_received:
        excluded.add("unclear")  # 补正后申请内容仍不明确 needs a 补正 first
    return tuple(code for code in all_codes if code not in excluded)
