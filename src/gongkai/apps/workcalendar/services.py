"""Every change to the calendar and the time-limit rules: atomic, audited, and followed — in the
same transaction — by the calendar-change listeners, which recompute the open deadlines of
their context and tell the handlers. A listener that fails rolls the change back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai import clock
from gongkai.apps.accounts.models import Role, User, user_or_none
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record, snapshot
from gongkai.apps.notifications.models import Notice
from gongkai.apps.notifications.services import notify
from gongkai.apps.workcalendar import selectors
from gongkai.apps.workcalendar.dues import dues_recompute
from gongkai.apps.workcalendar.errors import CalendarError, CalendarImportError, RowError
from gongkai.apps.workcalendar.importing import ImportRow, check_row
from gongkai.apps.workcalendar.models import (
    CalendarEntry,
    CalendarVersion,
    CalendarYear,
    DeadlineRule,
    EntryKind,
)
from gongkai.domain.deadlines import PauseReason
from gongkai.domain.workcalendar import CalendarAction
from gongkai.domain.workdays import WorkCalendar, cn_day
from gongkai.registry import calendar_change_listeners

ENTRY_FIELDS = ("day", "kind", "name", "source")
RULE_FIELDS = (
    "code",
    "name",
    "valid_from",
    "valid_to",
    "answer_days",
    "extension_max_days",
    "correction_notice_days",
    "third_party_days",
    "other_agency_days",
    "fee_payment_days",
    "pause_reasons",
)


def _bump_version() -> None:
    CalendarVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    selectors.invalidate()
    # a rolled-back change must not leave this process on the rolled-back data
    transaction.on_commit(selectors.invalidate)


def _tell_listeners(changed: set[dt.date], actor: Actor) -> None:
    """Recompute every context's open deadlines the change can move, then the listeners."""
    if not changed:
        return
    dues_recompute(actor=actor, changed_dates=set(changed))
    for listener in list(calendar_change_listeners):
        listener(set(changed), actor)


def _changed_in_covered_years(days: Iterable[dt.date]) -> set[dt.date]:
    span = selectors.covered_years()
    if span is None:
        return set()
    return {d for d in days if span[0] <= d.year <= span[1]}


def _check_year_consistent(year: int) -> None:
    """The year's entries must make a valid calendar (the domain checks every rule)."""
    rows = CalendarEntry.objects.filter(
        day__gte=dt.date(year, 1, 1), day__lte=dt.date(year, 12, 31)
    ).values_list("day", "kind", "name")
    try:
        WorkCalendar.from_entries(year, year, rows)
    except ValueError as exc:
        raise CalendarError(str(exc)) from None


def _entry_state(entry: CalendarEntry | None) -> dict[str, Any] | None:
    return snapshot(entry, ENTRY_FIELDS) if entry is not None else None


def _run(fn: Any) -> Any:
    """Run ``fn`` in a transaction; if it fails, drop this process's calendar copy."""
    try:
        with transaction.atomic():
            return fn()
    except BaseException:
        selectors.invalidate()
        raise


# ── single entries (back-office editor) ──────────────────────────────────────────────────


def calendar_entry_save(
    *,
    actor: Actor,
    day: dt.date,
    kind: str,
    name: str,
    source: str = "",
    original_day: dt.date | None = None,
) -> CalendarEntry:
    """Add a day of a holiday notice, or change one (``original_day``: the day being edited)."""
    try:
        row = check_row(1, day.isoformat(), kind, name, source)
    except ValueError as exc:
        raise CalendarError(str(exc)) from None

    def work() -> CalendarEntry:
        old_day = original_day or day
        entry = CalendarEntry.objects.select_for_update().filter(day=old_day).first()
        if original_day is not None and entry is None:
            raise CalendarError(f"{cn_day(original_day)}没有节假日安排，无法修改")
        if original_day is None and entry is not None:
            raise CalendarError(f"{cn_day(day)}已有安排（{entry.name}），请修改该条")
        if old_day != day and CalendarEntry.objects.filter(day=day).exists():
            raise CalendarError(f"{cn_day(day)}已有安排，不能把另一条改到这一天")
        before = _entry_state(entry)
        if entry is None:
            entry = CalendarEntry(day=row.day)
        entry.day, entry.kind, entry.name, entry.source = row.day, row.kind, row.name, row.source
        after = snapshot(entry, ENTRY_FIELDS)
        if before == after:
            return entry
        entry.save()
        for year in {old_day.year, day.year}:
            _check_year_consistent(year)
        audit_record(
            actor=actor,
            action=CalendarAction.ENTRY_SAVE,
            obj=entry,
            before=before,
            after=after,
        )
        _bump_version()
        _tell_listeners(_changed_in_covered_years({old_day, day}), actor)
        return entry

    return _run(work)


