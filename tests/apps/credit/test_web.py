"""What people receive: public pages, feed, CSV and API show only published, masked,
unexpired records; the back office and the API write with CSRF enforced or a token."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from gongkai import clock
from gongkai.apps.accounts.services import api_token_create
from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.credit.models import CreditRecord, ListEntry
from gongkai.apps.credit.services import record_save, records_expire
from gongkai.domain.credit import CreditState
from tests.apps.credit.factories import (
    company_uscc,
    licence_row,
    penalty_row,
    person_id,
    person_row,
)

pytestmark = pytest.mark.django_db

ID = person_id("19800101")


def save(world, row, kind="penalty", **kw):
    return record_save(
        actor=world.officer_a,
        agency=world.dept_a,
        kind=kind,
        raw=row,
        channel="form",
        now=clock.now(),
        **kw,
    ).record


def form_values(row):
    """The form's selects send values, not labels."""
    return {**row, "party_kind": "org", "severity": "general"}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_public_pages_show_masked_people_and_never_the_id(world):
    save(world, person_row(world.dept_a, id_number=ID))
    save(world, penalty_row(world.dept_a, n=2))
    c = Client()
    for url in ("/credit/", "/credit/?q=张", "/credit/feed.xml", "/credit/export.csv"):
        body = page(c, url)
        assert "张三丰" not in body and ID not in body and ID[6:14] not in body, url
    assert "张*丰" in page(c, "/credit/")
    csv_body = page(c, "/credit/export.csv")
    assert "张*丰" in csv_body and "测试市第2食品有限公司" in csv_body
    api = json.loads(page(c, "/api/credit/records?q=张"))
    assert api["count"] == 1 and api["results"][0]["party_name"] == "张*丰"
    assert ID not in json.dumps(api, ensure_ascii=False)


def test_search_by_uscc_and_the_entity_page(world):
    save(world, penalty_row(world.dept_a, n=3))
    save(world, licence_row(world.dept_a, n=3), kind="licence")
    code = company_uscc(3)
    c = Client()
    body = page(c, f"/credit/?q={code}")
    assert "测交罚〔2026〕3号" in body and "测交许〔2026〕3号" in body
    entity = page(c, f"/credit/entity/{code}/")
    assert "行政许可（1）" in entity and "行政处罚（1）" in entity and "双随机抽查结果" in entity
    assert c.get("/credit/entity/91350200M000000510/").status_code == 404
    api = json.loads(page(c, f"/api/credit/entities/{code}"))
    assert {r["kind"] for r in api} == {"licence", "penalty"}


def test_minors_drafts_and_expired_records_appear_nowhere(world, clock_at):
    save(world, person_row(world.dept_a, n=5, id_number=person_id("20100101")))
    save(world, penalty_row(world.dept_a, n=6), publish=False)
    expiring = save(world, penalty_row(world.dept_a, n=7))
    c = Client()
    body = page(c, "/credit/")
    assert "测交罚〔2026〕5号" not in body and "测交罚〔2026〕6号" not in body
    assert "测交罚〔2026〕7号" in body
    clock_at(dt.date(2027, 11, 20))
    # even before the job has run, nothing past its period is shown
    for url in (
        "/credit/",
        "/credit/feed.xml",
        "/credit/export.csv",
        f"/credit/entity/{company_uscc(7)}/",
        "/api/credit/records",
    ):
        c.get(url)
        assert "测交罚〔2026〕7号" not in c.get(url).content.decode(), url
    assert c.get(expiring.get_absolute_url()).status_code == 404
    records_expire(now=clock.now(), actor=SYSTEM)
    expiring.refresh_from_db()
    assert expiring.state == CreditState.EXPIRED


def test_red_and_black_lists(world):
    ListEntry.objects.create(
        kind="black",
        agency=world.dept_a,
        name="某失信公司",
        uscc=company_uscc(9),
        basis="拒不履行行政处罚决定",
        listed_on=dt.date(2026, 1, 5),
        until=dt.date(2029, 1, 4),
        created_at=clock.now(),
    )
    body = page(Client(), "/credit/lists/black/")
    assert "某失信公司" in body and "拒不履行行政处罚决定" in body
    assert "某失信公司" not in page(Client(), "/credit/lists/red/")


