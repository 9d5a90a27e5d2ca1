"""The issue's acceptance, as an anonymous visitor receives it:

- a decision entered on a Friday before a holiday shows its publication deadline explained day
  by day on its public page;
- at its expiry date a penalty disappears from every public page, feed, export, API answer and
  search result (by name fragment and by code), and the withdrawal is audited;
- held-out rows (valid and invalid codes, minors, expired periods) are judged as the rules say.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from gongkai import clock
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.credit.models import CreditRecord
from gongkai.apps.credit.services import records_expire
from gongkai.domain.credit import CreditState
from tests.apps.credit.factories import company_uscc, penalty_row, person_id, person_row
from tests.apps.credit.test_importing import _file, as_csv

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """What the visitor reads: JSON answers with their Chinese unescaped."""
    content = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content


def body(response) -> str:
    assert response.status_code == 200
    return text(response)


def test_friday_before_a_holiday_deadline_explained_day_by_day_to_the_public(world, clock_at):
    friday = dt.date(2026, 4, 3)  # 清明节 Saturday 4 to Monday 6 April
    assert friday.weekday() == 4
    clock_at(friday)
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(world.officer_a)
    token = staff.get("/backoffice/credit/new/penalty/").cookies["csrftoken"].value
    row = {
        **penalty_row(world.dept_a, n=21, decided_on=friday.isoformat()),
        "party_kind": "org",
        "severity": "general",
    }
    created = staff.post("/backoffice/credit/new/penalty/", {**row, "csrfmiddlewaretoken": token})
    assert created.status_code == 302
    record = CreditRecord.objects.get(doc_number="测交罚〔2026〕21号")
    staff.post(f"/backoffice/credit/{record.pk}/publish/", {"csrfmiddlewaretoken": token})

    page = body(Client().get(record.get_absolute_url()))
    lines = [
        "决定日期：2026年4月3日（当日不计入）",
        "2026年4月4日（星期六）：清明节，不计入",
        "2026年4月5日（星期日）：清明节，不计入",
        "2026年4月6日（星期一）：清明节，不计入",
        "2026年4月7日（星期二）：第1个工作日",
        "2026年4月11日（星期六）：周末，不计入",
        "2026年4月15日（星期三）：第7个工作日",
    ]
    positions = [page.index(line) for line in lines]
    assert positions == sorted(positions)
    assert "公示期限：2026年4月15日（第7个工作日）" in page and "（在公示期限内）" in page


def test_at_expiry_a_penalty_leaves_every_public_view_and_the_withdrawal_is_audited(
    world, clock_at
):
    from gongkai.apps.credit.services import record_save

    saved = record_save(
        actor=world.officer_a,
        agency=world.dept_a,
        kind="penalty",
        raw=penalty_row(world.dept_a, n=31, party_name="测试市长风货运有限公司"),
        channel="form",
        now=clock.now(),
    )
    record = saved.record
    assert record is not None and record.public_until is not None
    code = company_uscc(31)
    urls = (
        "/credit/",
        "/credit/?q=长风货运",
        "/credit/?q=长",
        f"/credit/?q={code}",
        f"/credit/entity/{code}/",
        "/credit/feed.xml",
        "/credit/export.csv",
        "/credit/export.csv?q=长风货运",
        "/api/credit/records?q=长风货运",
        f"/api/credit/entities/{code}",
        record.get_absolute_url(),
    )
    c = Client()
    clock_at(record.public_until)  # the last day of its period
    for url in urls:
        assert "测交罚〔2026〕31号" in body(c.get(url)), url

    clock_at(record.public_until + dt.timedelta(days=1))  # its expiry date
    for url in urls:
        shown = text(c.get(url))
        assert "测交罚〔2026〕31号" not in shown, url
        assert "长风货运" not in shown.replace('value="长风货运"', ""), url
    assert c.get(record.get_absolute_url()).status_code == 404

    assert records_expire(now=clock.now(), actor=SYSTEM) == 1
    record.refresh_from_db()
    assert record.state == CreditState.EXPIRED and record.withdrawn_at is not None
    event = AuditEvent.objects.get(object_id=str(record.pk), action="credit.expire")
    assert event.actor_id is None and "expired" in str(event.after)


def test_held_out_rows_are_judged_as_the_rules_say(world):
    rows = [
        penalty_row(world.dept_a, n=41, party_name="测试市甲乙贸易有限公司"),  # valid
        penalty_row(world.dept_a, n=42, uscc="91350200M000000510"),  # wrong check digit
        person_row(world.dept_a, n=43, id_number=person_id("20100101")),  # a minor
        penalty_row(  # 2019 regime, general penalty: one year at most, long past
            world.dept_a, n=44, party_name="测试市过期公示有限公司", decided_on="2020-03-02"
        ),
        person_row(world.dept_a, n=45, id_number=person_id("19800101")),  # an adult
        person_row(world.dept_a, n=46, id_number=person_id("19800101")[:-1] + "0"),  # bad ID
    ]
    staff = Client()
    staff.force_login(world.officer_a)
    report = staff.post(
        "/backoffice/credit/import/", {"kind": "penalty", "file": _file("a.csv", as_csv(rows))}
    ).content.decode()
    assert "统一社会信用代码校验码错误" in report

    states = dict(CreditRecord.objects.values_list("doc_number", "state"))
    assert states == {
        "测交罚〔2026〕41号": CreditState.PUBLISHED,
        "测交罚〔2026〕43号": CreditState.WITHHELD,
        "测交罚〔2026〕44号": CreditState.WITHHELD,
        "测交罚〔2026〕45号": CreditState.PUBLISHED,
    }
    c = Client()
    listing = body(c.get("/credit/"))
    export = body(c.get("/credit/export.csv"))
    api = json.dumps(json.loads(body(c.get("/api/credit/records"))), ensure_ascii=False)
    for shown in (listing, export, api):
        assert "测交罚〔2026〕41号" in shown and "测交罚〔2026〕45号" in shown
        for hidden in ("42号", "43号", "44号", "46号", "过期公示", person_id("20100101")):
            assert f"测交罚〔2026〕{hidden}" not in shown and hidden not in shown, hidden
    assert "测试市甲乙贸易有限公司" in body(c.get("/credit/?q=甲乙贸易"))
    assert "测试市过期公示有限公司" not in body(c.get("/credit/?q=过期公示"))
