"""The facts of a request that set its clock: receipt by channel, the regulation's time limits
(rule sets, as data), and the events that move the clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.domain.regulations import (
    DEFAULT_RULESETS,
    PAUSE_LABELS,
    RULESET_2008,
    RULESET_2019,
    PauseReason,
    RuleSet,
)
from gongkai.domain.workdays import cn_day

__all__ = [
    "DEFAULT_RULESETS",
    "PAUSE_LABELS",
    "RULESET_2008",
    "RULESET_2019",
    "PauseReason",
    "RuleSet",
]


class DeadlineInputError(ValueError):
    """Inconsistent or missing facts about a request; the message is Chinese, for the user."""


# ── receipt (第三十一条) ────────────────────────────────────────────────────────────────


class ReceiptChannel(StrEnum):
    IN_PERSON = "in_person"
    REGISTERED_POST = "registered_post"
    ORDINARY_LETTER = "ordinary_letter"
    ONLINE = "online"
    FAX = "fax"
    EMAIL = "email"

    @property
    def label(self) -> str:
        return RECEIPT_CHANNEL_LABELS[self]


RECEIPT_CHANNEL_LABELS: dict[ReceiptChannel, str] = {
    ReceiptChannel.IN_PERSON: "当面提交",
    ReceiptChannel.REGISTERED_POST: "邮寄（需签收）",
    ReceiptChannel.ORDINARY_LETTER: "平常信函",
    ReceiptChannel.ONLINE: "互联网",
    ReceiptChannel.FAX: "传真",
    ReceiptChannel.EMAIL: "电子邮件",
}

# what the receipt date is, per channel, in the words of 第三十一条
RECEIPT_RULE: dict[ReceiptChannel, str] = {
    ReceiptChannel.IN_PERSON: "当面提交的，以提交之日为收到申请之日",
    ReceiptChannel.REGISTERED_POST: "邮寄提交的，以签收之日为收到申请之日",
    ReceiptChannel.ORDINARY_LETTER: "平常信函等无需签收的，以与申请人确认之日为收到申请之日",
    ReceiptChannel.ONLINE: "通过互联网渠道提交的，以双方确认之日为收到申请之日",
    ReceiptChannel.FAX: "通过传真提交的，以双方确认之日为收到申请之日",
    ReceiptChannel.EMAIL: "通过电子邮件（互联网渠道）提交的，以双方确认之日为收到申请之日",
}


def receipt_date(
    channel: ReceiptChannel | str,
    *,
    submitted: date,
    signed_for: date | None = None,
    confirmed: date | None = None,
) -> date:
    """The day the request counts as received (条例第三十一条)."""
    try:
        channel = ReceiptChannel(channel)
    except ValueError:
        raise DeadlineInputError(f"未知的申请渠道“{channel}”") from None
    if channel is ReceiptChannel.IN_PERSON:
        return submitted
    if channel is ReceiptChannel.REGISTERED_POST:
        if signed_for is None:
            raise DeadlineInputError("邮寄提交的申请须填写签收日期（以签收之日为收到申请之日）")
        if signed_for < submitted:
            raise DeadlineInputError(f"签收日期{cn_day(signed_for)}早于寄出日期{cn_day(submitted)}")
        return signed_for
    if confirmed is None:
        raise DeadlineInputError(
            f"{channel.label}提交的申请须填写与申请人确认的日期（{RECEIPT_RULE[channel]}）"
        )
    if confirmed < submitted:
        raise DeadlineInputError(f"确认日期{cn_day(confirmed)}早于提交日期{cn_day(submitted)}")
    return confirmed


# ── 送达 of a notice to the applicant (the same rules as receipt, 第三十一条) ──────────────

# when a notice the agency sends counts as received by the applicant, per channel
SERVICE_RULE: dict[ReceiptChannel, str] = {
    ReceiptChannel.IN_PERSON: "当面交付的，以交付之日为送达之日",
    ReceiptChannel.REGISTERED_POST: "邮寄的，以申请人签收之日为送达之日",
    ReceiptChannel.ORDINARY_LETTER: "以平常信函等无需签收方式寄送的，以与申请人确认收到之日为送达之日",
    ReceiptChannel.ONLINE: "通过互联网渠道发送的，以申请人确认收到之日为送达之日",
    ReceiptChannel.FAX: "通过传真发送的，以双方确认之日为送达之日",
    ReceiptChannel.EMAIL: "通过电子邮件发送的，以申请人确认收到之日为送达之日",
}


def service_date(
    channel: ReceiptChannel | str,
    *,
    sent: date,
    signed_for: date | None = None,
    confirmed: date | None = None,
) -> date | None:
    """The day a notice counts as served on the applicant; None while it is not yet known
    (a posted notice not yet signed for, an electronic one not yet confirmed)."""
    try:
        channel = ReceiptChannel(channel)
    except ValueError:
        raise DeadlineInputError(f"未知的送达方式“{channel}”") from None
    if channel is ReceiptChannel.IN_PERSON:
        return sent
    served = signed_for if channel is ReceiptChannel.REGISTERED_POST else confirmed
    if served is None:
        return None
    if served < sent:
        raise DeadlineInputError(f"送达日期{cn_day(served)}早于发出日期{cn_day(sent)}")
    return served


# ── rule sets ────────────────────────────────────────────────────────────────────────────


# the regulation's versions and their time limits live in gongkai.domain.regulations (typed
# once); they are re-exported here for the deadline engine's callers
CORRECTION_LABEL = "补正期间"
DEFERRAL_LABEL = "延迟答复期间（条例第三十五条）"


def ruleset_for(received: date, rulesets: Sequence[RuleSet]) -> RuleSet:
    """The rule set in force on the day of receipt (the latest one if several overlap)."""
    matching = [r for r in rulesets if r.applies_to(received)]
    if not matching:
        raise DeadlineInputError(f"没有适用于{cn_day(received)}收到的申请的条例时限规则")
    return max(matching, key=lambda r: r.valid_from)


# ── events ───────────────────────────────────────────────────────────────────────────────


class EventKind(StrEnum):
    CORRECTION_NOTICE = "correction_notice"  # 补正告知 sent; ``until`` = the set 补正 deadline
    CORRECTION_RECEIVED = "correction_received"  # the answer period restarts from here
    EXTENSION = "extension"  # 延期 approved; ``working_days`` ≤ the rule set's maximum
    PAUSE_START = "pause_start"  # reason: third_party | other_agency | fee
    PAUSE_END = "pause_end"  # same reason (fee: paid)
    # the notice that opened a pause was served on the applicant (fee: the 收费通知 received;
    # the payment period runs from here, not from the day it was sent)
    SERVED = "served"
    # 第三十五条: the applicant's reasons for clearly excessive requests are reasonable but the
    # 第三十三条 period cannot be met; ``until`` = the reasonable later date set and told
    DEFERRAL = "deferral"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS: dict[EventKind, str] = {
    EventKind.CORRECTION_NOTICE: "发出补正告知",
    EventKind.CORRECTION_RECEIVED: "收到补正后的申请",
    EventKind.EXTENSION: "延长答复期限",
    EventKind.PAUSE_START: "中止计算",
    EventKind.PAUSE_END: "恢复计算",
    EventKind.SERVED: "通知送达申请人",
    EventKind.DEFERRAL: "确定延迟答复期限",
}


@dataclass(frozen=True)
class CaseEvent:
    kind: EventKind
    on: date
    working_days: int | None = None
    until: date | None = None
    reason: str = ""
