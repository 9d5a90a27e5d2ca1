from gongkai.registry import CliCommand, register_cli


def _add_arguments(parser) -> None:
    parser.add_argument("--once", action="store_true", help="处理完队列中的任务后退出")


def _handle(args) -> int:
    from gongkai.apps.jobs.services import worker_loop

    ran = worker_loop(once=args.once)
    print(f"已处理 {ran} 个后台任务")
    return 0


def register() -> None:
    register_cli(
        CliCommand(
            "worker", "运行后台任务进程（导入、重建索引、生成报告）", _add_arguments, _handle
        )
    )
