"""The statutory deadline of a disclosure request, computed from its events, with the day-by-day
explanation of how it was counted.

Rules (《政府信息公开条例》, 2019; the 2008 regulation for requests received before 2019-05-15):

- 第三十一条: the receipt date depends on the channel (:func:`receipt_date`);
- 第三十三条: answer within 20 working days of receipt; one extension of at most 20 working days;
  the day of receipt is not counted, day 1 is the next working day, so the due date is always a
  working day;
- 第三十条: a 补正 notice within 7 working days of receipt; the answer period then runs from the
  receipt of the corrected application (it restarts, it does not merely pause); not corrected by
  the set date = treated as withdrawn;
- 第三十二条、第三十四条: time spent consulting a third party or another agency is not counted
  (they answer within 15 working days);
- 信息处理费管理办法: a fee notice stops the clock until payment; unpaid after 20 working days =
  treated as withdrawn.

The numbers live in a :class:`RuleSet` (rows the administrators edit), never in the code below.
A pause from day P to day Q excludes the working days in (P, Q]: the day the pause begins is
still counted, and the clock resumes the day after it ends — the same convention as receipt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gongkai.domain.workdays import DayKind, WorkCalendar, cn_day


class DeadlineInputError(ValueError):
    """Inconsistent or missing facts about a request; the message is Chinese, for the user."""


# ── receipt (第三十一条) ────────────────────────────────────────────────────────────────


class Channel(StrEnum):
    IN_PERSON = "in_person"
    REGISTERED_POST = "registered_post"
    ORDINARY_LETTER = "ordinary_letter"
    ONLINE = "online"
    FAX = "fax"
    EMAIL = "email"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "当面提交",
    Channel.REGISTERED_POST: "邮寄（需签收）",
    Channel.ORDINARY_LETTER: "平常信函",
    Channel.ONLINE: "互联网",
    Channel.FAX: "传真",
    Channel.EMAIL: "电子邮件",
}

# what the receipt date is, per channel, in the words of 第三十一条
RECEIPT_RULE: dict[Channel, str] = {
    Channel.IN_PERSON: "当面提交的，以提交之日为收到申请之日",
    Channel.REGISTERED_POST: "邮寄提交的，以签收之日为收到申请之日",
    Channel.ORDINARY_LETTER: "平常信函等无需签收的，以与申请人确认之日为收到申请之日",
    Channel.ONLINE: "通过互联网渠道提交的，以双方确认之日为收到申请之日",
    Channel.FAX: "通过传真提交的，以双方确认之日为收到申请之日",
    Channel.EMAIL: "通过电子邮件（互联网渠道）提交的，以双方确认之日为收到申请之日",
}


def receipt_date(
    channel: Channel | str,
    *,
    submitted: date,
    signed_for: date | None = None,
    confirmed: date | None = None,
) -> date:
    """The day the request counts as received (条例第三十一条)."""
    try:
        channel = Channel(channel)
    except ValueError:
        raise DeadlineInputError(f"未知的申请渠道“{channel}”") from None
    if channel is Channel.IN_PERSON:
        return submitted
    if channel is Channel.REGISTERED_POST:
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


# ── rule sets ────────────────────────────────────────────────────────────────────────────


class PauseReason(StrEnum):
    THIRD_PARTY = "third_party"
    OTHER_AGENCY = "other_agency"
    FEE = "fee"

    @property
    def label(self) -> str:
        return PAUSE_LABELS[self]


PAUSE_LABELS: dict[PauseReason, str] = {
    PauseReason.THIRD_PARTY: "征求第三方意见",
    PauseReason.OTHER_AGENCY: "征求其他机关意见",
    PauseReason.FEE: "缴费期间",
}
CORRECTION_LABEL = "补正期间"


@dataclass(frozen=True)
class RuleSet:
    """The time limits of one version of the regulation. A limit of 0 means the version sets none.

    ``pause_reasons`` are the clock stops this version recognises; a pause for another reason
    is recorded but does not stop the clock.
    """

    code: str
    name: str
    valid_from: date
    valid_to: date | None
    answer_days: int
    extension_max_days: int
    correction_notice_days: int
    third_party_days: int
    other_agency_days: int
    fee_payment_days: int
    pause_reasons: tuple[str, ...] = (
        PauseReason.THIRD_PARTY,
        PauseReason.OTHER_AGENCY,
        PauseReason.FEE,
    )

    def applies_to(self, received: date) -> bool:
        return self.valid_from <= received and (self.valid_to is None or received <= self.valid_to)

    def pause_limit(self, reason: str) -> int:
        return {
            PauseReason.THIRD_PARTY: self.third_party_days,
            PauseReason.OTHER_AGENCY: self.other_agency_days,
            PauseReason.FEE: self.fee_payment_days,
        }.get(PauseReason(reason), 0)

    def summary(self) -> str:
        text = f"答复期限{self.answer_days}个工作日，可延长最多{self.extension_max_days}个工作日"
        if self.correction_notice_days:
            text += f"；补正告知{self.correction_notice_days}个工作日内发出"
        return text


# 国务院令第492号, 2008-05-01 to 2019-05-14: 第二十四条 15 + 15 working days; third-party
# consultation not counted; no statutory limits for 补正 notices or fees.
RULESET_2008 = RuleSet(
    code="2008",
    name="《中华人民共和国政府信息公开条例》（国务院令第492号，2008年5月1日施行）",
    valid_from=date(2008, 5, 1),
    valid_to=date(2019, 5, 14),
    answer_days=15,
    extension_max_days=15,
    correction_notice_days=0,
    third_party_days=0,
    other_agency_days=0,
    fee_payment_days=0,
    pause_reasons=(PauseReason.THIRD_PARTY,),
)

# 国务院令第711号, in force 2019-05-15: 第三十条 补正 7, 第三十二条 third party 15, 第三十三条
# 20 + 20, 第三十四条 other agency 15; 信息处理费管理办法 payment within 20.
RULESET_2019 = RuleSet(
    code="2019",
    name="《中华人民共和国政府信息公开条例》（国务院令第711号，2019年5月15日施行）",
    valid_from=date(2019, 5, 15),
    valid_to=None,
    answer_days=20,
    extension_max_days=20,
    correction_notice_days=7,
    third_party_days=15,
    other_agency_days=15,
    fee_payment_days=20,
)

DEFAULT_RULESETS: tuple[RuleSet, ...] = (RULESET_2008, RULESET_2019)


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

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS: dict[EventKind, str] = {
    EventKind.CORRECTION_NOTICE: "发出补正告知",
    EventKind.CORRECTION_RECEIVED: "收到补正后的申请",
    EventKind.EXTENSION: "延长答复期限",
    EventKind.PAUSE_START: "中止计算",
    EventKind.PAUSE_END: "恢复计算",
}


@dataclass(frozen=True)
class CaseEvent:
    kind: EventKind
    on: date
    working_days: int | None = None
    until: date | None = None
    reason: str = ""


# ── result ───────────────────────────────────────────────────────────────────────────────


class DayStatus(StrEnum):
    RECEIPT = "receipt"
    COUNTED = "counted"
    SKIPPED = "skipped"
    PAUSED = "paused"
    DUE = "due"


@dataclass(frozen=True)
class DayNote:
    day: date
    status: str  # a DayStatus value
    reason: str  # 周末 / 国庆节 / 调休上班 / 补正期间 / 征求第三方意见 / 缴费期间 …
    ordinal: int | None = None  # the working-day number counted, if counted


@dataclass(frozen=True)
class Pause:
    reason: str
    start: date
    end: date | None  # None: still running
    assumed_end: date  # end, or for a running pause the end of its time limit
    working_days: int  # working days not counted because of this pause


@dataclass(frozen=True)
class Deadline:
    due: date
    start: date  # the clock start: receipt, or receipt of the corrected application
    rule: RuleSet
    extension_days: int
    paused_working_days: int
    correction_notice_due: date | None  # receipt + 7 working days (only meaningful before a notice)
    days: tuple[DayNote, ...]  # received .. due, one note per calendar day
    received: date | None = None
    due_without_extension: date | None = None
    pauses: tuple[Pause, ...] = ()
    # True while the date rests on an assumption: a 补正 not yet received (assumed on its
    # deadline) or a pause still running (assumed to last its whole time limit)
    provisional: bool = False
    # the day after which the applicant is treated as having withdrawn (补正 or fee not done)
    lapses_on: date | None = None
    lapse_reason: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def total_days(self) -> int:
        return self.rule.answer_days + self.extension_days

    def touches(self, changed: Iterable[date]) -> bool:
        """Whether a change of the working-day status of ``changed`` can move this deadline:
        only days from receipt to the due date (inclusive) take part in the count."""
        first = self.received or self.start
        return any(first <= d <= self.due for d in changed)

    def explain(self) -> list[str]:
        """Short Chinese lines saying how the due date was counted (CLI, letters, case pages)."""
        lines = [f"适用规定：{self.rule.name}，{self.rule.summary()}。"]
        received = self.received or self.start
        lines.append(f"收到申请：{cn_day(received)}（当日不计入）。")
        if self.correction_notice_due is not None and self.start == received:
            lines.append(
                f"如需补正，最迟应于{cn_day(self.correction_notice_due)}一次性告知申请人。"
            )
        if self.start != received:
            lines.append(
                f"补正：答复期限自收到补正后的申请之日（{cn_day(self.start)}）起重新计算。"
            )
        lines.extend(_skipped_runs(self.days))
        makeup = [n for n in self.days if n.status in ("counted", "due") and "调休上班" in n.reason]
        for note in makeup:
            lines.append(f"调休上班：{cn_day(note.day)}计为第{note.ordinal}个工作日。")
        for pause in self.pauses:
            label = PAUSE_LABELS.get(PauseReason(pause.reason), pause.reason)
            end = (
                f"至{cn_day(pause.end)}"
                if pause.end
                else f"尚未结束，暂按至{cn_day(pause.assumed_end)}计"
            )
            lines.append(
                f"中止计算（{label}）：自{cn_day(pause.start)}起{end}，"
                f"不计入{pause.working_days}个工作日。"
            )
        if self.extension_days:
            lines.append(
                f"延长答复期限{self.extension_days}个工作日"
                + (
                    f"（原届满日{cn_day(self.due_without_extension)}）。"
                    if self.due_without_extension
                    else "。"
                )
            )
        lines.append(
            f"答复期限届满日：{cn_day(self.due)}（第{self.total_days}个工作日）"
            + ("，尚待确定的情形见上。" if self.provisional else "。")
        )
        if self.lapses_on is not None:
            lines.append(f"{self.lapse_reason}：逾期（{cn_day(self.lapses_on)}后）视为放弃申请。")
        lines.extend(f"注意：{w}" for w in self.warnings)
        return lines

    def as_dict(self) -> dict[str, object]:
        """ISO dates, for the API and ``gongkai deadline --json``."""
        return {
            "due": self.due.isoformat(),
            "start": self.start.isoformat(),
            "received": (self.received or self.start).isoformat(),
            "regulation": self.rule.code,
            "working_days": self.total_days,
            "extension_days": self.extension_days,
            "paused_working_days": self.paused_working_days,
            "correction_notice_due": (
                self.correction_notice_due.isoformat() if self.correction_notice_due else None
            ),
            "provisional": self.provisional,
            "lapses_on": self.lapses_on.isoformat() if self.lapses_on else None,
            "warnings": list(self.warnings),
            "days": [
                {
                    "date": n.day.isoformat(),
                    "status": n.status,
                    "reason": n.reason,
                    "ordinal": n.ordinal,
                }
                for n in self.days
            ],
        }


def _skipped_runs(days: Sequence[DayNote]) -> list[str]:
    """'2024年10月1日至10月7日 国庆节，不计入' — consecutive skipped days with one reason."""
    lines: list[str] = []
    run: list[DayNote] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0].day, run[-1].day
        span = (
            cn_day(first)
            if first == last
            else f"{cn_day(first)}至{last.month}月{last.day}日"
            if first.year == last.year
            else f"{cn_day(first)}至{cn_day(last)}"
        )
        lines.append(f"不计入：{span}，{run[0].reason}（{len(run)}天）。")
        run.clear()

    for note in days:
        if note.status == DayStatus.SKIPPED and note.reason != "周末":
            if run and (run[-1].reason != note.reason or (note.day - run[-1].day).days != 1):
                flush()
            run.append(note)
        else:
            flush()
    flush()
    weekends = sum(1 for n in days if n.status == DayStatus.SKIPPED and n.reason == "周末")
    if weekends:
        lines.append(f"不计入：周末{weekends}天。")
    return lines


# ── the computation ──────────────────────────────────────────────────────────────────────


@dataclass
class _Interval:
    reason: str
    start: date
    end: date | None
    assumed_end: date
    counts: bool  # False when the rule set does not recognise this reason


def _validate(received: date, events: Sequence[CaseEvent], rules: RuleSet) -> None:
    notice_seen = False
    corrected_seen = False
    extensions = 0
    open_pauses: set[str] = set()
    for event in events:
        try:
            kind = EventKind(event.kind)
        except ValueError:
            raise DeadlineInputError(f"未知的案件事件“{event.kind}”") from None
        if event.on < received:
            raise DeadlineInputError(
                f"{kind.label}的日期{cn_day(event.on)}早于收到申请之日{cn_day(received)}"
            )
        if kind is EventKind.CORRECTION_NOTICE:
            if notice_seen:
                raise DeadlineInputError("补正告知只能发出一次（条例第三十条：一次性告知）")
            if event.until is None:
                raise DeadlineInputError("补正告知须写明补正期限")
            if event.until < event.on:
                raise DeadlineInputError("补正期限不能早于发出补正告知的日期")
            notice_seen = True
        elif kind is EventKind.CORRECTION_RECEIVED:
            if not notice_seen:
                raise DeadlineInputError("尚未发出补正告知，不能登记收到补正后的申请")
            if corrected_seen:
                raise DeadlineInputError("补正后的申请已登记收到，不能重复登记")
            corrected_seen = True
        elif kind is EventKind.EXTENSION:
            extensions += 1
            if extensions > 1:
                raise DeadlineInputError("答复期限只能延长一次")
            days = event.working_days
            if days is None or days < 1:
                raise DeadlineInputError("延长答复期限须写明延长的工作日数（至少1个工作日）")
            if days > rules.extension_max_days:
                raise DeadlineInputError(
                    f"延长答复期限最长不得超过{rules.extension_max_days}个工作日，"
                    f"申请延长{days}个工作日"
                )
        else:
            try:
                reason = PauseReason(event.reason)
            except ValueError:
                raise DeadlineInputError(
                    f"中止计算的原因“{event.reason}”不明（应为 third_party、other_agency 或 fee）"
                ) from None
            if kind is EventKind.PAUSE_START:
                if reason in open_pauses:
                    raise DeadlineInputError(f"{reason.label}已在中止计算中，不能重复开始")
                open_pauses.add(reason)
            else:
                if reason not in open_pauses:
                    raise DeadlineInputError(f"{reason.label}未开始，不能登记结束")
                open_pauses.discard(reason)


def _sorted(events: Sequence[CaseEvent]) -> list[CaseEvent]:
    # a pause that starts and ends on the same day: start first
    order = {k: i for i, k in enumerate(EventKind)}
    return sorted(events, key=lambda e: (e.on, order.get(EventKind(e.kind), 0)))


def compute_deadline(
    *,
    received: date,
    events: Sequence[CaseEvent],
    calendar: WorkCalendar,
    rules: RuleSet,
) -> Deadline:
    """The due date of a request and the day-by-day explanation.

    Raises :class:`DeadlineInputError` for inconsistent events and
    :class:`~gongkai.domain.workdays.CalendarNotCovered` when counting reaches a year whose
    holiday notice is not loaded.
    """
    try:
        ordered = _sorted(events)
    except ValueError:
        ordered = list(events)
    _validate(received, ordered, rules)
    warnings: list[str] = []
    provisional = False
    lapses_on: date | None = None
    lapse_reason = ""

    correction_notice_due = (
        calendar.add_working_days(received, rules.correction_notice_days)
        if rules.correction_notice_days
        else None
    )
    notice = next((e for e in ordered if e.kind == EventKind.CORRECTION_NOTICE), None)
    corrected = next((e for e in ordered if e.kind == EventKind.CORRECTION_RECEIVED), None)
    start = received
    if notice is not None:
        assert notice.until is not None  # checked in _validate
        if correction_notice_due is not None and notice.on > correction_notice_due:
            warnings.append(
                f"补正告知于{cn_day(notice.on)}发出，晚于应发出的期限{cn_day(correction_notice_due)}"
            )
        if corrected is not None:
            start = corrected.on
            if corrected.on > notice.until:
                warnings.append(
                    f"补正于{cn_day(corrected.on)}收到，晚于补正期限{cn_day(notice.until)}"
                    "（无正当理由逾期补正的，视为放弃申请）"
                )
        else:
            start = notice.until
            provisional = True
            lapses_on = notice.until
            lapse_reason = "补正期限"

    # pauses: intervals (start, end] of excluded working days, counted only after the clock start
    intervals: list[_Interval] = []
    open_starts: dict[str, date] = {}
    for event in ordered:
        if event.kind == EventKind.PAUSE_START:
            open_starts[event.reason] = event.on
        elif event.kind == EventKind.PAUSE_END:
            p_start = open_starts.pop(event.reason)
            intervals.append(
                _Interval(
                    event.reason, p_start, event.on, event.on, event.reason in rules.pause_reasons
                )
            )
    for reason, p_start in open_starts.items():
        limit = rules.pause_limit(reason)
        assumed = calendar.add_working_days(p_start, limit) if limit else p_start
        counts = reason in rules.pause_reasons
        intervals.append(_Interval(reason, p_start, None, assumed, counts))
        if counts:
            provisional = True
            if reason == PauseReason.FEE and limit and (lapses_on is None or assumed > lapses_on):
                lapses_on, lapse_reason = assumed, "缴费期限"
            if not limit:
                warnings.append(f"{PauseReason(reason).label}尚未结束，恢复计算后届满日将相应顺延")
    for interval in intervals:
        if not interval.counts:
            warnings.append(
                f"{rules.name}未规定{PauseReason(interval.reason).label}不计入答复期限，"
                "该期间照常计算"
            )
        elif interval.end is not None:
            limit = rules.pause_limit(interval.reason)
            if limit and calendar.count_working_days(interval.start, interval.end) > limit:
                warnings.append(
                    f"{PauseReason(interval.reason).label}自{cn_day(interval.start)}至"
                    f"{cn_day(interval.end)}，超过{limit}个工作日"
                )
    active = [i for i in intervals if i.counts]

    def paused_reason(d: date) -> str | None:
        for interval in active:
            if interval.start < d <= interval.assumed_end:
                return PAUSE_LABELS[PauseReason(interval.reason)]
        return None

    extension = next((e for e in ordered if e.kind == EventKind.EXTENSION), None)
    restart_label = "假定于补正期限当日收到补正" if corrected is None else "收到补正后的申请"
    due_without = _walk(
        received,
        start,
        rules.answer_days,
        rules.answer_days,
        calendar,
        paused_reason,
        restart_label,
    )[0]
    extension_days = 0
    if extension is not None:
        if extension.on > due_without:
            warnings.append(
                f"延期决定于{cn_day(extension.on)}作出，晚于答复期限届满日"
                f"{cn_day(due_without)}，未计入"
            )
        else:
            extension_days = extension.working_days or 0
    total = rules.answer_days + extension_days
    due, notes, paused_days = _walk(
        received, start, total, rules.answer_days, calendar, paused_reason, restart_label
    )

    pauses = tuple(
        Pause(
            reason=i.reason,
            start=i.start,
            end=i.end,
            assumed_end=i.assumed_end,
            working_days=sum(
                1
                for n in notes
                if n.status == DayStatus.PAUSED
                and i.start < n.day <= i.assumed_end
                and n.reason == PAUSE_LABELS[PauseReason(i.reason)]
            ),
        )
        for i in sorted(active, key=lambda i: i.start)
    )
    return Deadline(
        due=due,
        start=start,
        rule=rules,
        extension_days=extension_days,
        paused_working_days=paused_days,
        correction_notice_due=correction_notice_due,
        days=tuple(notes),
        received=received,
        due_without_extension=due_without if extension_days else None,
        pauses=pauses,
        provisional=provisional,
        lapses_on=lapses_on,
        lapse_reason=lapse_reason,
        warnings=tuple(warnings),
    )


def _walk(
    received: date,
    start: date,
    total: int,
    base: int,
    calendar: WorkCalendar,
    paused_reason: Callable[[date], str | None],
    restart_label: str,
) -> tuple[date, list[DayNote], int]:
    """Walk from the receipt day, one note per day, until ``total`` working days are counted;
    days beyond ``base`` are the extension."""
    notes = [DayNote(received, DayStatus.RECEIPT, "收到申请")]
    day = received
    one = timedelta(days=1)
    while day < start:  # 补正 period: the answer period has not (re)started
        day += one
        kind, name = calendar.day_kind(day)
        if day == start:
            notes.append(DayNote(day, DayStatus.RECEIPT, restart_label))
        elif kind.is_working:
            notes.append(DayNote(day, DayStatus.PAUSED, CORRECTION_LABEL))
        else:
            notes.append(DayNote(day, DayStatus.SKIPPED, name or kind.label))
    counted = 0
    paused = 0
    if total == 0:
        return start, notes, 0
    while counted < total:
        day += one
        kind, name = calendar.day_kind(day)
        if not kind.is_working:
            notes.append(DayNote(day, DayStatus.SKIPPED, name or kind.label))
            continue
        why = paused_reason(day)
        if why is not None:
            paused += 1
            notes.append(DayNote(day, DayStatus.PAUSED, why))
            continue
        counted += 1
        reason = "调休上班" if kind is DayKind.MAKEUP_WORKDAY else "工作日"
        if counted > base:
            reason += "（延长期限）"
        status = DayStatus.DUE if counted == total else DayStatus.COUNTED
        notes.append(DayNote(day, status, reason, counted))
    return day, notes, paused