def calendar_entry_delete(*, actor: Actor, day: dt.date) -> None:
    def work() -> None:
        entry = CalendarEntry.objects.select_for_update().filter(day=day).first()
        if entry is None:
            raise CalendarError(f"{cn_day(day)}没有节假日安排")
        before = _entry_state(entry)
        audit_record(
            actor=actor,
            action=CalendarAction.ENTRY_DELETE,
            obj=entry,
            before=before,
        )
        entry.delete()
        _bump_version()
        _tell_listeners(_changed_in_covered_years({day}), actor)

    _run(work)


# ── years ────────────────────────────────────────────────────────────────────────────────


def _check_can_confirm(years: set[int]) -> None:
    span = selectors.covered_years()
    confirmed = set(CalendarYear.objects.values_list("year", flat=True))
    new = sorted(years - confirmed)
    if not new:
        return
    if span is None:
        expected_run = list(range(new[0], new[0] + len(new)))
        if new != expected_run:
            raise CalendarError("要确认的年份应当连续")
        return
    first, last = span
    after = list(range(last + 1, last + 1 + len(new)))
    before = list(range(first - len(new), first))
    if new not in (after, before):
        wanted = last + 1
        raise CalendarError(
            f"年度须连续载入：当前已载入{first}—{last}年，下一个应载入的是{wanted}年，"
            f"不能载入{'、'.join(map(str, new))}年"
        )


def _confirm_years(years: set[int], notice: str, actor: Actor) -> list[int]:
    confirmed = set(CalendarYear.objects.values_list("year", flat=True))
    new = sorted(years - confirmed)
    _check_can_confirm(set(new))
    user = user_or_none(actor)
    for year in new:
        _check_year_consistent(year)
        if not CalendarEntry.objects.filter(
            day__gte=dt.date(year, 1, 1), day__lte=dt.date(year, 12, 31)
        ).exists():
            raise CalendarError(f"{year}年还没有任何节假日安排，不能确认载入")
        CalendarYear.objects.create(
            year=year,
            notice=(notice or f"国务院办公厅关于{year}年部分节假日安排的通知")[:200],
            confirmed_by=user,
        )
    return new


def _all_days(year: int) -> set[dt.date]:
    first = dt.date(year, 1, 1)
    return {first + dt.timedelta(days=i) for i in range((dt.date(year, 12, 31) - first).days + 1)}


def calendar_year_confirm(*, actor: Actor, year: int, notice: str) -> CalendarYear:
    """Declare a year's holiday notice completely entered: from now on it counts."""
    notice = notice.strip()
    if not notice:
        raise CalendarError("请填写依据的通知名称或文号")

    def work() -> CalendarYear:
        if CalendarYear.objects.filter(year=year).exists():
            raise CalendarError(f"{year}年已经确认载入")
        _confirm_years({year}, notice, actor)
        row = CalendarYear.objects.get(year=year)
        audit_record(
            actor=actor,
            action=CalendarAction.YEAR_CONFIRM,
            obj=row,
            after={"year": year, "notice": notice},
        )
        _bump_version()
        _tell_listeners(_all_days(year), actor)
        return row

    return _run(work)


