"""The law in one place: every time limit of the 条例 is typed once, in
``gongkai.domain.regulations``; everything else — seed migrations, letters, pages, the API,
the deadline engine — reads it from there."""

import re
from pathlib import Path

import pytest

from gongkai.domain import regulations
from gongkai.domain.deadlines import DEFAULT_RULESETS, RULESET_2008, RULESET_2019, RuleSet

SRC = Path(regulations.__file__).resolve().parents[1]
HOME = Path(regulations.__file__).resolve()

# periods of other rules that happen to be counted in working days too, each with its source
OTHER_RULES = {
    "domain/credit.py": "双公示 7/20 working days, 国办发〔2018〕118号 (data rows)",
    "apps/mailbox/forms.py": "政府信箱 reply limits, a local rule (TimeLimit rows)",
    "apps/mailbox/services/letters.py": "政府信箱 reply limits, a local rule (TimeLimit rows)",
    "templates/mailbox/write.html": "政府信箱 reply limits, a local rule",
    "templates/mailbox/index.html": "政府信箱 reply limits, a local rule",
    "demo/inspections.py": "demo text quoting 国发〔2019〕5号",
}

LIMIT_FIGURES = sorted(
    {
        str(getattr(rule, name))
        for rule in DEFAULT_RULESETS
        for name in (
            "answer_days",
            "extension_max_days",
            "correction_notice_days",
            "third_party_days",
            "other_agency_days",
            "fee_payment_days",
            "proactive_days",
        )
        if getattr(rule, name)
    },
    key=int,
)
STATED = re.compile(rf"(?<![\d.])({'|'.join(LIMIT_FIGURES)}) ?个工作日")
ASSIGNED = re.compile(
    r"\b(answer|extension_max|correction_notice|third_party|other_agency|fee_payment|proactive)"
    r"_days\s*[=:]\s*\d"
)
REMEDIES = re.compile(rf"{regulations.RECONSIDERATION_PERIOD}|{regulations.LITIGATION_PERIOD}")
REPORT_DATES = re.compile(r"(AgencyKind\.\w+|\"\w+\"),\s*[13],\s*31\b")


def _sources():
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".py", ".html", ".txt") or path == HOME:
            continue
        rel = path.relative_to(SRC).as_posix()
        if "/migrations/" in rel:  # history: what was seeded and replaced, as it was
            continue
        yield rel, path.read_text(encoding="utf-8")


def test_the_limit_figures_are_the_regulations():
    assert LIMIT_FIGURES == ["7", "15", "20"]


def test_no_time_limit_of_the_regulation_is_typed_outside_its_one_place():
    stray = []
    for rel, text in _sources():
        for pattern in (STATED, ASSIGNED, REMEDIES, REPORT_DATES):
            for match in pattern.finditer(text):
                if pattern is STATED and rel in OTHER_RULES:
                    continue
                line = text.count("\n", 0, match.start()) + 1
                stray.append(f"{rel}:{line}: {match.group(0)}")
    assert stray == [], "time limits typed outside domain/regulations.py:\n" + "\n".join(stray)


def test_the_seed_rows_are_the_regulations():
    """workcalendar's seed migration loads the rows from the same rule sets."""
    import importlib

    seed = importlib.import_module(
        "gongkai.apps.workcalendar.migrations.0002_seed_official_calendar"
    )
    assert [row["code"] for row in seed.RULES] == ["2008", "2019"]
    rows = {row["code"]: row for row in seed.RULES}
    assert rows["2019"]["answer_days"] == RULESET_2019.answer_days == 20
    assert rows["2019"]["correction_notice_days"] == 7
    assert rows["2008"]["answer_days"] == RULESET_2008.answer_days == 15
    assert rows["2019"]["pause_reasons"] == "third_party,other_agency,fee"
    assert rows["2008"]["pause_reasons"] == "third_party"
    report = importlib.import_module("gongkai.apps.reporting.migrations.0002_deadline_rules")
    assert ("department", 1, 31, 2019, None) in [r[:5] for r in report.RULES]
    assert ("government", 3, 31, 2019, None) in [r[:5] for r in report.RULES]


def test_the_deadline_engine_reads_the_same_rule_sets():
    assert RuleSet is regulations.RuleSet
    assert DEFAULT_RULESETS == regulations.DEFAULT_RULESETS
    assert regulations.CURRENT is RULESET_2019


@pytest.mark.parametrize(
    "text", ["答复期限为20个工作日", "answer_days=20", "六十日内", '("department", 1, 31']
)
def test_the_scan_would_find_a_stray_figure(text):
    assert any(p.search(text) for p in (STATED, ASSIGNED, REMEDIES, REPORT_DATES))
