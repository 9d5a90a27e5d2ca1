"""Every audit action the code records has its Chinese label in the one vocabulary."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from gongkai.domain.actions import Action
from gongkai.domain.vocabulary import (
    ACTION_LABELS,
    JOB_LABELS,
    action_label,
    all_action_labels,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai"
NAME = re.compile(r"^[a-z_]+\.[a-z_]+$")
# calls that write an audit event with the action as a string argument
WRITERS = re.compile(r"(audit_record|_record|_audit|_log_event|_event|record)$")


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def recorded_actions() -> set[str]:
    """The actions the code records: string codes, and members of the Action enums
    (``ReportAction.PUBLISH``; a member that does not exist fails here)."""
    enums = {cls.__name__: cls for cls in _enums()}
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not WRITERS.search(_call_name(node)):
                continue
            args = [*node.args, *(k.value for k in node.keywords if k.arg == "action")]
            for arg in args:
                if (
                    isinstance(arg, ast.Attribute)
                    and isinstance(arg.value, ast.Name)
                    and arg.value.id in enums
                ):
                    found.add(enums[arg.value.id][arg.attr].value)
                elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if NAME.match(arg.value):
                        found.add(arg.value)
                    elif _call_name(node) == "record" and re.fullmatch(r"[a-z_]+", arg.value):
                        found.add(f"application.{arg.value}")  # a case step's short name
    return found


def test_every_recorded_action_has_a_label():
    actions = recorded_actions()
    assert len(actions) > 80  # the scan finds the actions (it cannot pass on nothing)
    labels = all_action_labels()  # the table and every context's Action enum
    missing = sorted(a for a in actions if a not in labels)
    assert missing == []


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
        "ApplicationAction",
        "CatalogAction",
        "LetterAction",
        "InspectionAction",
        "ReportAction",
    } <= names
    for cls in _enums():
        for member in cls:
            assert NAME.match(member.value), member
            assert re.search(r"[\u4e00-\u9fff]", member.label), member
            assert action_label(member.value) == member.label
    assert action_label("application.reply_approve") == "审核通过，作出答复"
    assert action_label("document.publish") == "发布"


def test_labels_are_chinese_and_unknown_names_are_shown_as_they_are():
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in ACTION_LABELS.values())
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
