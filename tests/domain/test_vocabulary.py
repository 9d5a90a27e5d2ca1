"""Every audit action the code records has its Chinese label in the one vocabulary."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from gongkai.domain.actions import Action
from gongkai.domain.vocabulary import (
    ACTION_ENUM_MODULES,
    JOB_LABELS,
    action_label,
    all_action_labels,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai"
NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")
# calls that write an audit event with the action as an argument
WRITERS = re.compile(r"(audit_record|_record|_audit|_log_event|_event|record|_letter|batch_\w+)$")


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _arguments(arg: ast.expr) -> list[ast.expr]:
    """The values an argument can take (both sides of ``a if c else b``)."""
    if isinstance(arg, ast.IfExp):
        return [*_arguments(arg.body), *_arguments(arg.orelse)]
    return [arg]


def scan(tree: ast.AST) -> tuple[set[str], list[str]]:
    """The actions a module records: the codes of the Action enum members it passes to an
    audit writer (``ReportAction.PUBLISH``; a member that does not exist is a KeyError here),
    and the free strings it passes instead (codes with no label of their own)."""
    enums = {cls.__name__: cls for cls in _enums()}
    members: set[str] = set()
    free: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not WRITERS.search(_call_name(node)):
            continue
        args = [*node.args, *(k.value for k in node.keywords if k.arg == "action")]
        for arg in (value for a in args for value in _arguments(a)):
            if (
                isinstance(arg, ast.Attribute)
                and isinstance(arg.value, ast.Name)
                and arg.value.id in enums
            ):
                members.add(enums[arg.value.id][arg.attr].value)
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if NAME.match(arg.value):
                    free.append(arg.value)
                elif _call_name(node) == "record" and re.fullmatch(r"[a-z_]+", arg.value):
                    members.add(f"application.{arg.value}")  # a case step's short name
            elif isinstance(arg, ast.JoinedStr) and arg.values:
                first = arg.values[0]
                if isinstance(first, ast.Constant) and NAME.match(f"{first.value}x"):
                    free.append(ast.unparse(arg))  # an action code built from a string
    return members, free


def recorded_actions() -> tuple[set[str], list[str]]:
    members: set[str] = set()
    free: list[str] = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        found, strings = scan(ast.parse(path.read_text(encoding="utf-8")))
        members |= found
        free += [f"{path.relative_to(SRC)}: {code}" for code in strings]
    return members, free


def test_every_recorded_action_is_a_member_of_a_context_enum_with_its_label():
    members, free = recorded_actions()
    assert len(members) > 100  # the scan finds the actions (it cannot pass on nothing)
    assert free == []  # no action recorded as a free string: each is an enum member
    labels = all_action_labels()
    assert sorted(a for a in members if a not in labels) == []


def test_the_scan_fails_on_an_action_without_a_label():
    source = """
audit_record(actor=actor, action="letter.unheard_of", obj=letter)
audit_letter(actor, "letter.rate" if rated else "letter.other", letter, None)
audit_record(actor=actor, action=f"admin.{'change' if change else 'add'}", obj=obj)
_audit(delivery, agency_id, NoticeAction.SENT)
"""
    members, free = scan(ast.parse(source))
    assert members == {"notice.sent"}
    assert free[:3] == ["letter.unheard_of", "letter.rate", "letter.other"]
    assert len(free) == 4 and free[3].startswith('f"admin.')
    try:
        scan(ast.parse("audit_record(actor=actor, action=LetterAction.UNHEARD_OF)"))
    except KeyError:
        pass
    else:
        raise AssertionError("a member that does not exist must fail the scan")


def test_every_enum_module_is_listed_once_and_declares_an_action_enum():
    assert len(set(ACTION_ENUM_MODULES)) == len(ACTION_ENUM_MODULES)
    modules = {cls.__module__ for cls in _enums()}
    assert set(ACTION_ENUM_MODULES) <= modules


def test_no_two_enums_share_an_action_code():
    codes = [m.value for cls in _enums() for m in cls]
    assert sorted(c for c in set(codes) if codes.count(c) > 1) == []


def _enums() -> list[type[Action]]:
    all_action_labels()  # imports the modules that declare the enums
    found, pending = [], list(Action.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        found.append(cls)
    return found


def test_every_context_enum_action_has_a_chinese_label_the_log_shows():
    names = {cls.__name__ for cls in _enums()}
    assert {
        "AccountAction",
        "AgencyAction",
        "ApplicationAction",
        "AuditAction",
        "CalendarAction",
        "CatalogAction",
        "CreditAction",
        "InspectionAction",
        "JobAction",
        "LetterAction",
        "NoticeAction",
        "PortalAction",
        "PrivacyAction",
        "ReportAction",
        "SearchWordAction",
        "WebcheckAction",
    } <= names
    for cls in _enums():
        for member in cls:
            assert NAME.match(member.value), member
            assert re.search(r"[\u4e00-\u9fff]", member.label), member
            assert action_label(member.value) == member.label
    assert action_label("application.reply_approve") == "审核通过，作出答复"
    assert action_label("document.publish") == "发布"
    # codes recorded before the enums existed keep their labels (the same strings)
    assert action_label("user.login") == "登录"
    assert action_label("letter.submit") == "收到来信"
    assert action_label("calendar_year.confirm") == "确认年度工作日历"


def test_labels_are_chinese_and_unknown_names_are_shown_as_they_are():
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in JOB_LABELS.values())
    assert action_label("gazette_issue.pdf_render") == "生成政府公报PDF"
    assert action_label("no.such_action") == "no.such_action"


def test_every_job_kind_has_a_label():
    kinds = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        kinds |= set(re.findall(r'^(?:[A-Z_]*JOB|JOB_KIND) = "([a-z_.]+)"', text, re.M))
        kinds |= set(re.findall(r'register_job\(\s*"([a-z_.]+)"', text))
    assert len(kinds) >= 8
    assert sorted(k for k in kinds if k not in JOB_LABELS) == []
