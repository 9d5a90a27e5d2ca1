"""保障房摇号 services: applicant import, freeze, draw, sequence numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import DrawDocumentKind, LotteryApplicant, LotteryStatus
from gongkai.apps.inspections.selectors import lottery_document
from gongkai.apps.inspections.services import (
    lottery_applicants_import,
    lottery_cancel,
    lottery_create,
    lottery_draw,
    lottery_freeze,
)
from gongkai.apps.inspections.services.documents import document_load
from gongkai.domain.draws.record import verify_record
from tests.apps.inspections.factories import OBSERVED, sources

pytestmark = pytest.mark.django_db
FREEZE, DRAW = dt.date(2026, 11, 27), dt.date(2026, 11, 29)
GOOD = """申请编号,姓名,身份证号码,家庭人口,类别
GZF-001,张小明,11010519491231002X,3,1
GZF-002,李四,440524188001010014,2,一般家庭
GZF-003,欧阳娜娜,53010219200508011X,1,2
"""


@pytest.fixture
def lottery(world):
    return lottery_create(
        actor=world.officer_a,
        agency=world.dept_a,
        title="2026年公租房第一期摇号",
        project="幸福家园",
        year=2026,
        groups=[("1", "优先保障家庭", 1), ("2", "一般家庭", 1)],
    )


def test_import_checks_identity_numbers_and_stores_nothing_on_error(world, lottery):
    bad = GOOD + "GZF-004,王五,110105195001010014,1,2\nGZF-001,赵六,440524188001010014,1,3\n"
    with pytest.raises(InspectionError) as exc:
        lottery_applicants_import(
            actor=world.officer_a, lottery=lottery, content=bad.encode(), file_name="a.csv"
        )
    message = str(exc.value)
    assert "第 5 行：身份证号码校验码错误：应为“2”" in message
    assert "第 6 行：申请编号 GZF-001 重复；同一身份证号码重复申请；类别“3”不存在" in message
    assert not LotteryApplicant.objects.exists()


def test_sequence_numbers_run_on_across_groups_in_announced_order(world, lottery):
    assert (
        lottery_applicants_import(
            actor=world.officer_a, lottery=lottery, content=GOOD.encode(), file_name="a.csv"
        )
        == 3
    )
    lottery = lottery_freeze(
        actor=world.officer_a, lottery=lottery, sources=sources(DRAW), today=FREEZE
    )
    with pytest.raises(InspectionError, match="名单已固化"):
        lottery_applicants_import(
            actor=world.officer_a, lottery=lottery, content=GOOD.encode(), file_name="a.csv"
        )
    lottery = lottery_draw(actor=world.officer_a, lottery=lottery, observed=OBSERVED, today=DRAW)
    assert lottery.status == LotteryStatus.DRAWN
    rows = list(
        lottery.applicants.order_by("sequence").values_list(
            "sequence", "group__code", "group_rank", "is_selected"
        )
    )
    assert rows[0] == (1, "1", 1, True)
    assert [r[1] for r in rows[1:]] == ["2", "2"]
    assert [(r[2], r[3]) for r in rows[1:]] == [(1, True), (2, False)]
    record = document_load(lottery_document(lottery, DrawDocumentKind.RECORD))
    assert verify_record(record, expected_commitment_hash=lottery.commitment_hash).ok
    assert [row[0] for row in record["result"]["groups"][1]["order"]] == list(
        lottery.applicants.filter(group__code="2")
        .order_by("sequence")
        .values_list("application_no", flat=True)
    )


def test_a_drawn_lottery_cannot_be_cancelled(world, lottery):
    lottery_applicants_import(
        actor=world.officer_a, lottery=lottery, content=GOOD.encode(), file_name="a.csv"
    )
    lottery = lottery_draw(
        actor=world.officer_a,
        lottery=lottery_freeze(
            actor=world.officer_a, lottery=lottery, sources=sources(DRAW), today=FREEZE
        ),
        observed=OBSERVED,
        today=DRAW,
    )
    with pytest.raises(InspectionError, match="不能撤销"):
        lottery_cancel(actor=world.officer_a, lottery=lottery, reason="x")
    lottery.refresh_from_db()
    assert lottery.status == LotteryStatus.DRAWN


def test_an_empty_lottery_cannot_be_frozen(world, lottery):
    with pytest.raises(InspectionError, match="没有参加摇号的申请人"):
        lottery_freeze(actor=world.officer_a, lottery=lottery, sources=sources(DRAW), today=FREEZE)
    lottery.refresh_from_db()
    assert lottery.status == LotteryStatus.DRAFT and not lottery.documents.exists()


def test_a_frozen_lottery_waits_in_the_work_queue(world, lottery):
    from gongkai.apps.inspections.workqueue import inspections_workqueue

    lottery_applicants_import(
        actor=world.officer_a, lottery=lottery, content=GOOD.encode(), file_name="a.csv"
    )
    lottery_freeze(actor=world.officer_a, lottery=lottery, sources=sources(DRAW), today=FREEZE)
    sections = {s.key: s for s in inspections_workqueue(world.officer_a)}
    assert sections["inspections-lotteries"].items[0].title == "2026年公租房第一期摇号"
    assert "inspections-lotteries" not in {s.key for s in inspections_workqueue(world.officer_b)}


def test_a_commitment_changed_after_freeze_stops_the_draw(world, lottery):
    """The stored list must still hash to the commitment published at freeze."""
    import gzip
    import json

    lottery_applicants_import(
        actor=world.officer_a, lottery=lottery, content=GOOD.encode(), file_name="a.csv"
    )
    lottery = lottery_freeze(
        actor=world.officer_a, lottery=lottery, sources=sources(DRAW), today=FREEZE
    )
    stored = lottery.documents.get(kind=DrawDocumentKind.COMMITMENT)
    doc = document_load(stored)
    doc["title"] = doc.get("title", "") + "（改）"
    stored.content = gzip.compress(json.dumps(doc, ensure_ascii=False).encode())
    stored.save()
    with pytest.raises(InspectionError, match="承诺哈希不符，摇号已停止"):
        lottery_draw(actor=world.officer_a, lottery=lottery, observed=OBSERVED, today=DRAW)
    lottery.refresh_from_db()
    assert lottery.status == LotteryStatus.FROZEN
    assert not lottery.documents.filter(kind=DrawDocumentKind.RECORD).exists()
