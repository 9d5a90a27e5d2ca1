"""``gongkai draw …`` (verify a record, RFC 3797) and ``gongkai inspections …`` (imports,
reminders)."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from gongkai.cli_support import Progress, fail
from gongkai.registry import CliCommand, register_cli


def _draw_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="draw_command", metavar="子命令")
    sub.required = True
    p = sub.add_parser("verify", help="离线复算一份抽取记录，输出 OK 或第一处不一致")
    p.add_argument("record", help="抽取记录文件（.json 或 .json.gz）")
    p.add_argument("--commitment-hash", help="抽取前公布的承诺哈希")
    p = sub.add_parser("rfc3797", help="按 RFC 3797 从 1..N 中抽取，逐行输出抽中的序号")
    p.add_argument("--sources", nargs="+", required=True, help="各随机源的数值，每个随机源一个参数")
    p.add_argument("--pool", type=int, required=True, help="候选人数 N")
    p.add_argument("--select", type=int, required=True, help="抽取人数")
    p.add_argument("--explain", action="store_true", help="同时输出每一步的 MD5 值和余数")


def _draw_verify(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.domain.draws.record import verify_record

    path = Path(args.record)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        record = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        return fail(f"无法读取记录文件 {path}：{exc}")
    try:
        result = verify_record(record, expected_commitment_hash=args.commitment_hash)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        print(f"不一致：记录文件缺少字段或格式不对（{exc}）")
        return 1
    for line in result.checks:
        print(line)
    print(result.line())
    return 0 if result.ok else 1


def _draw_rfc3797(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.domain.draws.rfc3797 import (
        Rfc3797Error,
        canonical_key,
        parse_numbers,
        rfc3797_steps,
    )

    try:
        key = canonical_key([parse_numbers(text) for text in args.sources])
        steps = rfc3797_steps(key, args.pool, args.select)
    except Rfc3797Error as exc:
        return fail(str(exc))
    if args.explain:
        sys.stderr.write(f"密钥串：{key}\n")
        for s in steps:
            sys.stderr.write(
                f"{s.index:>3} {s.digest_hex} 余数 {s.r:>5} / {s.remaining:<5} → {s.position}\n"
            )
    for s in steps:
        print(s.position)
    return 0


def _draw_handle(args) -> int:
    if args.draw_command == "verify":
        return _draw_verify(args)
    return _draw_rfc3797(args)


def _inspections_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="inspections_command", metavar="子命令")
    sub.required = True
    p = sub.add_parser("import-entities", help="导入检查对象名录库（CSV 或 XLSX），逐行报告错误")
    p.add_argument("file", help="CSV（UTF-8 或 GBK）或 XLSX 文件")
    p.add_argument("--strict", action="store_true", help="有任何一行错误时整批不导入")
    p.add_argument("--errors", help="把逐行错误报告写入此 CSV 文件")
    sub.add_parser("remind", help="向牵头部门发送结果公示到期和逾期提醒（每天运行一次）")


def _import_entities(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.inspections.errors import InspectionError
    from gongkai.apps.inspections.services.importing import import_entities, read_rows

    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        return fail(f"无法读取文件 {path}：{exc}")
    total = content.count(b"\n") - 1 if not path.name.lower().endswith(".xlsx") else None
    bar = Progress("导入名录库", total)
    try:
        stats = import_entities(
            read_rows(content, path.name), strict=args.strict, progress=bar.update
        )
    except InspectionError as exc:
        return fail(str(exc))
    bar.finish()
    from django.db import transaction

    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.audit.services import audit_record
    from gongkai.domain.inspections import InspectionAction

    with transaction.atomic():
        audit_record(
            actor=SYSTEM,
            action=InspectionAction.ENTITY_IMPORT_CLI,
            object_type="inspections.marketentity",
            object_id="",
            object_label=path.name,
            after={
                "rows": stats.rows,
                "created": stats.created,
                "updated": stats.updated,
                "failed": stats.failed,
            },
        )
    if args.errors and stats.errors:
        Path(args.errors).write_bytes(stats.error_csv())
    for line, column, message in stats.errors[:20]:
        sys.stderr.write(f"第 {line} 行“{column}”：{message}\n")
    if len(stats.errors) > 20:
        sys.stderr.write(f"……共 {len(stats.errors)} 处错误\n")
    if args.strict and stats.errors:
        print(f"有 {stats.failed} 行错误，按 --strict 整批未导入")
        return 1
    print(
        f"共 {stats.rows} 行：新增 {stats.created} 户，更新 {stats.updated} 户，{stats.failed} 行有错误未导入"
    )
    return 1 if stats.errors else 0


def _remind(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.inspections.services import task_send_reminders

    sent = task_send_reminders(actor=SYSTEM)
    print(f"已发送 {sent} 条结果公示提醒")
    return 0


def _inspections_handle(args) -> int:
    if args.inspections_command == "import-entities":
        return _import_entities(args)
    return _remind(args)


def register() -> None:
    register_cli(
        CliCommand(
            "draw",
            "复算抽取记录（draw verify）、RFC 3797 抽取（draw rfc3797）",
            _draw_arguments,
            _draw_handle,
        )
    )
    register_cli(
        CliCommand(
            "inspections",
            "双随机一公开：导入名录库、发送结果公示提醒",
            _inspections_arguments,
            _inspections_handle,
        )
    )
