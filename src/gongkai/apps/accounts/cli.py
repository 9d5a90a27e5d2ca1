import getpass
import sys

from gongkai.registry import CliCommand, register_cli


def _add_arguments(parser) -> None:
    parser.add_argument("--username", required=True, help="登录名")
    parser.add_argument("--name", default="", help="姓名")
    parser.add_argument(
        "--agency", default="", help="所属机关（代码或名称）；市公开办、系统管理员可不填"
    )
    parser.add_argument(
        "--role",
        action="append",
        default=[],
        choices=["officer", "reviewer", "head", "supervisor", "admin"],
        help="角色，可重复：officer 公开专员, reviewer 审核人, head 公开办负责人, supervisor 市公开办, admin 系统管理员",
    )
    parser.add_argument("--email", default="")
    parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")


def _handle(args) -> int:
    from django.core.exceptions import ValidationError

    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.accounts.services import staff_create
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.organizations.errors import AgencyNotFound
    from gongkai.apps.organizations.selectors import agency_get
    from gongkai.cli_support import fail

    if not args.role:
        return fail("至少指定一个 --role")
    try:
        agency = agency_get(args.agency) if args.agency else None
    except AgencyNotFound as exc:
        return fail(str(exc))
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("密码：")
        if password != getpass.getpass("再次输入密码："):
            return fail("两次输入的密码不一致")
    try:
        user = staff_create(
            actor=SYSTEM,
            username=args.username,
            password=password,
            display_name=args.name or args.username,
            agency=agency,
            roles=args.role,
            email=args.email,
        )
    except ValidationError as exc:
        messages = (
            [f"{k}: {'；'.join(v)}" for k, v in exc.message_dict.items()]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        return fail("；".join(messages))
    print(f"已创建工作人员 {user.username}（{agency or '不属于具体机关'}）：{'、'.join(args.role)}")
    return 0


def _token_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="token_command", metavar="子命令", required=True)
    create = sub.add_parser("create", help="为某个账户创建接口令牌（只显示一次）")
    create.add_argument("--user", required=True, help="账户登录名")
    create.add_argument("--name", required=True, help="用途，如“12345热线工单推送”")


def _token_handle(args) -> int:
    # deferred: a subcommand loads its code only when it runs (every process registers it)
    from gongkai.apps.accounts.models import User
    from gongkai.apps.accounts.services import api_token_create
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.cli_support import fail

    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None:
        return fail(f"找不到账户“{args.user}”")
    token, key = api_token_create(actor=SYSTEM, user=user, name=args.name)
    print(key)
    sys.stderr.write(f"已为 {user.username} 创建令牌“{token.name}”，请立即保存：此后不再显示。\n")
    return 0


def register() -> None:
    register_cli(CliCommand("createstaff", "创建工作人员账户", _add_arguments, _handle))
    register_cli(
        CliCommand(
            "token",
            "接口令牌：gongkai token create --user U --name N",
            _token_arguments,
            _token_handle,
        )
    )
