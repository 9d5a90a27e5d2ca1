"""``gongkai applications …``: the daily reminder, deadline recomputation, a case summary."""

from __future__ import annotations

import datetime as dt

from gongkai.registry import CliCommand, register_cli


def _add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="what", required=True, metavar="{remind,recompute,show}")
    remind = sub.add_parser("remind", help="提醒承办人：3个工作日内到期和已逾期的申请（每日运行）")
    remind.add_argument("--date", default="", help="按哪一天提醒（YYYY-MM-DD，默认今天）")
    recompute = sub.add_parser("recompute", help="按当前工作日历重新计算办理中申请的答复期限")
    recompute.add_argument("--agency", default="", help="只计算某个机关（代码或名称）")
    show = sub.add_parser("show", help="显示一件申请的状态和期限计算说明（不含申请人个人信息）")
    show.add_argument("number", help="登记号，如 YSQ-2026-000123")
    show.add_argument("--agency", required=True, help="机关（代码或名称）")


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    return dt.date.fromisoformat(text)


def _handle(args) -> int:
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.cli_support import fail

    if args.what == "remind":
        from gongkai.apps.applications.services import applications_remind

        try:
            on = _date(args.date)
        except ValueError:
            return fail(f"日期“{args.date}”格式不正确，应为 YYYY-MM-DD")
        count = applications_remind(on=on, actor=SYSTEM)
        print(f"已提醒 {count} 件即将到期或已逾期的申请")
        return 0
    from gongkai.apps.organizations.errors import AgencyNotFound
    from gongkai.apps.organizations.selectors import agency_get

    agency = None
    if getattr(args, "agency", ""):
        try:
            agency = agency_get(args.agency)
        except AgencyNotFound as exc:
            return fail(str(exc))
    if args.what == "recompute":
        from gongkai.apps.applications.services import applications_recompute_deadlines

        changed = applications_recompute_deadlines(
            actor=SYSTEM, agency_ids=[agency.pk] if agency else None
        )
        print(f"答复期限有变化的申请：{len(changed)} 件")
        for app in changed:
            print(f"  {app.number}  {app.due_date.isoformat() if app.due_date else '—'}")
        return 0
    from gongkai.apps.applications.models import Application
    from gongkai.apps.applications.selectors import application_deadline

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


def register() -> None:
    register_cli(
        CliCommand(
            name="applications",
            help="依申请公开：到期提醒、重新计算期限、查看申请",
            add_arguments=_add_arguments,
            handle=_handle,
        )
    )
