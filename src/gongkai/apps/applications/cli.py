"""``gongkai applications …``: the daily reminder, deadline recomputation, a case summary,
the import of an earlier register."""

from __future__ import annotations

import datetime as dt

from gongkai.registry import CliCommand, register_cli


def _add_arguments(parser) -> None:
    sub = parser.add_subparsers(
        dest="what", required=True, metavar="{remind,recompute,show,import-register}"
    )
    remind = sub.add_parser("remind", help="提醒承办人：3个工作日内到期和已逾期的申请（每日运行）")
    remind.add_argument("--date", default="", help="按哪一天提醒（YYYY-MM-DD，默认今天）")
    recompute = sub.add_parser("recompute", help="按当前工作日历重新计算办理中申请的答复期限")
    recompute.add_argument("--agency", default="", help="只计算某个机关（代码或名称）")
    show = sub.add_parser("show", help="显示一件申请的状态和期限计算说明（不含申请人个人信息）")
    show.add_argument("number", help="登记号，如 YSQ-2026-000123")
    show.add_argument("--agency", required=True, help="机关（代码或名称）")
    past = sub.add_parser(
        "import-register",
        help="导入往年依申请公开登记簿（CSV/XLSX，已办结的申请）。表头：收到日期、申请方式、申请人、"
        "申请内容、答复类型、答复日期，可选：补正告知日期、补正期限、补正收到日期、延期批准日期、"
        "延长天数、答复意见",
    )
    past.add_argument("file", help="登记簿文件（.csv 或 .xlsx）")
    past.add_argument("--agency", required=True, help="机关（代码或名称）")
    past.add_argument("--dry-run", action="store_true", help="只检查，不导入")


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    return dt.date.fromisoformat(text)


def _handle(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.cli_support import fail

    if args.what == "remind":
        # deferred: a subcommand loads its code only when it runs (every process registers it)
        from gongkai.apps.applications.services import applications_remind

        try:
            on = _date(args.date)
        except ValueError:
            return fail(f"日期“{args.date}”格式不正确，应为 YYYY-MM-DD")
        count = applications_remind(on=on, actor=SYSTEM)
        print(f"已提醒 {count} 件即将到期或已逾期的申请")
        return 0
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.organizations.errors import AgencyNotFound
    from gongkai.apps.organizations.selectors import agency_get

    agency = None
    if getattr(args, "agency", ""):
        try:
            agency = agency_get(args.agency)
        except AgencyNotFound as exc:
            return fail(str(exc))
    if args.what == "import-register":
        return _import_register(args, agency)
    if args.what == "recompute":
        # deferred: a subcommand loads its code only when it runs (every process registers it)
        from gongkai.apps.applications.services import applications_recompute_deadlines

        changed = applications_recompute_deadlines(
            actor=SYSTEM, agency_ids=[agency.pk] if agency else None
        )
        print(f"答复期限有变化的申请：{len(changed)} 件")
        for case in changed:
            print(f"  {case.number}  {case.due_date.isoformat() if case.due_date else '—'}")
        return 0
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.applications.models import Application
    from gongkai.apps.applications.selectors import application_deadline

    assert agency is not None  # "show" requires --agency
    app = Application.objects.filter(agency=agency, number=args.number.strip().upper()).first()
    if app is None:
        return fail(f"{agency.name}没有登记号为“{args.number}”的申请")
    print(f"{app.number}  {agency.name}")
    print(f"状态：{app.get_state_display()}")
    print(f"收到申请之日：{app.received_on.isoformat()}（{app.get_channel_display()}）")
    if app.is_open:
        for line in application_deadline(app).explain():
            print(f"  {line}")
    else:
        print(
            f"办结日期：{app.closed_on.isoformat() if app.closed_on else '—'}，{app.get_decision_display()}"
        )
    return 0


def _import_register(args, agency) -> int:
    """All rows or none: a register with one wrong row is named row by row and not imported."""
    from pathlib import Path

    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai import clock
    from gongkai.apps.applications.services.past_cases import (
        past_cases_from_file,
        register_past_cases,
    )
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.cli_support import fail
    from gongkai.documents.table import TableError

    path = Path(args.file)
    if not path.is_file():
        return fail(f"找不到文件“{args.file}”")
    now = clock.now()
    try:
        cases, errors = past_cases_from_file(
            path.name, path.read_bytes(), agency=agency, today=now.date()
        )
    except TableError as exc:
        return fail(str(exc))
    for error in errors:
        print(f"  {error}")
    if errors:
        return fail(f"{len(errors)} 行有误，未导入任何申请；请改正后重新导入")
    if args.dry_run:
        print(f"检查通过：{len(cases)} 件往年申请可以导入（未导入）")
        return 0
    apps = register_past_cases(cases, actor=SYSTEM, now=now, source=f"登记簿导入：{path.name}")
    print(f"已导入 {len(apps)} 件往年申请（{agency.name}）")
    return 0


def register() -> None:
    register_cli(
        CliCommand(
            name="applications",
            help="依申请公开：到期提醒、重新计算期限、查看申请",
            add_arguments=_add_arguments,
            handle=_handle,
        )
    )
