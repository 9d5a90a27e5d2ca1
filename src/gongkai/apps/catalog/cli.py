"""``gongkai catalog …``: index rebuild, import, export and counter repair."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

from gongkai.documents.tabular import csv_writer
from gongkai.registry import CliCommand, register_cli


def _add_arguments(parser: Any) -> None:
    sub = parser.add_subparsers(dest="catalog_command", metavar="操作")
    sub.required = True
    p = sub.add_parser("reindex", help="重建全文检索索引（带进度条；重建期间网站照常检索）")
    p.add_argument("--engine", choices=["tantivy", "postgres"], help="指定搜索引擎（默认按配置）")
    p.add_argument(
        "--all-servers",
        action="store_true",
        help="让每台服务器都重建自己的索引（经检索变更日志；各服务器的跟随进程执行）",
    )
    sub.add_parser("flush", help="把检索变更日志中尚未应用的变更应用到本服务器的索引")
    sub.add_parser(
        "follow", help="持续把检索变更日志应用到本服务器的索引（gongkai serve 会自动启动）"
    )
    p = sub.add_parser(
        "import", help="从原内容管理系统的导出文件批量导入（CSV/JSON/JSON Lines/XLSX）"
    )
    p.add_argument("file", help="导出文件")
    p.add_argument("--agency", required=True, help="导入到哪个机关（机关代码、全称或简称）")
    p.add_argument("--draft", action="store_true", help="导入为草稿，不直接发布")
    p.add_argument("--errors-out", help="把逐行错误报告写入此 CSV 文件")
    p = sub.add_parser("export", help="导出已发布的目录")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    p.add_argument("--agency", help="只导出该机关（默认全部）")
    p.add_argument("-o", "--output", default="-", help="输出文件（默认标准输出）")
    sub.add_parser("recount", help="按已发布的文件重新计算浏览页的分类计数")
    sub.add_parser(
        "renditions",
        help="按隐私审查重新生成全部已发布文件的公开版本（升级后运行一次；无法生成的撤下并说明原因）",
    )


def _reindex(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.catalog.search import follow, get_engine
    from gongkai.apps.catalog.search.indexing import index_rebuild
    from gongkai.cli_support import Progress

    if args.all_servers:
        marker = follow.request_rebuild()
        print(f"已请求所有服务器重建索引（检索变更 {marker}），各服务器的跟随进程将依次执行。")
        return 0
    engine = get_engine(args.engine)
    bar = Progress(f"重建索引（{engine.name}）")
    store = follow.cursor_for(engine)
    with store.locked(wait=True):
        result = index_rebuild(
            engine=engine, store=store, progress=lambda done, total: bar.update(done, total)
        )
    bar.finish()
    print(
        f"完成：{result['documents']} 条已发布的政府信息已写入 {engine.name} 索引"
        f"（重新分词 {result['segmented']} 条，沿用已存分词 {result['reused']} 条）。"
    )
    return 0


def _flush(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.catalog.search.indexing import index_flush

    print(f"已处理 {index_flush()} 条索引更新。")
    return 0


def _follow(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.catalog.search.follow import follow

    with contextlib.suppress(KeyboardInterrupt):
        follow()
    return 0


def _import(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.catalog.errors import CatalogError
    from gongkai.apps.catalog.services.imports import (
        NOTE,
        import_batch_create,
        import_batch_run,
    )
    from gongkai.apps.jobs.imports import error_table
    from gongkai.apps.organizations.errors import AgencyNotFound
    from gongkai.apps.organizations.selectors import agency_get
    from gongkai.cli_support import Progress, fail

    path = Path(args.file)
    if not path.is_file():
        return fail(f"找不到文件“{path}”")
    try:
        agency = agency_get(args.agency)
        batch = import_batch_create(
            actor=SYSTEM,
            agency=agency,
            filename=path.name,
            content=path.read_bytes(),
            as_draft=args.draft,
            run=False,
        )
    except (CatalogError, AgencyNotFound) as exc:
        return fail(str(exc))
    bar = Progress(f"导入 {path.name}", batch.rows)
    batch = import_batch_run(
        batch, actor=SYSTEM, progress=lambda done, total: bar.update(done, total)
    )
    bar.finish()
    print(
        f"共 {batch.rows} 行：新增 {batch.created}，更新 {batch.updated}，"
        f"未变化 {batch.unchanged}，出错 {batch.failed}。"
    )
    problems = [e for e in batch.errors if e.get("field") != NOTE]
    for row in batch.errors[:20]:
        sys.stderr.write(f"第{row['line']}行 {row['field']}：{row['message']}\n")
    if len(batch.errors) > 20:
        sys.stderr.write(
            f"……另有 {len(batch.errors) - 20} 条，见 --errors-out 或工作台的导入报告\n"
        )
    if args.errors_out:
        with open(args.errors_out, "w", encoding="utf-8-sig", newline="") as fh:
            csv_writer(fh).writerows(error_table(batch.errors))
    return 1 if problems else 0


def _export(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.catalog.exports import export_csv_rows, export_jsonl_rows, export_queryset
    from gongkai.apps.organizations.errors import AgencyNotFound
    from gongkai.apps.organizations.selectors import agency_get
    from gongkai.cli_support import fail

    agency_ids = None
    if args.agency:
        try:
            agency_ids = {agency_get(args.agency).pk}
        except AgencyNotFound as exc:
            return fail(str(exc))
    qs = export_queryset(agency_ids=agency_ids)
    rows = export_csv_rows(qs) if args.format == "csv" else export_jsonl_rows(qs)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        for chunk in rows:
            out.write(chunk)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def _recount(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.catalog.services.maintenance import counts_rebuild

    total = counts_rebuild()
    print(f"已按 {total} 条已发布的政府信息重新计算分类计数。")
    return 0


def _renditions(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.catalog.search.indexing import index_rebuild
    from gongkai.apps.catalog.services.rendition import renditions_rebuild

    result = renditions_rebuild(actor=SYSTEM)
    index_rebuild()
    print(f"完成：生成公开版本 {result['rendered']} 件，无法生成而撤下 {result['blocked']} 件")
    return 0


def _handle(args: Any) -> int:
    return {
        "reindex": _reindex,
        "flush": _flush,
        "follow": _follow,
        "import": _import,
        "export": _export,
        "recount": _recount,
        "renditions": _renditions,
    }[args.catalog_command](args)


register_cli(
    CliCommand("catalog", "主动公开目录：重建索引、批量导入、导出", _add_arguments, _handle)
)
