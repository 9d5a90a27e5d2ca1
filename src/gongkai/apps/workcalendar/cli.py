"""``gongkai calendar …`` and ``gongkai deadline …``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from gongkai.cli_support import fail
from gongkai.registry import CliCommand

# ── gongkai deadline ─────────────────────────────────────────────────────────────────────


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"日期“{text}”不对：应为 YYYY-MM-DD，如 2024-09-27") from None


def _deadline_arguments(parser) -> None:
    parser.add_argument("received", metavar="RECEIVED_DATE", help="收到申请之日（YYYY-MM-DD）")
    parser.add_argument(
        "--working-days",
        dest="working_days",
        metavar="N",
        help="答复期限的工作日数（默认按条例：2019年起20个，此前15个）",
    )
    parser.add_argument(
        "--regulation",
        metavar="2008|2019",
        help="按哪一版条例计算（默认按收到日期适用的版本）",
    )
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象（含 due 和 days）")


def _deadline_handle(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.workcalendar.errors import CalendarError
    from gongkai.apps.workcalendar.selectors import deadline_for, ruleset_by_code
    from gongkai.domain.deadlines import DeadlineInputError
    from gongkai.domain.workdays import CalendarNotCovered

    try:
        received = _parse_date(args.received)
        days = None
        if args.working_days is not None:
            try:
                days = int(args.working_days)
            except ValueError:
                raise ValueError(f"工作日数“{args.working_days}”不是整数") from None
            if not 1 <= days <= 1000:
                raise ValueError("工作日数应在1到1000之间")
        rules = ruleset_by_code(args.regulation) if args.regulation else None
        result = deadline_for(received=received, events=[], rules=rules, working_days=days)
    except (CalendarNotCovered, DeadlineInputError, CalendarError, ValueError) as exc:
        return fail(str(exc).replace("\n", " "))
    if args.json:
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
        return 0
    sys.stdout.write(result.due.isoformat() + "\n")
    if result.calendar_provisional:
        sys.stdout.write(result.provisional_reason + "\n")
    for line in result.explain():
        if line != result.provisional_reason:
            sys.stdout.write(line + "\n")
    return 0


DEADLINE = CliCommand(
    "deadline",
    "计算答复期限：按工作日历和条例，打印届满日及逐日说明",
    _deadline_arguments,
    _deadline_handle,
)


# ── gongkai calendar ─────────────────────────────────────────────────────────────────────


def _calendar_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True
    imp = sub.add_parser("import", help="导入节假日安排（JSON 或 CSV：date, kind, name）")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--notice", default="", help="依据的通知名称或文号")
    imp.add_argument(
        "--draft", action="store_true", help="只存为草稿，不确认年度（确认后才计入工作日）"
    )
    imp.add_argument(
        "--replace", action="store_true", help="删除文件所含年份中文件未列出的日期（通知修订时用）"
    )
    show = sub.add_parser("show", help="显示某年的节假日和调休上班日")
    show.add_argument("year", metavar="YEAR")
    confirm = sub.add_parser("confirm", help="确认某年的节假日安排已完整录入")
    confirm.add_argument("year", metavar="YEAR")
    confirm.add_argument("--notice", required=True, help="依据的通知名称或文号")
    sub.add_parser("status", help="已载入的年份及提醒")


def _cli_actor(what: str):
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.audit.services import SystemActor

    return SystemActor(audit_label=f"命令行（gongkai calendar {what}）")


def _import(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.workcalendar.errors import CalendarError, CalendarImportError
    from gongkai.apps.workcalendar.importing import parse_file
    from gongkai.apps.workcalendar.services import calendar_import

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError:
        return fail(f"无法读取文件“{args.file}”")
    try:
        parsed = parse_file(data, path.name)
        result = calendar_import(
            actor=_cli_actor("import"),
            rows=parsed.rows,
            notice=args.notice or parsed.notice,
            confirm=not args.draft,
            replace=args.replace,
            filename=path.name,
        )
    except CalendarImportError as exc:
        if not exc.errors:
            return fail(str(exc))
        sys.stderr.write(f"错误：{path.name}有{len(exc.errors)}处错误，未导入任何数据：\n")
        for error in exc.errors:
            sys.stderr.write(f"  {error}\n")
        return 2
    except CalendarError as exc:
        return fail(str(exc))
    if not result.changed:
        sys.stdout.write(f"{path.name}：与已载入的数据相同，未作改动（{len(parsed.rows)}条）。\n")
    else:
        sys.stdout.write(f"{path.name}：{result.summary()}\n")
    return 0


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise ValueError(f"年份“{text}”不对，应为四位数字，如 2027") from None
    if not 1990 <= year <= 2200:
        raise ValueError(f"年份{year}超出范围")
    return year


def _show(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.workcalendar.selectors import calendar_year_view
    from gongkai.domain.workdays import WEEKDAY_NAMES

    try:
        year = _year(args.year)
    except ValueError as exc:
        return fail(str(exc))
    view = calendar_year_view(year)
    if not view.entries and not view.covered:
        return fail(f"{year}年节假日安排尚未载入")
    out = sys.stdout
    if view.covered:
        notice = view.confirmed.notice if view.confirmed else ""
        out.write(f"{year}年工作日历（依据：{notice}）\n")
        out.write(f"全年工作日：{view.working_days}天\n")
    else:
        out.write(f"{year}年工作日历：草稿，尚未确认，不计入工作日计算\n")
    out.write("法定节假日：\n")
    for name, first, last, days in view.holiday_runs:
        span = first.isoformat() if first == last else f"{first.isoformat()} 至 {last.isoformat()}"
        out.write(f"  {name}  {span}（{days}天）\n")
    out.write("调休上班：\n")
    makeup = [e for e in view.entries if e.kind == "workday"]
    for e in makeup:
        out.write(f"  {e.day.isoformat()} {WEEKDAY_NAMES[e.day.weekday()]}（{e.name}）\n")
    if not makeup:
        out.write("  无\n")
    return 0


def _confirm(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.workcalendar.errors import CalendarError
    from gongkai.apps.workcalendar.services import calendar_year_confirm

    try:
        year = _year(args.year)
        calendar_year_confirm(actor=_cli_actor("confirm"), year=year, notice=args.notice)
    except (CalendarError, ValueError) as exc:
        return fail(str(exc))
    sys.stdout.write(f"{year}年节假日安排已确认载入。\n")
    return 0


def _status(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai import clock
    from gongkai.apps.workcalendar.selectors import (
        calendar_coverage_warning,
        calendar_status,
        covered_years,
        draft_years,
    )

    today = clock.today()
    span = covered_years()
    if span is None:
        sys.stdout.write("工作日历为空。\n")
    else:
        sys.stdout.write(f"已载入：{span[0]}—{span[1]}年\n")
    for row in calendar_status(today):
        if row.state == "provisional":
            sys.stdout.write(f"{row.year}年：{row.label}（{row.basis}）\n")
    drafts = draft_years()
    if drafts:
        sys.stdout.write(f"草稿（未确认）：{'、'.join(map(str, drafts))}年\n")
    warning = calendar_coverage_warning(today)
    if warning:
        sys.stdout.write(f"提醒：{warning.message}\n")
    return 0


def _calendar_handle(args) -> int:
    return {"import": _import, "show": _show, "confirm": _confirm, "status": _status}[args.action](
        args
    )


CALENDAR = CliCommand(
    "calendar",
    "工作日历：导入国务院办公厅节假日安排、查看某年安排、确认年度",
    _calendar_arguments,
    _calendar_handle,
)
