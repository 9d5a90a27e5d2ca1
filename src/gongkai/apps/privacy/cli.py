"""``gongkai privacy scan PATH...`` and ``gongkai privacy mask PATH -o OUT``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from gongkai.cli_support import Progress, fail
from gongkai.registry import CliCommand, register_cli


def _add_arguments(parser: Any) -> None:
    sub = parser.add_subparsers(dest="privacy_command", metavar="操作")
    sub.required = True
    scan = sub.add_parser(
        "scan", help="查找文件中的个人信息，每处一行；有达到阈值的发现时退出码为 1"
    )
    scan.add_argument("paths", nargs="+", metavar="PATH", help="文件或目录（目录下的文件逐个扫描）")
    scan.add_argument("--json", action="store_true", help="以 JSON 输出（供程序读取）")
    scan.add_argument("--threshold", type=float, default=None, help="拦截阈值（默认取系统设置）")
    scan.add_argument(
        "--min-score", type=float, default=None, help="只列出得分不低于此值的发现（默认取提示阈值）"
    )
    mask = sub.add_parser("mask", help="生成遮盖件（DOCX/XLSX/HTML 保留版式）")
    mask.add_argument("path", metavar="PATH", help="原文件")
    mask.add_argument("-o", "--output", required=True, metavar="OUT", help="遮盖件的保存路径")
    mask.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    sweep = sub.add_parser(
        "sweep",
        help="以匿名访问者身份遍历网站的全部公开页面和下载，检查是否有未遮盖的个人信息",
    )
    sweep.add_argument(
        "--url",
        metavar="URL",
        help="检查运行中的网站（如 https://www.example.gov.cn）；默认在本进程内访问",
    )
    sweep.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="并行数（默认：本进程内访问时每个处理器核一个进程，检查网站时8个线程）",
    )
    sweep.add_argument(
        "--applicant",
        metavar="USERNAME",
        help="另以该申请人账户登录，检查其本人能看到的申请、答复和送达文件（仅本进程内）",
    )


def _settings():
    from django.db import DatabaseError

    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.privacy.models import PrivacySettings

    try:
        return PrivacySettings.current()
    except DatabaseError:  # not migrated yet: the command still works with the defaults
        return PrivacySettings()


def _files(paths: list[str]) -> tuple[list[Path], str | None]:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.documents.extract import is_supported

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and is_supported(p.name))
        elif path.is_file():
            files.append(path)
        else:
            return [], f"找不到文件或目录“{raw}”"
    return files, None


def _scan(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.privacy.services import ReviewSource, scan_source

    conf = _settings()
    threshold = conf.threshold if args.threshold is None else args.threshold
    floor = conf.report_floor if args.min_score is None else args.min_score
    if not 0 <= threshold <= 1 or not 0 <= floor <= 1:
        return fail("阈值应在 0 到 1 之间")
    conf.report_floor = min(floor, threshold)
    files, error = _files(args.paths)
    if error:
        return fail(error)
    progress = Progress("隐私扫描", len(files)) if len(files) > 1 else None
    rows: list[dict[str, Any]] = []
    for done, path in enumerate(files, start=1):
        scanned = scan_source(
            ReviewSource(path.name, filename=path.name, content=path.read_bytes()), conf=conf
        )
        for item in scanned.findings:
            if item.finding.score < floor:
                continue
            rows.append(
                {
                    "file": str(path),
                    "location": item.location,
                    "kind": item.finding.kind.value,
                    "kind_label": item.finding.kind.label,
                    "masked": item.masked_value,
                    "score": round(item.finding.score, 2),
                    "reason": item.finding.reason,
                }
            )
        if progress:
            progress.update(done)
    if progress:
        progress.finish()
    blocking = sum(1 for row in rows if row["score"] >= threshold)
    if args.json:
        json.dump(
            {"files": len(files), "threshold": threshold, "blocking": blocking, "findings": rows},
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        sys.stdout.write("\n")
    else:
        for row in rows:
            masked = row["masked"] or "〔门牌号已删去〕"
            sys.stdout.write(
                f"{row['file']}\t{row['location']}\t{row['kind_label']}\t{masked}\t{row['score']:.2f}\n"
            )
        sys.stderr.write(
            f"共扫描 {len(files)} 个文件，发现 {len(rows)} 处，其中 {blocking} 处达到阈值 {threshold:.2f}\n"
        )
    return 1 if blocking else 0


def _mask(args: Any) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.privacy.services import privacy_masked_file
    from gongkai.documents.extract import ExtractionError

    source = Path(args.path)
    output = Path(args.output)
    if not source.is_file():
        return fail(f"找不到文件“{args.path}”")
    if output.resolve() == source.resolve():
        return fail("遮盖件不能覆盖原文件，请另选输出路径")
    if output.exists() and not args.force:
        return fail(f"“{args.output}”已存在（加 --force 覆盖）")
    if output.suffix.lower() != source.suffix.lower():
        return fail(f"输出文件应与原文件同为 {source.suffix} 格式")
    try:
        data = privacy_masked_file(source.name, source.read_bytes())
    except ExtractionError as exc:
        return fail(str(exc))
    output.write_bytes(data)
    sys.stderr.write(f"已写入遮盖件：{output}\n")
    return 0


def _sweep(args: Any) -> int:
    """Exit 0 when nothing unmasked was found, 1 with the URLs named."""
    import time

    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.privacy.sweep import (
        APPLICANT_AREAS,
        APPLICANT_SEEDS,
        applicant_fetch,
        default_workers,
        sweep,
    )
    from gongkai.cli_support import Progress

    if args.url and not args.url.startswith(("http://", "https://")):
        return fail("网址应以 http:// 或 https:// 开头")
    if args.url and args.applicant:
        return fail("--applicant 只能在本进程内检查时使用（不能与 --url 同用）")
    applicant = applicant_fetch(args.applicant) if args.applicant else None
    if args.applicant and applicant is None:
        return fail(f"找不到账户“{args.applicant}”")
    workers = args.workers or default_workers(live=bool(args.url))
    if workers < 1:
        return fail("并行数应为正整数")
    bar = Progress("遍历公开页面和下载")
    started = time.monotonic()
    result = sweep(
        base_url=args.url or None,
        workers=workers,
        threshold=_settings().threshold,
        progress=bar.update,
    )
    if applicant is not None:
        fetch, own = applicant
        mine = sweep(
            fetch,
            threshold=_settings().threshold,
            seeds=APPLICANT_SEEDS,
            only=APPLICANT_AREAS,
            own=own,
            progress=lambda done, total: bar.update(result.visited + done),
        )
        result.visited += mine.visited
        result.downloads += mine.downloads
        result.leaks.extend(mine.leaks)
        result.unreadable.extend(mine.unreadable)
        result.failed.extend(mine.failed)
    bar.finish()
    seconds = time.monotonic() - started
    print(
        f"共访问 {result.visited} 个网址，其中下载文件 {result.downloads} 个，"
        f"用时 {seconds:.1f} 秒（{workers} 路并行）"
    )
    for path in result.unreadable:
        print(f"无法读取：{path}")
    for path, status in result.failed:
        print(f"服务器错误 {status}：{path}")
    if not result.leaks:
        print("未发现未遮盖的个人信息")
        return 0
    urls = sorted({leak.url for leak in result.leaks})
    print(f"发现 {len(result.leaks)} 处未遮盖的个人信息，涉及 {len(urls)} 个网址：")
    for leak in sorted(result.leaks, key=lambda leak: (leak.url, leak.where)):
        print(f"{leak.url}\t{leak.kind}\t{leak.masked}\t{leak.where}")
    return 1


def _handle(args: Any) -> int:
    if args.privacy_command == "scan":
        return _scan(args)
    if args.privacy_command == "sweep":
        return _sweep(args)
    return _mask(args)


register_cli(
    CliCommand(
        "privacy",
        "隐私审查：扫描文件中的个人信息（scan），生成遮盖件（mask），检查整个公开网站（sweep）",
        _add_arguments,
        _handle,
    )
)
