"""The demo city's 双随机一公开: registers, 2018 draws, current tasks in every state, lottery."""

from __future__ import annotations

import pytest

from gongkai import clock
from gongkai.apps.audit.services import audit_verify
from gongkai.apps.inspections.models import (
    DrawDocumentKind,
    DrawSelection,
    HousingLottery,
    InspectionItem,
    InspectionTask,
    LotteryStatus,
    MarketEntity,
    TaskStatus,
)
from gongkai.apps.inspections.services.documents import document_load
from gongkai.demo.world import demo_load
from gongkai.domain.codes import is_valid_uscc
from gongkai.domain.draws.record import verify_record

STEPS = [
    "网站设置",
    "机关名录",
    "工作人员和申请人账户",
    "双随机一公开：一单两库一细则",
    "双随机一公开：2018年抽查与结果",
    "双随机一公开：本年度抽查任务",
    "保障房摇号",
]


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_inspections(client):
    assert demo_load(only=STEPS) == STEPS
    assert InspectionItem.objects.count() == 597  # the seed city's 随机抽查事项清单
    assert MarketEntity.objects.count() == 20_000
    assert all(is_valid_uscc(u) for u in MarketEntity.objects.values_list("uscc", flat=True)[:2000])
    assert set(InspectionTask.objects.values_list("status", flat=True)) == set(TaskStatus.values)
    in_2018 = InspectionTask.objects.filter(year=2018)
    assert in_2018.exists() and set(in_2018.values_list("status", flat=True)) == {
        TaskStatus.PUBLISHED
    }
    today = clock.today()
    overdue = [
        t
        for t in InspectionTask.objects.filter(status=TaskStatus.DRAWN)
        if t.due_date and t.due_date < today
    ]
    assert overdue, "the demo shows an overdue task"
    substitutes = DrawSelection.objects.filter(substitute_for__isnull=False)
    assert substitutes.exists(), "the demo shows a standby taking a deregistered entity's place"
    assert all(s.task.status == TaskStatus.DRAWN and not s.is_standby for s in substitutes)
    for task in InspectionTask.objects.exclude(record_hash="")[:8]:
        record = document_load(task.documents.get(kind=DrawDocumentKind.RECORD))
        assert verify_record(record, expected_commitment_hash=task.commitment_hash).ok
    assert set(HousingLottery.objects.values_list("status", flat=True)) == {
        LotteryStatus.DRAWN,
        LotteryStatus.FROZEN,
    }
    assert audit_verify().ok
    assert demo_load(only=STEPS) == []  # idempotent
    for login in ("gsj_zy", "zljdj_zy", "zjj_zy"):
        assert (
            client.post(
                "/accounts/login/", {"username": login, "password": "gongkai-demo"}
            ).status_code
            == 302
        )
