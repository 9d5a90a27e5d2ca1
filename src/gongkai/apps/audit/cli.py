from gongkai.registry import CliCommand, register_cli


def _add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="audit_command", metavar="子命令", required=True)
    sub.add_parser("verify", help="校验审计哈希链是否完整")


def _handle(args) -> int:
    from gongkai.apps.audit.services import audit_verify
    from gongkai.cli_support import Progress

    bar = Progress("校验审计链")
    result = audit_verify(progress=bar.update)
    bar.finish()
    if result.ok:
        print(result.message)
        return 0
    print(f"BROKEN：{result.message}")
    return 1


def register() -> None:
    register_cli(CliCommand("audit", "审计日志：gongkai audit verify", _add_arguments, _handle))
