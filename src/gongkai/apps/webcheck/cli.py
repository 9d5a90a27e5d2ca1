"""``gongkai webcheck …``: import the registry, check a site, probe, freeze and draw samples."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from gongkai.cli_support import fail
from gongkai.registry import CliCommand, register_cli


def _arguments(parser) -> None:
    sub = parser.add_subparsers(dest="webcheck_command", metavar="子命令")
    sub.required = True
    p = sub.add_parser("import", help="从 CSV/XLSX 导入政府网站和政务新媒体名录")
    p.add_argument("file")
    p = sub.add_parser("check", help="检查一个网站（按网站标识码），在本进程内运行")
    p.add_argument("site_code")
    p.add_argument("--rate", type=float, default=10.0, help="每秒请求数上限（每个主机）")
    p.add_argument("--max-pages", type=int, default=2000)
    p = sub.add_parser("probe", help="对全部开设中的网站做一次可用性访问")
    p = sub.add_parser("record", help="导出一次抽查的抽取记录（供 gongkai draw verify 复算）")
    p.add_argument("number", help="抽查编号")
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("media-import", help="从 CSV/XLSX 导入政务新媒体发布和留言记录")
    p.add_argument("file")
    p = sub.add_parser("media-check", help="按记录检查全部开设中的政务新媒体账号")
    p = sub.add_parser("export", help="导出最近一次检查结果（.xlsx 或 .docx）")
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("sample", help="冻结一次抽查名单（半月 30% 或季度全面检查）")
    p.add_argument("kind", choices=["half_month", "quarter"])
    p.add_argument("--ratio", default="3/10")


def _handle(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai import clock
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.webcheck import services
    from gongkai.apps.webcheck.errors import WebcheckError
    from gongkai.apps.webcheck.models import Check, Sample, Site

    now = clock.now()
    cmd = args.webcheck_command
    try:
        if cmd == "import":
            path = Path(args.file)
            stats = services.import_registry(
                actor=_admin(), content=path.read_bytes(), file_name=path.name, now=now
            )
            print(
                f"共 {stats.rows} 行：新增 {stats.created}，更新 {stats.updated}，有错 {stats.failed}"
            )
            for line, message in stats.errors[:200]:
                print(f"第 {line} 行：{message}")
            return 1 if stats.errors else 0
        if cmd == "check":
            site = Site.objects.filter(site_code=args.site_code).first()
            if site is None:
                return fail(f"没有标识码为 {args.site_code} 的网站")
            on = clock.local_date(now)
            check = Check.objects.create(
                site=site, reason=Check.Reason.MANUAL, checked_on=on, year=on.year
            )
            settings = services.CrawlSettings(rate=args.rate, max_pages=args.max_pages)
            check = services.check_run(check, actor=SYSTEM, settings=settings)
            print(
                f"{site.name}：{check.get_verdict_display() if hasattr(check, 'get_verdict_display') else check.verdict} 得分 {check.score} 否决 {check.vetoes or '无'} 页面 {check.pages}"
            )
            return 0
        if cmd in ("media-import", "media-check", "export"):
            return _media(args, now)
        if cmd == "probe":
            print(services.probe_all_sites(now=now))
            return 0
        if cmd == "record":
            sample = Sample.objects.filter(number=args.number).first()
            if sample is None or not sample.record:
                return fail(f"抽查 {args.number} 不存在或尚未抽取")
            Path(args.output).write_text(
                json.dumps(sample.record, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            print(args.output)
            return 0
        if cmd == "sample":
            # deferred: a subcommand loads its code only when it runs (every process registers it)
            from gongkai.apps.webcheck.selectors import half_month_of, quarter_of

            on = clock.local_date(now)
            start, end = quarter_of(on) if args.kind == "quarter" else half_month_of(on)
            sample = services.sample_freeze(
                actor=_admin(),
                kind=args.kind,
                period_start=start,
                period_end=end,
                sources=services.sources_default(on),
                ratio=Fraction(args.ratio),
                now=now,
            )
            print(f"{sample.number} 承诺哈希 {sample.commitment_hash}")
            return 0
    except (WebcheckError, OSError, ValueError, ZeroDivisionError) as exc:
        return fail(str(exc))
    return 1


def _media(args, now) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.webcheck import exports, media

    if args.webcheck_command == "media-import":
        path = Path(args.file)
        stats = media.import_records(
            actor=_admin(), content=path.read_bytes(), file_name=path.name, now=now
        )
        print(
            f"共 {stats.rows} 行：新增发布 {stats.posts}，新增留言 {stats.messages}，"
            f"已有 {stats.duplicates}，有错 {stats.failed}"
        )
        for line, message in stats.errors[:200]:
            print(f"第 {line} 行：{message}")
        return 1 if stats.errors else 0
    if args.webcheck_command == "media-check":
        done = media.check_all_accounts(actor=_admin(), now=now)
        failed = sum(1 for c in done if c.verdict == "fail")
        print(f"检查账号 {len(done)} 个，不合格 {failed} 个")
        return 0
    output = Path(args.output)
    if output.suffix not in (".xlsx", ".docx"):
        return fail("导出文件名应以 .xlsx 或 .docx 结尾")
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai import clock

    results = exports.gather(_admin(), clock.local_date(now))
    body = exports.xlsx_bytes(results) if output.suffix == ".xlsx" else exports.docx_bytes(results)
    output.write_bytes(body)
    print(output)
    return 0


def _admin():
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.accounts.models import RoleGrant

    grant = RoleGrant.objects.filter(role="admin").select_related("user").first()
    if grant is None:
        raise ValueError("没有系统管理员账号")
    return grant.user


def register() -> None:
    register_cli(
        CliCommand(
            "webcheck",
            "政府网站检查：导入名录、检查网站、可用性监测、抽查",
            _arguments,
            _handle,
        )
    )
