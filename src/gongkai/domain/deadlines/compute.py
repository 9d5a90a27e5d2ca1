"""The deadline of a request from its receipt date and events (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.domain.deadlines.result import DayNote, DayStatus, Deadline, Pause
from gongkai.domain.deadlines.rules import (
    CORRECTION_LABEL,
    DEFERRAL_LABEL,
    PAUSE_LABELS,
    CaseEvent,
    DeadlineInputError,
    EventKind,
    PauseReason,
    RuleSet,
)
from gongkai.domain.workdays import DayKind, WorkCalendar, cn_day

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
    deferrals = 0
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
        elif kind is EventKind.DEFERRAL:
            deferrals += 1
            if deferrals > 1:
                raise DeadlineInputError("延迟答复期限只能确定一次（条例第三十五条）")
            if event.until is None or event.until <= event.on:
                raise DeadlineInputError("延迟答复须写明晚于决定之日的答复期限")
        else:
            try:
                reason = PauseReason(event.reason)
            except ValueError:
                raise DeadlineInputError(
                    f"中止计算的原因“{event.reason}”不明（应为 third_party、other_agency 或 fee）"
                ) from None
            if kind is EventKind.SERVED:
                if reason not in open_pauses:
                    raise DeadlineInputError(f"{reason.label}未开始，不能登记通知送达")
                continue
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
    served_on = {e.reason: e.on for e in ordered if e.kind == EventKind.SERVED}
    for reason, p_start in open_starts.items():
        limit = rules.pause_limit(reason)
        # a fee's payment period runs from the day the notice is served, not the day it is sent
        served = served_on.get(reason) if reason == PauseReason.FEE else None
        period_start = served or p_start
        assumed = calendar.add_working_days(period_start, limit) if limit else p_start
        counts = reason in rules.pause_reasons
        intervals.append(_Interval(reason, p_start, None, assumed, counts))
        if counts:
            provisional = True
            if reason == PauseReason.FEE and limit and served is None:
                warnings.append(
                    f"收费通知尚未送达：缴费期限自送达之日起计算{limit}个工作日，"
                    f"暂按发出之日（{cn_day(p_start)}）估算"
                )
            elif reason == PauseReason.FEE and limit and (lapses_on is None or assumed > lapses_on):
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
    due, deferred_days, due_without_deferral = _deferral(ordered, notes, due, calendar, warnings)

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
        deferred_days=deferred_days,
        due_without_deferral=due_without_deferral,
        pauses=pauses,
        provisional=provisional,
        lapses_on=lapses_on,
        lapse_reason=lapse_reason,
        warnings=tuple(warnings),
        provisional_years=tuple(
            sorted({n.day.year for n in notes if calendar.is_provisional(n.day)})
        ),
    )


def _deferral(
    ordered: Sequence[CaseEvent],
    notes: list[DayNote],
    due: date,
    calendar: WorkCalendar,
    warnings: list[str],
) -> tuple[date, int, date | None]:
    """The due date after a 第三十五条 later answer date, the working days it adds, and the due
    date before it (None when there is none or it does not count)."""
    deferral = next((e for e in ordered if e.kind == EventKind.DEFERRAL), None)
    if deferral is None or deferral.until is None:
        return due, 0, None
    if deferral.on > due:
        warnings.append(
            f"延迟答复决定于{cn_day(deferral.on)}作出，晚于答复期限届满日{cn_day(due)}，未计入"
        )
        return due, 0, None
    if deferral.until <= due:
        return due, 0, None
    later, added = _defer(notes, due, deferral.until, calendar)
    return later, added, due


def _defer(
    notes: list[DayNote], due: date, until: date, calendar: WorkCalendar
) -> tuple[date, int]:
    """第三十五条: carry the count on from the statutory due date to the later date the agency
    set, one note per day; a date set on a day off moves to the next working day."""
    last = notes.pop()
    notes.append(DayNote(last.day, DayStatus.COUNTED, last.reason, last.ordinal))
    counted = last.ordinal or 0
    day = due
    added = 0
    one = timedelta(days=1)
    while True:
        day += one
        kind, name = calendar.day_kind(day)
        if not kind.is_working:
            notes.append(DayNote(day, DayStatus.SKIPPED, name or kind.label))
            continue
        counted += 1
        added += 1
        if day >= until:
            notes.append(DayNote(day, DayStatus.DUE, DEFERRAL_LABEL, counted))
            return day, added
        notes.append(DayNote(day, DayStatus.COUNTED, DEFERRAL_LABEL, counted))


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
