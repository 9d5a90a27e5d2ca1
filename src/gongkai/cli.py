"""The ``gongkai`` command: one entry point for operators.

Built-in subcommands set the platform up and run it; apps add theirs through
``gongkai.registry.register_cli`` in their AppConfig.ready().
"""

from __future__ import annotations

import argparse
import os
import sys


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}：错误：{message}\n运行 “{self.prog} --help” 查看用法。\n")
        sys.exit(2)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()


def _cmd_migrate(args) -> int:
    from django.core.management import call_command

    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.config.settings import DATA_DIR

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def _cmd_serve(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.portal.server import serve

    return serve(host=args.host, port=args.port, workers=args.workers, worker=not args.no_worker)


def _cmd_demo(args) -> int:
    import importlib.util

    if importlib.util.find_spec("faker") is None:
        print(
            "示例市数据需要 demo 附加依赖（Faker），生产服务器不安装它："
            "请运行 make demo，或 pip install 'gongkai[demo]'。",
            file=sys.stderr,
        )
        return 2
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.demo.world import demo_load, print_logins

    _cmd_migrate(argparse.Namespace(verbosity=0))
    demo_load(verbose=True)
    print_logins()
    if args.no_serve:
        return 0
    return _cmd_serve(args)


DJANGO_PASSTHROUGH = {
    "check": "系统检查（如 gongkai check --deploy）",
    "makemigrations": "生成数据库迁移（开发用）",
    "shell": "Django 交互环境（开发用）",
    "dbshell": "数据库命令行",
    "collectstatic": "收集静态文件（生产部署用）",
    "changepassword": "修改用户密码",
}


def _run_django(argv: list[str]) -> int:
    """Pass through to a Django management command with all its own options."""
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["gongkai", *argv])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _cmd_openapi(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.api.schema_export import openapi_json

    text = openapi_json()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 0


def build_parser() -> ChineseArgumentParser:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai import __version__
    from gongkai.registry import cli_commands

    parser = ChineseArgumentParser(prog="gongkai", description="gongkai 政务公开平台命令行。")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    sub.required = True

    p = sub.add_parser("migrate", help="创建或升级数据库结构")
    p.add_argument("--verbosity", type=int, default=1)
    p.set_defaults(func=_cmd_migrate)

    def serve_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        p.add_argument("--workers", type=int, default=2, help="进程数（默认 2）")
        p.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")

    p = sub.add_parser("serve", help="启动门户网站和工作台")
    serve_args(p)
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("demo", help="建库、载入示例市数据并启动服务")
    p.add_argument("--no-serve", action="store_true", help="只载入数据，不启动服务")
    serve_args(p)
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("openapi", help="导出 OpenAPI 接口描述")
    p.add_argument("-o", "--output", default="-", help="输出文件（默认标准输出）")
    p.set_defaults(func=_cmd_openapi)

    for name, help_text in DJANGO_PASSTHROUGH.items():
        sub.add_parser(name, help=help_text, add_help=False)

    for command in sorted(cli_commands.values(), key=lambda c: c.name):
        p = sub.add_parser(command.name, help=command.help)
        command.add_arguments(p)
        p.set_defaults(func=command.handle)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _setup_django()
    if argv and argv[0] in DJANGO_PASSTHROUGH:
        return _run_django(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
