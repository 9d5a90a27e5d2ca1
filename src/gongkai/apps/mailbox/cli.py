"""``gongkai mailbox …``: import 12345 work orders, train the routing classifier, figures."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gongkai.registry import CliCommand, register_cli


def _arguments(parser) -> None:
    sub = parser.add_subparsers(dest="mailbox_command", metavar="子命令", required=True)
    p = sub.add_parser(
        "import", help="导入12345热线工单文件（CSV、XLSX、JSON），重复导入不重复登记"
    )
    p.add_argument("file", help="工单文件")
    p.add_argument("--user", default="", help="以哪个账户的名义导入（默认：系统）")
    p = sub.add_parser("train", help="用已办结信件训练分办分类模型，并在留出信件上测准确率")
    p.add_argument("--holdout", type=float, default=0.2, help="留出检验比例（默认 0.2）")
    p = sub.add_parser("stats", help="收信、答复、按期、满意度统计")
    p.add_argument("--year", type=int, required=True, help="年份")
    p.add_argument("--agency", default="", help="机关代码或名称（默认：全市）")
    p.add_argument("--by", choices=["month", "agency", "category"], default="month", help="分组")
    p.add_argument("--json", action="store_true", help="输出 JSON")


def _handle(args) -> int:
    return {"import": _import, "train": _train, "stats": _stats}[args.mailbox_command](args)


def _actor(username: str):
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.accounts.models import User
    from gongkai.apps.audit.services import SYSTEM

    if not username:
        return SYSTEM
    return User.objects.filter(username=username, is_active=True).first()


def _import(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.mailbox.errors import MailboxError
    from gongkai.apps.mailbox.services import import_content
    from gongkai.cli_support import Progress, fail

    path = Path(args.file)
    if not path.is_file():
        return fail(f"找不到文件：{args.file}")
    actor = _actor(args.user)
    if actor is None:
        return fail(f"找不到账户“{args.user}”")
    progress = Progress("导入12345工单")

    def report(done: int, total: int | None = None, message: str | None = None) -> None:
        progress.update(done, total)

    try:
        outcome = import_content(
            actor=actor, file_name=path.name, content=path.read_bytes(), report=report
        )
    except MailboxError as exc:
        return fail(exc.message)
    progress.finish()
    print(outcome["message"])
    word = "条" if outcome["format"] == "json" else "行"
    for error in outcome["errors"][:200]:
        print(f"  第 {error['line']} {word}：{error['message']}")
    if outcome["failed"] > 200:
        print(f"  ……另有 {outcome['failed'] - 200} {word}有误")
    return 1 if outcome["failed"] else 0


def _train(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.mailbox.errors import MailboxError
    from gongkai.apps.mailbox.services import classifier_train
    from gongkai.cli_support import Progress, fail

    if not 0.05 <= args.holdout <= 0.5:
        return fail("--holdout 应在 0.05 与 0.5 之间")
    progress = Progress("训练分类模型")
    try:
        row = classifier_train(
            actor=SYSTEM,
            holdout_share=args.holdout,
            report=lambda done, total=None, message=None: progress.update(done, total),
        )
    except MailboxError as exc:
        return fail(exc.message)
    progress.finish()
    print(
        f"分类模型 #{row.pk}：训练 {row.examples} 封，留出检验 {row.tested} 封，"
        f"准确率 {row.accuracy:.1%}，前三命中率 {row.top3_accuracy:.1%}，"
        f"{row.labels} 个机关，词表 {row.vocabulary} 词"
    )
    return 0


def _stats(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.mailbox.selectors import mailbox_figures, mailbox_total
    from gongkai.apps.organizations.errors import AgencyNotFound
    from gongkai.apps.organizations.selectors import agency_get
    from gongkai.cli_support import fail
    from gongkai.domain.mailbox import percent_text

    agency_ids = None
    if args.agency:
        try:
            agency_ids = [agency_get(args.agency).pk]
        except AgencyNotFound as exc:
            return fail(str(exc))
    rows = mailbox_figures(year=args.year, agency_ids=agency_ids, by=args.by)
    total = mailbox_total(year=args.year, agency_ids=agency_ids)

    def as_dict(label, f):
        return {
            "group": label,
            "received": f.received,
            "answered": f.answered,
            "answered_on_time": f.answered_on_time,
            "reply_rate": str(f.reply_rate) if f.reply_rate is not None else None,
            "average_handling_days": str(f.average_handling_days)
            if f.average_handling_days is not None
            else None,
            "satisfaction_rate": str(f.satisfaction_rate)
            if f.satisfaction_rate is not None
            else None,
        }

    if args.json:
        data = {
            "year": args.year,
            "rows": [as_dict(r.label, r.figures) for r in rows],
            "total": as_dict("合计", total),
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    print(f"{'分组':<20}{'收到':>8}{'答复':>8}{'按期':>8}{'答复率':>10}{'满意率':>10}")
    for label, f in [*((r.label, r.figures) for r in rows), ("合计", total)]:
        print(
            f"{label:<20}{f.received:>8}{f.answered:>8}{f.answered_on_time:>8}"
            f"{percent_text(f.reply_rate):>10}{percent_text(f.satisfaction_rate):>10}"
        )
    return 0


def register() -> None:
    register_cli(
        CliCommand(
            "mailbox",
            "政府信箱：import 导入12345工单、train 训练分办模型、stats 统计",
            _arguments,
            _handle,
        )
    )