# ── import ───────────────────────────────────────────────────────────────────────────────


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    years_confirmed: list[int] = field(default_factory=list)
    changed_dates: set[dt.date] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.years_confirmed)

    def summary(self) -> str:
        text = (
            f"新增{self.created}条，修改{self.updated}条，未变{self.unchanged}条"
            + (f"，删除{self.deleted}条" if self.deleted else "")
            + "。"
        )
        if self.years_confirmed:
            text += f"已确认载入{'、'.join(map(str, self.years_confirmed))}年。"
        return text


def calendar_import(
    *,
    actor: Actor,
    rows: list[ImportRow],
    notice: str = "",
    confirm: bool = True,
    replace: bool = False,
    filename: str = "",
) -> ImportResult:
    """Store the rows of a holiday notice file. All or nothing; importing it again changes nothing.

    ``confirm``: the file is a complete notice, so its years count from now on. ``replace``:
    entries of the file's years that the file does not list are deleted (a revised notice).
    """
    if not rows:
        raise CalendarImportError([RowError(1, "文件中没有任何日期")])
    notice = notice.strip()

    def work() -> ImportResult:
        result = ImportResult()
        years = {r.day.year for r in rows}
        existing = {
            e.day: e
            for e in CalendarEntry.objects.select_for_update().filter(
                day__gte=dt.date(min(years), 1, 1), day__lte=dt.date(max(years), 12, 31)
            )
        }
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        to_create: list[CalendarEntry] = []
        for row in rows:
            source = row.source or notice
            entry = existing.get(row.day)
            if entry is None:
                to_create.append(
                    CalendarEntry(day=row.day, kind=row.kind, name=row.name, source=source)
                )
                after[row.day.isoformat()] = {"kind": row.kind, "name": row.name}
                result.changed_dates.add(row.day)
                continue
            new_source = source or entry.source
            if (entry.kind, entry.name, entry.source) == (row.kind, row.name, new_source):
                result.unchanged += 1
                continue
            before[row.day.isoformat()] = {"kind": entry.kind, "name": entry.name}
            after[row.day.isoformat()] = {"kind": row.kind, "name": row.name}
            entry.kind, entry.name, entry.source = row.kind, row.name, new_source
            entry.save(update_fields=["kind", "name", "source", "updated_at"])
            result.updated += 1
            if before[row.day.isoformat()] != after[row.day.isoformat()]:
                result.changed_dates.add(row.day)
        CalendarEntry.objects.bulk_create(to_create)
        result.created = len(to_create)
        if replace:
            listed = {r.day for r in rows}
            stale = [d for d, e in existing.items() if e.day.year in years and d not in listed]
            for day in stale:
                before[day.isoformat()] = {"kind": existing[day].kind, "name": existing[day].name}
                after[day.isoformat()] = None
            CalendarEntry.objects.filter(day__in=stale).delete()
            result.deleted = len(stale)
            result.changed_dates.update(stale)
        for year in years:
            _check_year_consistent(year)
        if confirm:
            result.years_confirmed = _confirm_years(years, notice, actor)
        if not result.changed:
            return result
        audit_record(
            actor=actor,
            action=CalendarAction.IMPORT,
            object_type="workcalendar.calendarentry",
            object_id=",".join(map(str, sorted(years))),
            object_label=f"导入{filename or '节假日安排'}（{'、'.join(map(str, sorted(years)))}年）",
            before=before or None,
            after={
                "entries": after,
                "years_confirmed": result.years_confirmed,
                "notice": notice,
            },
        )
        _bump_version()
        listen = _changed_in_covered_years(result.changed_dates)
        for year in result.years_confirmed:
            listen |= _all_days(year)
        _tell_listeners(listen, actor)
        return result

    try:
        return _run(work)
    except CalendarError as exc:
        if isinstance(exc, CalendarImportError):
            raise
        raise CalendarImportError([], str(exc)) from None


# ── rule sets ────────────────────────────────────────────────────────────────────────────


