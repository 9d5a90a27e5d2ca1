"""One place for staff templates (ADR 0174): a back-office page renders `<app>/bo/...`, a public
page never does, and no other convention (`bo_*.html`, `staff/`) is left."""

from __future__ import annotations

import inspect
import re
import sys
from collections import defaultdict
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

import gongkai

TEMPLATES = Path(gongkai.__file__).parent / "templates"
BACKOFFICE = "backoffice/"
NAME = re.compile(r"""["']([a-z_]+/[A-Za-z0-9_/]*?)(?:\.html["']|\{)""")
STAFF = re.compile(r"^[a-z_]+/bo/")
SHELL = "backoffice/"  # the back office's own layout and home: its folder is the back office


def _views():
    """(route, view function) of every URL of the project's apps."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "view_class", None) or pattern.callback
                view = inspect.unwrap(view)
                if not (inspect.isfunction(view) or inspect.isclass(view)):
                    view = type(view)  # a callable instance (a feed)
                if getattr(view, "__module__", "").startswith("gongkai."):
                    yield prefix + str(pattern.pattern), view

    return list(walk(get_resolver().url_patterns, ""))


def _names(source: str) -> set[str]:
    return set(NAME.findall(source))


def test_back_office_pages_render_staff_templates_and_public_pages_do_not():
    wrong = []
    modules: dict[str, set[bool]] = defaultdict(set)
    checked = 0
    for route, view in _views():
        staff = route.startswith(BACKOFFICE)
        modules[view.__module__].add(staff)
        for name in _names(inspect.getsource(view)):
            checked += 1
            if staff and not (STAFF.match(name) or name.startswith(SHELL)):
                wrong.append(f"/{route} renders {name}")
            if not staff and STAFF.match(name):
                wrong.append(f"public /{route} renders {name}")
    # a module that serves only the back office: its helpers' templates are staff ones too
    for module, kinds in modules.items():
        if kinds == {True}:
            for name in _names(inspect.getsource(sys.modules[module])):
                checked += 1
                if not (STAFF.match(name) or name.startswith(SHELL)):
                    wrong.append(f"{module} (back office only) names {name}")
    assert checked > 150  # the views were read
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_no_other_convention_is_left_and_public_templates_include_no_staff_ones():
    files = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")]
    assert len(files) > 150
    assert [f for f in files if Path(f).name.startswith("bo_")] == []
    assert [f for f in files if "/staff/" in f] == []
    reaches = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")
    wrong = []
    for name in files:
        if STAFF.match(name) or name.startswith(SHELL):
            continue
        for used in reaches.findall((TEMPLATES / name).read_text(encoding="utf-8")):
            if STAFF.match(used) or used.startswith(SHELL):
                wrong.append(f"{name} uses {used}")
    assert not wrong, "\n".join(wrong)
