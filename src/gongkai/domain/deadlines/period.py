"""A period the applicant has, counted in working days from the day a notice is served,
explained day by day (the fee's payment period, counted from the day the 收费通知 is served).

The convention is the deadline engine's: the day of service is not counted, day 1 is the next
working day, the last day is always a working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from gongkai.domain.deadlines.result import DayNote, DayStatus, _skipped_runs
from gongkai.domain.deadlines.rules import SERVICE_RULE, ReceiptChannel
from gongkai.domain.holidays import provisional_reason
from gongkai.domain.workdays import DayKind, WorkCalendar, cn_day


@dataclass(frozen=True)
class Period:
    name: str  # 缴费期限
    basis: str  # the rule it comes from, in words
    sent: date  # the day the notice was sent
    served: date  # the day it counts as received (送达), not counted
    channel: str  # how it was delivered (a ReceiptChannel value)
    working_days: int
    due: date
    days: tuple[DayNote, ...]  # served .. due, one note per calendar day
    provisional_years: tuple[int, ...] = ()

    # the names the day strip (workcalendar/_daystrip.html) reads
    @property
    def total_days(self) -> int:
        return self.working_days

    extension_days = 0
    paused_working_days = 0
    provisional = False

    @property
    def calendar_provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def provisional_reason(self) -> str:
        return provisional_reason(self.provisional_years)

    def explain(self) -> list[str]:
        lines = [f"依据：{self.basis}。"]
        if not self.channel:  # a date the agency set in its notice (第三十五条's 说明理由期限)
            lines.append(f"告知：{cn_day(self.sent)}，当日不计入。")
            lines.extend(_skipped_runs(self.days))
            lines.append(
                f"{self.name}届满日：{cn_day(self.due)}"
                f"（告知书确定，自告知次日起含{self.working_days}个工作日）。"
            )
            if self.provisional_years:
                lines.append(self.provisional_reason)
            return lines
        channel = ReceiptChannel(self.channel)
        if self.sent != self.served:
            lines.append(
                f"发出：{cn_day(self.sent)}（{channel.label}）；送达：{cn_day(self.served)}"
                f"（{SERVICE_RULE[channel]}），当日不计入。"
            )
        else:
            lines.append(f"送达：{cn_day(self.served)}（{SERVICE_RULE[channel]}），当日不计入。")
        lines.extend(_skipped_runs(self.days))
        for note in self.days:
            if note.status in (DayStatus.COUNTED, DayStatus.DUE) and "调休" in note.reason:
                lines.append(f"调休上班：{cn_day(note.day)}计为第{note.ordinal}个工作日。")
        lines.append(
            f"{self.name}届满日：{cn_day(self.due)}（自送达次日起第{self.working_days}个工作日）。"
        )
        if self.provisional_years:
            lines.append(self.provisional_reason)
        return lines

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "sent": self.sent.isoformat(),
            "served": self.served.isoformat(),
            "channel": self.channel,
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "explain": self.explain(),
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


def served_period(
    calendar: WorkCalendar,
    *,
    name: str,
    basis: str,
    sent: date,
    served: date,
    channel: str,
    working_days: int,
) -> Period:
    """``working_days`` working days from the day after ``served``, one note per day."""
    notes = [DayNote(served, DayStatus.RECEIPT, "送达")]
    day = served
    counted = 0
    one = timedelta(days=1)
    while counted < working_days:
        day += one
        kind, label = calendar.day_kind(day)
        if not kind.is_working:
            notes.append(DayNote(day, DayStatus.SKIPPED, label or kind.label))
            continue
        counted += 1
        reason = "调休上班" if kind is DayKind.MAKEUP_WORKDAY else "工作日"
        status = DayStatus.DUE if counted == working_days else DayStatus.COUNTED
        notes.append(DayNote(day, status, reason, counted))
    years = tuple(sorted({n.day.year for n in notes if calendar.is_provisional(n.day)}))
    return Period(
        name=name,
        basis=basis,
        sent=sent,
        served=served,
        channel=channel,
        working_days=working_days,
        due=day,
        days=tuple(notes),
        provisional_years=years,
    )


def set_period(
    calendar: WorkCalendar, *, name: str, basis: str, start: date, until: date
) -> Period:
    """A period whose last day the agency set in its notice (``until``), from the day after
    ``start``, one note per day, with the working days it holds."""
    notes = [DayNote(start, DayStatus.RECEIPT, "告知")]
    day = start
    counted = 0
    one = timedelta(days=1)
    while day < until:
        day += one
        kind, label = calendar.day_kind(day)
        if not kind.is_working:
            status = DayStatus.DUE if day == until else DayStatus.SKIPPED
            notes.append(DayNote(day, status, label or kind.label))
            continue
        counted += 1
        reason = "调休上班" if kind is DayKind.MAKEUP_WORKDAY else "工作日"
        status = DayStatus.DUE if day == until else DayStatus.COUNTED
        notes.append(DayNote(day, status, reason, counted))
    years = tuple(sorted({n.day.year for n in notes if calendar.is_provisional(n.day)}))
    return Period(
        name=name,
        basis=basis,
        sent=start,
        served=start,
        channel="",
        working_days=counted,
        due=until,
        days=tuple(notes),
        provisional_years=years,
    )
