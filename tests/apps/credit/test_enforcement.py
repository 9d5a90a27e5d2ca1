"""行政执法公示: the 执法主体 and their officers (the 双随机 inspector directory) as a visitor
receives them: name, certificate number, agency and area, never the officer's residence or
declared conflicts; the year's decisions and 罚没金额 per body."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gongkai import clock
from gongkai.apps.credit.services import record_save
from gongkai.apps.inspections.models import Inspector, InspectorConflict, MarketEntity
from tests.apps.credit.factories import company_uscc, penalty_row

pytestmark = pytest.mark.django_db


def officers(world):
    on = Inspector.objects.create(
        agency=world.dept_a,
        name="李执法",
        certificate_no="JT130100123",
        districts=["东城区"],
        residence_district="西山县",
        extra_recusal_districts=["北湖镇"],
    )
    Inspector.objects.create(
        agency=world.dept_a, name="赵离岗", certificate_no="JT130100999", is_active=False
    )
    entity = MarketEntity.objects.create(
        uscc=company_uscc(40),
        name="测试市某运输公司",
        entity_type="enterprise",
        district="东城区",
        industry="G",
        risk_class="B",
    )
    InspectorConflict.objects.create(inspector=on, entity=entity, reason="配偶在该公司任职")
    return on


def body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_bodies_and_officers_show_only_what_may_be_public(world):
    officers(world)
    c = Client()
    listing = body(c.get("/credit/enforcement/"))
    assert "测试市交通运输局" in listing
    page = body(c.get(f"/credit/enforcement/{world.dept_a.code}/"))
    assert "李执法" in page and "JT130100123" in page and "东城区" in page
    for private in ("西山县", "北湖镇", "配偶在该公司任职", "测试市某运输公司", "赵离岗"):
        assert private not in page and private not in listing, private
    assert c.get(f"/credit/enforcement/{world.dept_b.code}/").status_code == 404


def test_certificate_look_up_finds_officers_in_post_only(world):
    officers(world)
    c = Client()
    found = body(c.get("/credit/enforcement/", {"no": " jt130100123 "}))
    assert "执法证号 JT130100123 有效：李执法，测试市交通运输局" in found
    assert "西山县" not in found
    gone = body(c.get("/credit/enforcement/", {"no": "JT130100999"}))
    assert "未找到执法证号为“JT130100999”的在岗执法人员" in gone and "赵离岗" not in gone


def test_year_figures_and_amounts_per_body(world, clock_at):
    clock_at(dt.date(2026, 11, 30))
    for n, fine in ((1, "0.5"), (2, "1.25")):
        saved = record_save(
            actor=world.officer_a,
            agency=world.dept_a,
            kind="penalty",
            raw=penalty_row(world.dept_a, n=n, fine_wan=fine, confiscated_wan="0.1"),
            channel="form",
            now=clock.now(),
        )
        assert saved.record is not None, saved.problems
    listing = body(Client().get("/credit/enforcement/", {"year": "2026"}))
    row = listing.split("测试市交通运输局")[1].split("</tr>")[0]
    assert "<td>2</td>" in row and "1.9500" in row
    page = body(Client().get(f"/credit/enforcement/{world.dept_a.code}/"))
    assert "1.9500" in page.split("<td>2026</td>")[1].split("</tr>")[0]
