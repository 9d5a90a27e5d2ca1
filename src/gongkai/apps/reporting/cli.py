"""``gongkai report build|check|remind``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from gongkai import clock
from gongkai.cli_support import Progress, fail

OUTPUTS = ("json", "docx", "pdf", "xlsx", "html")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="report_command", metavar="子命令")
    sub.required = True

    build = sub.add_parser(
        "build",
        help="由平台记录计算一份年度报告并输出为文件",
        description=(
            "由平台中的办理记录、公开目录、政府信箱和填报数据计算年度报告。"
            "若平台中已有同一机关、年度、范围和格式的报告，沿用其文字部分和人工调整。"
            "退出码：0 勾稽关系全部成立，1 有不成立的勾稽关系（文件照常输出），2 参数错误。"
        ),
    )
    build.add_argument("--agency", required=True, help="机关代码、全称或简称，如 示例市人民政府")
    build.add_argument("--year", required=True, type=int, help="报告年度，如 2018")
    build.add_argument(
        "--format", choices=("2008", "2019", "2021"), help="报告格式（默认按年度自动选择）"
    )
    build.add_argument(
        "--scope",
        choices=("self", "government", "city"),
        default=None,
        help="统计范围：self 本机关，government 本级政府及所属部门，city 全辖区（政府默认 city）",
    )
    out = build.add_mutually_exclusive_group(required=True)
    for name in OUTPUTS:
        out.add_argument(f"--{name}", dest="output_kind", action="store_const", const=name)
    build.add_argument(
        "-o", "--output", default="-", help="输出文件（json/html 可用 - 表示标准输出）"
    )

    check = sub.add_parser(
        "check",
        help="核对已发布的年度报告（网页、DOCX、XLSX）的勾稽关系",
        description=(
            "读取另存的年度报告（HTML 网页、DOCX、XLSX 或文本），识别其表格（或2008年版正文中的数字），"
            "对照标准格式核对勾稽关系并列出不成立的项目及所涉单元格。"
            "退出码：0 各项勾稽关系均已核对且全部成立；1 有不成立的勾稽关系或格式错误；"
            "2 未找到年度报告表格；3 无不成立项，但有勾稽关系无法核对（表格缺失、为图片、"
            "行缺失或单元格无法读取）；4 文件无法读取（损坏、不支持或超过限制）。"
            "多个文件时按 1、4、2、3、0 的顺序取最严重者。"
        ),
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="一个或多个文件")
    check.add_argument("--json", action="store_true", help="以 JSON 输出识别出的数字和核对结果")

    remind = sub.add_parser("remind", help="向尚未发布上一年度报告的机关发送提醒（每日运行）")
    remind.add_argument("--date", help="按指定日期运行（YYYY-MM-DD，默认今天）")


def _write(path: str, data: bytes | str) -> None:
    if path == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
        return
    if isinstance(data, bytes):
        with open(path, "wb") as fh:
            fh.write(data)
    else:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(data)


def _build(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.organizations.errors import AgencyNotFound
    from gongkai.apps.organizations.selectors import agency_get
    from gongkai.apps.reporting.models import Report, ReportScope
    from gongkai.apps.reporting.render import (
        ReportDoc,
        docx_bytes,
        html_document,
        pdf_bytes,
        xlsx_bytes,
    )
    from gongkai.apps.reporting.selectors import (
        report_adjustments,
        report_compute,
        report_context,
        scope_choices,
    )
    from gongkai.domain.reports.formats import format_for_year, get_format
    from gongkai.domain.reports.identities import validate
    from gongkai.domain.reports.jsonout import tables_json, validation_json
    from gongkai.domain.reports.levels import level_failures

    if args.output_kind in ("docx", "pdf", "xlsx") and args.output == "-":
        return fail(f"--{args.output_kind} 需要用 -o 指定输出文件")
    try:
        agency = agency_get(args.agency)
    except AgencyNotFound as exc:
        return fail(str(exc))
    try:
        fmt = get_format(args.format) if args.format else format_for_year(args.year)
    except ValueError as exc:
        return fail(str(exc))
    scope = args.scope or (
        ReportScope.CITY.value if agency.is_government else ReportScope.SELF.value
    )
    if scope not in dict(scope_choices(agency)):
        return fail(f"{agency.name}不是人民政府，只能编制本机关（self）范围的报告")
    progress = Progress("计算年度报告", total=3)
    stored = Report.objects.filter(
        agency=agency, year=args.year, scope=scope, format_code=fmt.code
    ).first()
    progress.update(1)
    built, _bundle = report_compute(
        agency=agency,
        year=args.year,
        scope=scope,
        fmt=fmt,
        adjustments=report_adjustments(stored) if stored else None,
        report_id=stored.pk if stored else None,
    )
    progress.update(2)
    context = report_context(agency, args.year, scope)
    doc = ReportDoc.from_built(
        built,
        agency_name=agency.name,
        context=context,
        narrative=dict(stored.narrative) if stored and stored.narrative else None,
    )
    if stored is not None:
        doc.title = stored.title
    validation = validate(fmt, built.values)
    refused = level_failures(fmt, built.values, agency.level)
    validation.checked += len(refused)
    validation.failures.extend(refused)
    kind = args.output_kind
    if kind == "json":
        payload = {
            "agency": agency.name,
            "agency_code": agency.code,
            "year": args.year,
            "format": fmt.code,
            "format_name": fmt.name,
            "scope": scope,
            "subject": context.subject,
            "title": doc.title,
            "tables": tables_json(fmt, built.values),
            "entered_cells": sorted(":".join(c) for c in doc.entered),
            "adjusted_cells": sorted(":".join(c) for c in doc.adjusted),
            "identities": validation_json(fmt, validation),
            "warnings": built.warnings,
        }
        _write(args.output, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif kind == "html":
        _write(args.output, html_document(doc))
    elif kind == "docx":
        _write(args.output, docx_bytes(doc))
    elif kind == "xlsx":
        _write(args.output, xlsx_bytes(doc))
    else:
        _write(args.output, pdf_bytes(doc))
    progress.update(3)
    progress.finish()
    for warning in built.warnings:
        sys.stderr.write(f"提示：{warning}\n")
    where = "标准输出" if args.output == "-" else args.output
    sys.stderr.write(
        f"已生成《{doc.title}》（{fmt.name}，{context.subject}）→ {where}\n"
        f"勾稽关系 {validation.checked} 项：成立 {validation.held} 项，不成立 {len(validation.failures)} 项\n"
    )
    for failure in validation.failures:
        sys.stderr.write(f"✗ {failure.message}\n")
    return 0 if validation.ok else 1


def _check(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.reporting.checker_files import EXIT_UNREADABLE, UnreadableFile, check_file
    from gongkai.domain.reports.checker.check import (
        EXIT_FAILED,
        EXIT_NO_TABLE,
        EXIT_OK,
        EXIT_UNCHECKED,
    )

    reports = []
    codes = []
    for path in args.files:
        try:
            report = check_file(path)
        except UnreadableFile as exc:
            sys.stderr.write(f"无法读取：{path}：{exc}\n")
            codes.append(EXIT_UNREADABLE)
            continue
        reports.append(report)
        codes.append(report.exit_code)
    if args.json:
        payload: Any = [r.to_json() for r in reports]
        if len(args.files) == 1 and len(reports) == 1:
            payload = payload[0]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for i, report in enumerate(reports):
            if i:
                sys.stdout.write("\n")
            sys.stdout.write("\n".join(report.lines()) + "\n")
    # the worst file decides: a failed identity (1), then a file that could not be read (4),
    # then one without report tables (2), then identities that could not be checked (3)
    for code in (EXIT_FAILED, EXIT_UNREADABLE, EXIT_NO_TABLE, EXIT_UNCHECKED):
        if code in codes:
            return code
    return EXIT_OK


def _remind(args: Any) -> int:

    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.reporting.services import report_reminders_send

    try:
        today = dt.date.fromisoformat(args.date) if args.date else clock.today()
    except ValueError:
        return fail(f"日期格式不对：{args.date}（应为 YYYY-MM-DD）")
    sent = report_reminders_send(today=today)
    sys.stdout.write(f"已发送年度报告提醒 {sent} 条（{today.isoformat()}）。\n")
    return 0


def handle(args: Any) -> int:
    if args.report_command == "build":
        return _build(args)
    if args.report_command == "check":
        return _check(args)
    return _remind(args)
