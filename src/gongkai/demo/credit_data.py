"""The demo city's credit records.

2018 at the seed's scale (12.9万 licensing and penalty records sent to the credit platform,
1.1万 red and black list entries): bulk-created, long past their publicity periods, so they
count in the year's figures and show nowhere in public. 2025 as live data: decisions entered
through the same rules as the forms (masked, deadlines and periods computed), most of them
published on time, some late; and this month's drafts for the work queue.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from gongkai.apps.audit.services import audit_record
from gongkai.apps.credit import namesearch, services
from gongkai.apps.credit.importing import insert_records
from gongkai.apps.credit.models import Channel, CreditRecord, ListEntry
from gongkai.apps.inspections.models import MarketEntity
from gongkai.apps.organizations.models import Agency
from gongkai.apps.workcalendar.errors import CalendarEmpty
from gongkai.apps.workcalendar.selectors import calendar_current
from gongkai.domain.codes import id_check_char, make_uscc
from gongkai.domain.credit import CreditAction, CreditState, RecordKind

RECORDS_2018 = 129_000
LIST_ENTRIES_2018 = 11_000
RECORDS_2025 = 4_000

# agency code → (licences, penalties, coercions) weights
AGENCIES = {
    "xzspj": (60, 0, 0),
    "gsj": (6, 10, 1),
    "sypj": (4, 5, 1),
    "ajj": (1, 3, 1),
    "hbj": (1, 3, 1),
    "zljdj": (1, 2, 0),
    "jtj": (3, 4, 0),
    "cgw": (0, 4, 1),
}
CATEGORY = {
    RecordKind.LICENCE: ("普通", "特许", "认可", "核准", "登记"),
    RecordKind.PENALTY: ("警告", "罚款", "没收违法所得", "责令停产停业", "暂扣许可证"),
    RecordKind.COERCION: ("查封场所、设施或者财物", "扣押财物", "冻结存款、汇款"),
}
DOC = {
    RecordKind.LICENCE: ("行政许可决定书", "许"),
    RecordKind.PENALTY: ("行政处罚决定书", "罚"),
    RecordKind.COERCION: ("行政强制决定书", "强"),
}


def _parties(world: Any, n: int) -> list[tuple[str, str]]:
    rows = list(MarketEntity.objects.order_by("pk").values_list("uscc", "name")[:n])
    if not rows:
        rows = [
            (make_uscc("9", "1", "139900", f"{40000000 + i:08d}"), f"示例市第{i}商贸有限公司")
            for i in range(n)
        ]
    return rows


def _plan(rng: Any, agencies: dict[str, Any]) -> list[tuple[Any, RecordKind]]:
    weighted = []
    for code, weights in AGENCIES.items():
        if code not in agencies:
            continue
        for kind, weight in zip(RecordKind, weights, strict=True):
            weighted.extend([(agencies[code], kind)] * weight)
    return weighted


def load(world: Any) -> None:
    agencies = {a.code: a for a in Agency.objects.filter(code__in=list(AGENCIES))}
    if not agencies:
        return
    load_2018(world, agencies)
    load_live(world, agencies)


def load_2018(world: Any, agencies: dict[str, Any]) -> None:
    rng = world.rng_for("credit-2018")
    parties = _parties(world, 20_000)
    plan = _plan(rng, agencies)
    now = dt.datetime(2019, 1, 2, 9, 0, tzinfo=dt.UTC)
    start = dt.date(2018, 1, 1)
    rows = []
    seq: dict[tuple[int, RecordKind], int] = {}
    for _i in range(RECORDS_2018):
        agency, kind = rng.choice(plan)
        uscc, name = rng.choice(parties)
        number = seq[(agency.pk, kind)] = seq.get((agency.pk, kind), 0) + 1
        decided = start + dt.timedelta(days=rng.randrange(365))
        doc_name, char = DOC[kind]
        fine = (
            Decimal(rng.choice((0, 1, 2, 5, 10, 50))) / 10 if kind == RecordKind.PENALTY else None
        )
        rows.append(
            CreditRecord(
                kind=kind.value,
                state=CreditState.EXPIRED,
                agency=agency,
                channel=Channel.DEMO,
                party_name=name,
                party_kind="org",
                uscc=uscc,
                legal_rep="（演示）",
                doc_name=doc_name,
                doc_number=f"示{agency.code}{char}〔2018〕{number}号",
                category=rng.choice(CATEGORY[kind]),
                content=f"{rng.choice(CATEGORY[kind])}（2018年）",
                fine_wan=fine,
                decided_on=decided,
                valid_from=decided if kind == RecordKind.LICENCE else None,
                valid_to=decided.replace(year=2023) if kind == RecordKind.LICENCE else None,
                authority_name=agency.name,
                authority_uscc=agency.uscc or "",
                source_name=agency.name,
                source_uscc=agency.uscc or "",
                severity="" if kind == RecordKind.LICENCE else "general",
                public_name=name,
                public_until=decided.replace(year=2019),
                publicity_note="2018年信用信息，公示期已届满",
                published_at=now,
                withdrawn_at=now,
                withdraw_reason="公示期已届满",
                created_at=now,
                updated_at=now,
            )
        )
    lists = []
    for i in range(LIST_ENTRIES_2018):
        agency = rng.choice(list(agencies.values()))
        uscc, name = parties[i % len(parties)]
        listed = start + dt.timedelta(days=rng.randrange(365))
        black = rng.random() < 0.45
        lists.append(
            ListEntry(
                kind="black" if black else "red",
                agency=agency,
                name=name,
                uscc=uscc,
                basis="拒不履行行政处罚决定" if black else "连续三年纳税信用A级",
                listed_on=listed,
                until=listed.replace(year=listed.year + (3 if black else 2)),
                active=False,
                created_at=now,
            )
        )
    with transaction.atomic():
        insert_records(rows)
        namesearch.index_names({r.public_name for r in rows})
        ListEntry.objects.bulk_create(lists, batch_size=5000)
        audit_record(
            actor=world.actor,
            action=CreditAction.IMPORT,
            object_type="credit.creditrecord",
            object_id="2018",
            object_label="2018年双公示信息（演示数据）",
            after={"created": len(rows), "list_entries": len(lists)},
        )


def _person_id(rng: Any, adult: bool = True) -> str:
    year = rng.randrange(1960, 2000) if adult else rng.randrange(2010, 2012)
    first = (
        f"139902{year}{rng.randrange(1, 13):02d}{rng.randrange(1, 28):02d}{rng.randrange(100, 999)}"
    )
    return first + id_check_char(first)


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚"


def load_live(world: Any, agencies: dict[str, Any]) -> None:
    """2025 decisions and this month's drafts, through the services' own rules."""
    try:
        calendar = calendar_current()
    except CalendarEmpty:
        calendar = None
    rng = world.rng_for("credit-live")
    parties = _parties(world, 5_000)
    plan = _plan(rng, agencies)
    rows = []
    seq: dict[tuple[int, RecordKind], int] = {}
    for _i in range(RECORDS_2025):
        agency, kind = rng.choice(plan)
        number = seq[(agency.pk, kind)] = seq.get((agency.pk, kind), 0) + 1
        decided = dt.date(2025, 1, 2) + dt.timedelta(days=rng.randrange(360))
        doc_name, char = DOC[kind]
        person = kind != RecordKind.LICENCE and rng.random() < 0.15
        raw: dict[str, Any] = {
            "doc_name": doc_name,
            "doc_number": f"示{agency.code}{char}〔2025〕{number}号",
            "category": rng.choice(CATEGORY[kind]),
            "decided_on": decided,
            "authority_name": agency.name,
            "authority_uscc": agency.uscc,
            "source_name": agency.name,
            "source_uscc": agency.uscc,
        }
        if person:
            raw.update(
                party_kind="person",
                party_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                id_type="id",
                id_number=_person_id(rng, adult=rng.random() > 0.02),
            )
        else:
            uscc, name = rng.choice(parties)
            raw.update(party_kind="org", party_name=name, uscc=uscc, legal_rep="（演示）")
        if kind == RecordKind.LICENCE:
            raw.update(
                content=f"准予{raw['category']}许可",
                valid_from=decided,
                valid_to=decided.replace(year=decided.year + 5),
            )
        else:
            raw.update(
                violation_type="违反行政管理秩序",
                facts="（演示）经查……",
                basis="（演示）依据有关法律法规",
                content=f"{raw['category']}",
                severity=rng.choice(("general",) * 6 + ("serious", "minor")),
            )
            if kind == RecordKind.PENALTY:
                raw["fine_wan"] = Decimal(rng.choice((1, 2, 5, 10, 20, 50))) / 10
        checked = services.validate_record(kind, raw, today=world.today)
        if not checked.ok:
            continue
        record = CreditRecord(agency=agency, channel=Channel.DEMO)
        services._apply(record, kind, checked)
        if calendar is not None:
            services.refresh_due(record, calendar)
        late = rng.random() < 0.04
        published_on = (
            record.due_date + dt.timedelta(days=rng.randrange(1, 6))
            if (late and record.due_date)
            else decided + dt.timedelta(days=rng.randrange(0, 5))
        )
        published = dt.datetime.combine(published_on, dt.time(10), tzinfo=dt.UTC)
        record.created_at = record.updated_at = published
        publicity = services.publicity_for(
            kind, decided, record.severity or None, minor=record.minor, valid_to=record.valid_to
        )
        if not publicity.publish:
            record.state = CreditState.WITHHELD
            record.withdraw_reason = publicity.explanation
        elif publicity.until is not None and publicity.until < world.today:
            record.state = CreditState.EXPIRED
            record.published_at = published
            record.withdrawn_at = dt.datetime.combine(
                publicity.until + dt.timedelta(days=1), dt.time(0, 20), tzinfo=dt.UTC
            )
            record.withdraw_reason = f"公示期于{publicity.until}届满"
        else:
            record.state = CreditState.PUBLISHED
            record.published_at = published
        rows.append(record)
    with transaction.atomic():
        insert_records(rows)
        namesearch.index_names({r.public_name for r in rows})
        audit_record(
            actor=world.actor,
            action=CreditAction.IMPORT,
            object_type="credit.creditrecord",
            object_id="2025",
            object_label="2025年双公示信息（演示数据）",
            after={"created": len(rows)},
        )
    # this month's drafts: some late, some due soon (the work queue)
    for i, agency in enumerate(list(agencies.values())[:4]):
        uscc, name = parties[i]
        for j, back in enumerate((14, 6, 2)):
            decided = world.today - dt.timedelta(days=back)
            services.record_save(
                actor=world.actor,
                agency=agency,
                kind=RecordKind.PENALTY,
                channel=Channel.DEMO,
                now=dt.datetime.combine(world.today, dt.time(9), tzinfo=dt.UTC),
                publish=False,
                calendar=calendar,
                raw={
                    "party_kind": "org",
                    "party_name": name,
                    "uscc": uscc,
                    "legal_rep": "（演示）",
                    "doc_name": "行政处罚决定书",
                    "doc_number": f"示{agency.code}罚〔{world.today.year}〕{900 + j}号",
                    "category": "罚款",
                    "violation_type": "违反行政管理秩序",
                    "facts": "（演示）",
                    "basis": "（演示）",
                    "content": "罚款",
                    "fine_wan": "0.5",
                    "decided_on": decided,
                    "severity": "general",
                },
            )
