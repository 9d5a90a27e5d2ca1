"""A computed deadline and its day-by-day explanation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.domain.deadlines.rules import PAUSE_LABELS, PauseReason, RuleSet
from gongkai.domain.holidays import provisional_reason
from gongkai.domain.workdays import Due, cn_day

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
    # years whose holiday notice is not loaded and whose days took part in the count: the due
    # date is then 暂定 (counted on the statutory holidays alone, see domain.holidays)
    provisional_years: tuple[int, ...] = ()
    # 第三十五条: working days added by the later answer date the agency set, and the due
    # date before it
    deferred_days: int = 0
    due_without_deferral: date | None = None

    @property
    def total_days(self) -> int:
        return self.rule.answer_days + self.extension_days + self.deferred_days

    @property
    def calendar_provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def provisional_reason(self) -> str:
        return provisional_reason(self.provisional_years)

    @property
    def due_value(self) -> Due:
        """The due date as stored and shown everywhere (date, 暂定 or not, and why)."""
        return Due(self.due, self.calendar_provisional, self.provisional_reason)

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
        if self.deferred_days and self.due_without_deferral is not None:
            lines.append(
                "延迟答复（条例第三十五条）：申请理由合理，但无法在第三十三条规定的期限内答复，"
                f"本机关确定的答复期限为{cn_day(self.due)}"
                f"（原届满日{cn_day(self.due_without_deferral)}，"
                f"延后{self.deferred_days}个工作日）。"
            )
        lines.append(
            f"答复期限届满日：{self.due_value.label}（第{self.total_days}个工作日）"
            + ("，尚待确定的情形见上。" if self.provisional else "。")
        )
        if self.calendar_provisional:
            lines.append(self.provisional_reason)
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
            "deferred_days": self.deferred_days,
            "paused_working_days": self.paused_working_days,
            "correction_notice_due": (
                self.correction_notice_due.isoformat() if self.correction_notice_due else None
            ),
            "provisional": self.provisional or self.calendar_provisional,
            "provisional_years": list(self.provisional_years),
            "provisional_reason": self.provisional_reason,
            "assumed": self.provisional,
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
