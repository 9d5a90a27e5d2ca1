"""``gongkai worker`` and ``gongkai scheduler``: the processes of the task engine."""

from __future__ import annotations

import os
import socket

from gongkai.registry import CliCommand, register_cli


def _worker_arguments(parser) -> None:
    parser.add_argument(
        "--concurrency",
        type=int,
        default=int(os.environ.get("GONGKAI_WORKER_CONCURRENCY", "2")),
        help="同时运行的任务数（默认 2，或 GONGKAI_WORKER_CONCURRENCY）",
    )
    parser.add_argument(
        "--name", default="", help="进程名（默认 worker@主机名；同一台机器上多个进程须不同）"
    )
    parser.add_argument(
        "--with-scheduler",
        action="store_true",
        help="同时发送定时任务（只用于单机；多机部署另行运行 gongkai scheduler）",
    )
    parser.add_argument("--loglevel", default="INFO", help="日志级别（默认 INFO）")
    parser.add_argument(
        "--drain",
        action="store_true",
        help="在本进程中运行所有排队的任务，全部完成后退出（不连接任务队列；用于没有常驻任务进程的机器）",
    )


def _drain() -> int:
    import sys

    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.jobs.services import jobs_drain

    def progress(number: int, total: int, title: str) -> None:
        print(f"[{number}/{total}] {title}", file=sys.stderr, flush=True)

    outcome = jobs_drain(progress=progress)
    print(f"排队的任务已运行：完成 {outcome['done']} 个，失败 {outcome['failed']} 个")
    return 1 if outcome["failed"] else 0


def _worker(args) -> int:
    if args.drain:
        return _drain()
    from django.conf import settings

    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.jobs.engine import worker_main

    name = args.name or f"worker@{settings.GONGKAI_NODE_NAME or socket.gethostname()}"
    worker_main(
        concurrency=max(1, args.concurrency),
        beat=args.with_scheduler,
        name=name,
        loglevel=args.loglevel,
    )
    return 0


def _scheduler_arguments(parser) -> None:
    parser.add_argument("--loglevel", default="INFO", help="日志级别（默认 INFO）")


def _scheduler(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.jobs.engine import beat_main

    beat_main(loglevel=args.loglevel)
    return 0


def register() -> None:
    register_cli(
        CliCommand(
            "worker",
            "运行后台任务进程（导入、重建索引、生成报告、提醒）；可在多台机器上各运行一个或多个",
            _worker_arguments,
            _worker,
        )
    )
    register_cli(
        CliCommand(
            "scheduler",
            "按时发送定时任务（到期提醒、日历检查、会话清理等），不需要 cron",
            _scheduler_arguments,
            _scheduler,
        )
    )
