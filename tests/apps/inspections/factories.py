"""Inspections test data: items, a small entity directory, inspectors and a rule set."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.inspections.models import (
    EntityStatus,
    EntityType,
    InspectionItem,
    InspectionRuleSet,
    Inspector,
    MarketEntity,
)
from gongkai.apps.inspections.services import item_create, ruleset_create, task_create
from gongkai.domain.codes import make_uscc
from gongkai.domain.draws.sources import SourceSpec

DISTRICTS = ["东城区", "西城区", "高新区"]


def uscc_for(n: int) -> str:
    return make_uscc("9", "1", "139900", f"{10000000 + n:08d}")


def make_entities(n: int, *, start: int = 0) -> list[MarketEntity]:
    rows = []
    for i in range(start, start + n):
        h = hashlib.sha256(str(i).encode()).digest()
        rows.append(
            MarketEntity(
                uscc=uscc_for(i),
                name=f"测试市{i:04d}商贸有限公司",
                entity_type=EntityType.ENTERPRISE,
                district=DISTRICTS[h[0] % 3],
                industry="FHCI"[h[1] % 4],
                risk_class="ABCD"[h[2] % 4],
                status=EntityStatus.ACTIVE,
            )
        )
    return MarketEntity.objects.bulk_create(rows)


def make_inspectors(agency, n: int, *, prefix: str | None = None) -> list[Inspector]:
    prefix = prefix or agency.code.upper()
    return [
        Inspector.objects.create(
            agency=agency,
            name=f"执法员{i}",
            certificate_no=f"{prefix}{i:04d}",
            residence_district=DISTRICTS[i % 3] if i % 4 == 0 else "",
        )
        for i in range(n)
    ]


def make_item(agency, code: str = "", **kw: Any) -> InspectionItem:
    return item_create(
        actor=SYSTEM,
        agency=agency,
        code=code or f"{agency.code}-001",
        name=kw.pop("name", "企业年度报告公示情况检查"),
        legal_basis=kw.pop("legal_basis", "《企业信息公示暂行条例》第十四条"),
        object_type="企业",
        ratio_text="不低于5%",
        frequency="每年1次",
        level=kw.pop("level", "general"),
    )


def make_ruleset(agency=None, **kw: Any) -> InspectionRuleSet:
    data = {
        "name": "测试细则",
        "ratio_a": "0.05",
        "ratio_b": "0.1",
        "ratio_c": "0.2",
        "ratio_d": "0.5",
        "standby_ratio": "0.1",
        "valid_from": dt.date(2018, 1, 1),
    }
    data.update(kw)
    return ruleset_create(actor=SYSTEM, agency=agency, **data)


def sources(on: dt.date) -> list[SourceSpec]:
    return [
        SourceSpec(
            "双色球第2026138期红球",
            "中国福利彩票发行管理中心开奖公告",
            on.isoformat(),
            count=6,
            minimum=1,
            maximum=33,
        ),
        SourceSpec("双色球第2026138期蓝球", "同上", on.isoformat(), count=1, minimum=1, maximum=16),
    ]


OBSERVED = ["3 9 16 21 27 33", "7"]


@dataclass
class Setup:
    world: Any
    item: InspectionItem
    ruleset: InspectionRuleSet
    entities: list[MarketEntity]
    inspectors: list[Inspector]
    extra: dict[str, Any] = field(default_factory=dict)

    def task(self, **kw: Any):
        data = {
            "actor": self.world.officer_a,
            "agency": self.world.dept_a,
            "title": "2026年度第一批企业公示信息抽查",
            "year": 2026,
            "items": [self.item],
            "ruleset": self.ruleset,
            "check_start": dt.date(2026, 11, 2),
            "check_end": dt.date(2026, 11, 20),
        }
        data.update(kw)
        return task_create(**data)


def make_setup(world, *, entities: int = 120, inspectors: int = 6) -> Setup:
    return Setup(
        world=world,
        item=make_item(world.dept_a),
        ruleset=make_ruleset(),
        entities=make_entities(entities),
        inspectors=make_inspectors(world.dept_a, inspectors),
    )