def _clean_rule(fields: dict[str, Any]) -> dict[str, Any]:
    reasons = [r.strip() for r in str(fields.get("pause_reasons") or "").split(",") if r.strip()]
    for reason in reasons:
        try:
            PauseReason(reason)
        except ValueError:
            raise CalendarError(
                f"不计入情形“{reason}”不对（可用 third_party、other_agency、fee）"
            ) from None
    fields["pause_reasons"] = ",".join(dict.fromkeys(reasons))
    if not str(fields.get("code") or "").strip():
        raise CalendarError("请填写规则代码")
    if not str(fields.get("name") or "").strip():
        raise CalendarError("请填写规则名称")
    if (fields.get("answer_days") or 0) < 1:
        raise CalendarError("答复期限至少为1个工作日")
    if fields.get("valid_to") and fields["valid_to"] < fields["valid_from"]:
        raise CalendarError("适用截止日期不能早于起始日期")
    return fields


def deadline_rule_save(
    *, actor: Actor, original_code: str | None = None, **fields: Any
) -> DeadlineRule:
    """Create a rule set (``original_code`` None) or change the one with ``original_code``."""
    fields = _clean_rule({k: fields.get(k) for k in RULE_FIELDS})

    def work() -> DeadlineRule:
        rule = (
            DeadlineRule.objects.select_for_update().filter(code=original_code).first()
            if original_code
            else None
        )
        if original_code and rule is None:
            raise CalendarError(f"没有代码为“{original_code}”的规则")
        others = DeadlineRule.objects.exclude(pk=rule.pk) if rule else DeadlineRule.objects.all()
        if others.filter(code=fields["code"]).exists():
            raise CalendarError(f"规则代码“{fields['code']}”已被使用")
        overlapping = others
        for other in overlapping:
            starts_before_other_ends = (
                other.valid_to is None or fields["valid_from"] <= other.valid_to
            )
            ends_after_other_starts = (
                fields["valid_to"] is None or fields["valid_to"] >= other.valid_from
            )
            if starts_before_other_ends and ends_after_other_starts:
                raise CalendarError(f"适用期间与“{other.name}”重叠：请先为其填写适用截止日期")
        before = snapshot(rule, RULE_FIELDS) if rule else None
        if rule is None:
            rule = DeadlineRule()
        for key, value in fields.items():
            setattr(rule, key, value)
        after = snapshot(rule, RULE_FIELDS)
        if before == after:
            return rule
        rule.save()
        audit_record(
            actor=actor,
            action=CalendarAction.DEADLINE_RULE_SAVE,
            obj=rule,
            before=before,
            after=after,
        )
        _bump_version()
        calendar = selectors.calendar_current()
        open_end = dt.date(calendar.counting_last_year, 12, 31)
        changed: set[dt.date] = set()
        for state in (before, fields):
            if state is None:
                continue
            first, last = state["valid_from"], state["valid_to"] or open_end
            changed |= {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
        _tell_listeners(changed, actor)
        return rule

    return _run(work)


def entry_kind_label(kind: str) -> str:
    return EntryKind(kind).label


COVERAGE_NOTICE = "calendar.coverage"
COVERAGE_REPEAT = dt.timedelta(days=7)


def calendar_coverage_check(*, now: dt.datetime) -> int:
    """The scheduler's daily calendar-year check: when next year's (or this year's) holidays
    are missing, tell the city's supervisors and administrators, at most once a week."""
    warning = selectors.calendar_coverage_warning(clock.local_date(now))
    if warning is None:
        return 0
    if Notice.objects.filter(
        kind=COVERAGE_NOTICE, title=warning.message[:200], created_at__gte=now - COVERAGE_REPEAT
    ).exists():
        return 0
    users = User.objects.filter(
        is_active=True, role_grants__role__in=[Role.SUPERVISOR, Role.ADMIN]
    ).distinct()
    return len(
        notify(users, title=warning.message, url="/backoffice/calendar/", kind=COVERAGE_NOTICE)
    )
