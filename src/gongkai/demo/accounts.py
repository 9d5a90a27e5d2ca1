"""Demo accounts: a supervisor, an administrator, three roles in every city department, one
officer per county government, and a public applicant."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from gongkai.apps.accounts.models import Role, RoleGrant, User
from gongkai.apps.audit.services import audit_record
from gongkai.apps.organizations.models import Agency
from gongkai.demo.organizations import CITY_DEPARTMENTS, COUNTIES
from gongkai.demo.steps import DEMO_PASSWORD, DemoStep, register_demo_login, register_demo_step
from gongkai.domain.accounts import AccountAction

STAFF_ROLES = [
    (Role.OFFICER, "zy", "公开专员"),
    (Role.REVIEWER, "sh", "审核人"),
    (Role.HEAD, "fz", "公开办负责人"),
]

register_demo_login(10, "系统管理员", "admin")
register_demo_login(20, "市公开办（全市监督）", "gkb")
register_demo_login(30, "市交通局 公开专员", "jtj_zy")
register_demo_login(31, "市交通局 审核人", "jtj_sh")
register_demo_login(32, "市交通局 公开办负责人", "jtj_fz")
register_demo_login(40, "市政府办公室 公开专员", "bgs_zy")
register_demo_login(50, "东城区政府 公开专员", "dcq_zy")
register_demo_login(90, "申请人（公众）", "zhangsan")


def demo_staff_specs() -> list[tuple[str, str, str | None, list[str]]]:
    """(username, display name, agency code, roles) of every demo account."""
    specs: list[tuple[str, str, str | None, list[str]]] = [
        ("admin", "系统管理员", "bgs", [Role.ADMIN]),
        ("gkb", "市政务公开办公室", "bgs", [Role.SUPERVISOR]),
    ]
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    given = [
        "建国",
        "立新",
        "海燕",
        "志强",
        "秀英",
        "文博",
        "晓梅",
        "国庆",
        "丽娟",
        "振华",
        "子涵",
        "明轩",
        "雅琴",
        "德胜",
        "慧敏",
        "永刚",
    ]
    # every person a name of their own: officer, reviewer and head are three people
    n = 0
    for code, _name, _short in CITY_DEPARTMENTS:
        for role, suffix, _label in STAFF_ROLES:
            name = f"{surnames[n % len(surnames)]}{given[(n // len(surnames) + n) % len(given)]}"
            specs.append((f"{code}_{suffix}", name, code, [role]))
            n += 1
    for code, _name in COUNTIES:
        name = f"{surnames[n % len(surnames)]}{given[(n // len(surnames) + n) % len(given)]}"
        specs.append((f"{code}_zy", name, code, [Role.OFFICER, Role.REVIEWER, Role.HEAD]))
        n += 1
    return specs


def load_accounts(world) -> None:
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: argon2 per user would take minutes
    agencies = {a.code: a for a in Agency.objects.all()}
    existing = set(User.objects.values_list("username", flat=True))
    for username, display, agency_code, roles in demo_staff_specs():
        if username in existing:
            continue
        user = User.objects.create(
            username=username,
            display_name=display,
            agency=agencies.get(agency_code) if agency_code else None,
            password=password_hash,
            is_staff=Role.ADMIN in roles,
            is_superuser=Role.ADMIN in roles,
            email=f"{username}@example.gov.cn",
        )
        RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in roles])
        audit_record(
            actor=world.actor,
            action=AccountAction.STAFF_CREATE,
            obj=user,
            agency_id=user.agency_id,
            after={"username": username, "roles": sorted(roles)},
        )
    if "zhangsan" not in existing:
        user = User.objects.create(
            username="zhangsan",
            display_name="张三",
            password=password_hash,
            email="zhangsan@example.com",
            phone="13800138000",
        )
        audit_record(
            actor=world.actor,
            action=AccountAction.REGISTER,
            obj=user,
            after={"username": "zhangsan"},
        )


register_demo_step(DemoStep(20, "工作人员和申请人账户", load_accounts))
