import datetime as dt
import json
import sys

from gongkai.registry import CliCommand, register_cli


def _add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="audit_command", metavar="子命令", required=True)
    verify = sub.add_parser(
        "verify", help="校验审计哈希链：列出每一处断裂和缺失，并与已公布的链头核对"
    )
    verify.add_argument(
        "--published",
        action="append",
        default=[],
        metavar="FILE",
        help="另行保存的链头公布文件（门户“审计链头”页的 JSON），可多次给出",
    )
    publish = sub.add_parser("publish", help="公布当日各审计链的链头（每日一次）")
    publish.add_argument("--date", help="公布日期 YYYY-MM-DD（默认今天）")


def _verify(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.audit.services import audit_verify
    from gongkai.apps.organizations.selectors import agency_audit_chains
    from gongkai.cli_support import Progress, fail

    outside = []
    for path in args.published:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            return fail(f"无法读取链头公布文件“{path}”：{exc}")
        items = data if isinstance(data, list) else [data]
        if not all(isinstance(i, dict) and "on" in i and "heads" in i for i in items):
            return fail(f"“{path}”不是链头公布文件（应含 on 和 heads）")
        outside.extend(items)
    bar = Progress("校验审计链")
    result = audit_verify(progress=bar.update, expected=agency_audit_chains(), published=outside)
    bar.finish()
    if result.ok:
        print(result.message)
        return 0
    print(f"BROKEN：{result.message}")
    for problem in result.problems:
        print(f"✗ {problem.message}")
    return 1


def _publish(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai import clock
    from gongkai.apps.audit.services import audit_heads_publish
    from gongkai.cli_support import fail

    try:
        on = dt.date.fromisoformat(args.date) if args.date else clock.today()
    except ValueError:
        return fail(f"日期格式不对：{args.date}（应为 YYYY-MM-DD）")
    publication = audit_heads_publish(on=on, now=clock.now())
    sys.stdout.write(
        f"{publication.on.isoformat()} 公布 {len(publication.heads)} 条审计链的链头："
        f"SHA-256 {publication.digest}，SM3 {publication.digest_sm3}\n"
    )
    return 0


def _handle(args) -> int:
    if args.audit_command == "publish":
        return _publish(args)
    return _verify(args)


def register() -> None:
    register_cli(
        CliCommand("audit", "审计日志：gongkai audit verify | publish", _add_arguments, _handle)
    )