def test_back_office_form_with_csrf_and_the_day_by_day_deadline(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.officer_a)
    form_page = c.get("/backoffice/credit/new/penalty/")
    assert form_page.status_code == 200
    token = form_page.cookies["csrftoken"].value
    row = form_values(penalty_row(world.dept_a, n=11))
    refused = c.post("/backoffice/credit/new/penalty/", row)
    assert refused.status_code == 403
    response = c.post("/backoffice/credit/new/penalty/", {**row, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    record = CreditRecord.objects.get(doc_number="测交罚〔2026〕11号")
    assert record.state == CreditState.DRAFT
    detail = page(c, response["Location"])
    assert "第7个工作日" in detail and "不计入" in detail
    c.post(f"/backoffice/credit/{record.pk}/publish/", {"csrfmiddlewaretoken": token})
    record.refresh_from_db()
    assert record.state == CreditState.PUBLISHED


def test_back_office_form_shows_field_errors_in_chinese(world):
    c = Client()
    c.force_login(world.officer_a)
    body = c.post(
        "/backoffice/credit/new/penalty/",
        form_values(penalty_row(world.dept_a, uscc="91350200M000000510")),
    ).content.decode()
    assert "统一社会信用代码校验码错误" in body
    assert not CreditRecord.objects.exists()


def test_other_agency_cannot_see_or_act(world):
    record = save(world, penalty_row(world.dept_a), publish=False)
    c = Client()
    c.force_login(world.officer_b)
    assert c.get(record.get_backoffice_url()).status_code == 403
    c.post(f"/backoffice/credit/{record.pk}/publish/")
    record.refresh_from_db()
    assert record.state == CreditState.DRAFT
    anonymous = Client()
    assert anonymous.get("/backoffice/credit/").status_code == 302


def test_api_push_with_agency_token_is_idempotent(world):
    _token, key = _token_for(world)
    c = Client(enforce_csrf_checks=True)
    body = {
        "kind": "penalty",
        "fields": {
            "行政相对人名称": "测试市第8食品有限公司",
            "行政相对人类别": "法人及非法人组织",
            "统一社会信用代码": company_uscc(8),
            "法定代表人": "王五",
            "决定文书名称": "行政处罚决定书",
            "行政处罚决定书文号": "测交罚〔2026〕8号",
            "处罚类别": "罚款",
            "违法行为类型": "超限",
            "违法事实": "超限运输",
            "处罚依据": "《公路法》",
            "处罚内容": "罚款",
            "处罚决定日期": "2026-11-25",
            "情节": "一般",
        },
    }
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    first = c.post(
        "/api/credit/records",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        **headers,
    )
    assert first.status_code == 200, first.content
    assert first.json()["outcome"] == "created" and first.json()["state"] == "published"
    again = c.post(
        "/api/credit/records",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        **headers,
    )
    assert again.json()["outcome"] == "unchanged"
    body["fields"]["统一社会信用代码"] = "91350200M000000510"
    body["fields"]["行政处罚决定书文号"] = "测交罚〔2026〕9号"
    bad = c.post(
        "/api/credit/records",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["field"] == "统一社会信用代码"
    assert CreditRecord.objects.count() == 1
    session = Client(enforce_csrf_checks=True)
    session.force_login(world.officer_a)
    assert (
        session.post(
            "/api/credit/records", json.dumps(body), content_type="application/json"
        ).status_code
        == 403
    )


def test_api_token_of_another_role_is_refused(world):
    _token, key = _token_for(world, user=world.reviewer_a)
    response = Client().post(
        "/api/credit/records",
        json.dumps({"kind": "penalty", "fields": {}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 403


def _token_for(world, user=None):
    from django.db import transaction

    with transaction.atomic():
        return api_token_create(actor=world.admin, user=user or world.officer_a, name="执法系统")


def test_entity_page_lists_red_before_black_and_only_entries_in_force(
    world, django_assert_max_num_queries
):
    save(world, penalty_row(world.dept_a, n=11))
    code = company_uscc(11)
    common = {"agency": world.dept_a, "name": "某公司", "uscc": code, "created_at": clock.now()}
    today = clock.today()
    for kind, basis, until, active in (
        ("black", "拒不履行行政处罚决定", today + dt.timedelta(days=30), True),
        ("red", "纳税信用A级", None, True),
        ("black", "已届满的失信记录", today - dt.timedelta(days=1), True),
        ("red", "已撤销的守信记录", None, False),
    ):
        ListEntry.objects.create(
            kind=kind,
            basis=basis,
            listed_on=today - dt.timedelta(days=90),
            until=until,
            active=active,
            **common,
        )
    client = Client()
    page(client, "/credit/")  # the site settings, cached for every page
    # the record ids by code, the public ones among them (their name too), the inspections,
    # both lists in one statement
    with django_assert_max_num_queries(4):
        body = page(client, f"/credit/entity/{code}/")
    name = CreditRecord.objects.get(uscc=code).public_name
    assert f"<h1>{name}</h1>" in body  # named by its public record
    assert "纳税信用A级" in body and "拒不履行行政处罚决定" in body
    assert body.index("纳税信用A级") < body.index("拒不履行行政处罚决定")  # red first
    assert "已届满的失信记录" not in body and "已撤销的守信记录" not in body


def test_a_record_page_reads_its_record_in_one_statement_without_ordering(world):
    """The record is found by its key: no ORDER BY is built for it; a record not public is
    not found."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    save(world, penalty_row(world.dept_a, n=12))
    record = CreditRecord.objects.get(uscc=company_uscc(12))
    client = Client()
    page(client, "/credit/")  # the site settings, cached for every page
    with CaptureQueriesContext(connection) as queries:
        body = page(client, f"/credit/records/{record.pk}/")
    assert record.public_name in body
    reads = [q["sql"] for q in queries if "credit_creditrecord" in q["sql"]]
    assert len(reads) == 1 and "ORDER BY" not in reads[0].upper()
    CreditRecord.objects.filter(pk=record.pk).update(state=CreditState.REVOKED)
    assert client.get(f"/credit/records/{record.pk}/").status_code == 404
