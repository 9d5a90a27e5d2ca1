"""The daily exchange: new, changed and withdrawn records in CSV, JSON and XML with the
national names, logged, masked, and byte-identical when the day is exported again."""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree

import pytest
from django.test import Client

from gongkai import clock
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.credit.models import ExchangeBatch
from gongkai.apps.credit.services import record_revoke, record_save
from tests.apps.credit.factories import penalty_row, person_id, person_row

pytestmark = pytest.mark.django_db


def save(world, row):
    return record_save(
        actor=world.officer_a,
        agency=world.dept_a,
        kind="penalty",
        raw=row,
        channel="api",
        now=clock.now(),
    ).record


def test_a_day_in_three_formats_byte_identical_on_re_export(world, clock_at):
    clock_at(dt.date(2026, 11, 27))
    first = save(world, penalty_row(world.dept_a, n=1))
    save(world, person_row(world.dept_a, n=2, id_number=person_id("19800101")))
    save(world, person_row(world.dept_a, n=3, id_number=person_id("20100101")))  # minor
    save(world, penalty_row(world.dept_a, n=1, content="更正后的内容"))  # corrected same day
    other = save(world, penalty_row(world.dept_a, n=4))
    clock_at(dt.date(2026, 11, 28))
    record_revoke(actor=world.officer_a, record=other, reason="复议撤销", now=clock.now())
    clock_at(dt.date(2026, 11, 30))
    c = Client()
    c.force_login(world.supervisor)
    csv_1 = c.get("/backoffice/credit/exchange/2026-11-27.csv")
    assert csv_1.status_code == 200
    text = csv_1.content.decode()
    assert text.splitlines()[0].startswith(
        "操作类型,信息类别,行政相对人名称,行政相对人类别,统一社会信用代码"
    )
    assert "张*丰" in text and "张三丰" not in text and person_id("19800101") not in text
    assert "测交罚〔2026〕3号" not in text  # the minor is not sent at all
    body = json.loads(c.get("/backoffice/credit/exchange/2026-11-27.json").content)
    ops = sorted(r["CZLX"] for r in body["records"])
    assert ops == ["I", "I", "I", "U"]  # the first version was replaced the same day
    changed = next(r for r in body["records"] if r["CZLX"] == "U")
    assert changed["YWSH"] == first.doc_number and changed["NR"] == "更正后的内容"
    xml = c.get("/backoffice/credit/exchange/2026-11-27.xml").content
    root = ElementTree.fromstring(xml)
    assert root.get("SL") == "4" and len(root.findall("JL")) == 4
    revoked = json.loads(c.get("/backoffice/credit/exchange/2026-11-28.json").content)
    assert [r["CZLX"] for r in revoked["records"]] == ["D"]
    assert revoked["records"][0]["CXYY"] == "复议撤销"
    # later changes do not alter a day already exported
    save(world, penalty_row(world.dept_a, n=5))
    assert c.get("/backoffice/credit/exchange/2026-11-27.csv").content == csv_1.content
    batch = ExchangeBatch.objects.get(day=dt.date(2026, 11, 27))
    assert (batch.added, batch.changed, batch.withdrawn) == (3, 1, 0)
    assert AuditEvent.objects.filter(action="credit.exchange").count() == 2
    assert c.get("/backoffice/credit/exchange/2026-11-30.csv").status_code == 404  # not over
    staff = Client()
    staff.force_login(world.officer_a)
    assert staff.get("/backoffice/credit/exchange/2026-11-27.csv").status_code == 403


def test_the_periodic_job_makes_yesterdays_batch(world, clock_at):
    from gongkai.registry import periodic_work

    clock_at(dt.date(2026, 11, 29))
    save(world, penalty_row(world.dept_a, n=1))
    periodic_work["credit.exchange"].run(clock_at(dt.date(2026, 11, 30)))
    assert ExchangeBatch.objects.get(day=dt.date(2026, 11, 29)).added == 1
