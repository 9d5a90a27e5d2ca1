"""表二's 行政许可/行政处罚/行政强制 cells come from the records; the work queue lists late and
due-soon drafts per agency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongkai import clock
from gongkai.apps.credit.services import record_save
from gongkai.apps.credit.workqueue import credit_workqueue
from gongkai.apps.reporting.models import ReportScope
from gongkai.apps.reporting.selectors import report_compute
from tests.apps.credit.factories import licence_row, penalty_row

pytestmark = pytest.mark.django_db


def save(world, row, kind="penalty", agency=None, user=None, **kw):
    saved = record_save(
        actor=user or world.officer_a,
        agency=agency or world.dept_a,
        kind=kind,
        raw=row,
        channel="form",
        now=clock.now(),
        **kw,
    )
    assert saved.record is not None, saved.problems
    return saved.record


def test_table_two_cells_count_the_years_decisions(world):
    for n in range(1, 4):
        save(world, penalty_row(world.dept_a, n=n, decided_on=f"2025-06-0{n}"))
    save(
        world,
        licence_row(world.dept_a, n=1, decided_on="2025-03-01", valid_from="2025-03-01"),
        kind="licence",
    )
    save(world, penalty_row(world.dept_a, n=9, decided_on="2024-12-31"))  # another year
    # a correction counts once
    save(world, penalty_row(world.dept_a, n=1, decided_on="2025-06-01", content="更正"))
    built, _bundle = report_compute(agency=world.dept_a, year=2025, scope=ReportScope.SELF)
    assert built.values[("t2", "penalty", "decisions")] == 3
    assert built.values[("t2", "licensing", "decisions")] == 1
    assert built.values[("t2", "coercion", "decisions")] == 0


def test_work_queue_lists_late_and_due_soon_for_the_agency_only(world, clock_at):
    clock_at(dt.date(2026, 11, 30))
    save(world, penalty_row(world.dept_a, n=1, decided_on="2026-11-10"), publish=False)
    save(world, penalty_row(world.dept_a, n=2, decided_on="2026-11-26"), publish=False)
    save(world, penalty_row(world.dept_a, n=3, decided_on="2026-11-27"))  # published
    sections = {s.key: s for s in credit_workqueue(world.officer_a)}
    assert [i.title for i in sections["credit-late"].items] == [
        "行政处罚 测交罚〔2026〕1号 测试市第1食品有限公司"
    ]
    assert [i.title for i in sections["credit-soon"].items] == [
        "行政处罚 测交罚〔2026〕2号 测试市第2食品有限公司"
    ]
    assert credit_workqueue(world.officer_b) == []
    supervisor = {s.key for s in credit_workqueue(world.supervisor)}
    assert supervisor == {"credit-late", "credit-soon"}


def test_fines_and_confiscations_reach_the_report_draft(world):
    from gongkai.domain.reports.narrative import Context, draft_narrative

    save(world, penalty_row(world.dept_a, n=1, decided_on="2025-06-01", fine_wan="0.5"))
    save(
        world,
        penalty_row(
            world.dept_a, n=2, decided_on="2025-06-02", fine_wan="1.2", confiscated_wan="0.3"
        ),
    )
    built, _bundle = report_compute(agency=world.dept_a, year=2025, scope=ReportScope.SELF)
    assert built.measures["entered.penalty.amount_wan"] == Decimal("2.0000")
    overview = draft_narrative(
        built.fmt, built.values, built.measures, Context(2025, world.dept_a.name, "本机关")
    )["overview"]
    assert "行政处罚决定2件" in overview and "罚没金额2万元" in overview
