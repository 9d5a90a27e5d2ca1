"""依申请公开 API: intake, status by query code, staff actions — same permissions as the pages."""

import json

import pytest

from gongkai.apps.applications.models import Application
from tests.apps.applications.factories import ID_OK, RELEASED_TXT, clear_rate_limits, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


BASE = "/api/applications/"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def apply_payload(**overrides):
    data = {
        "agency": "depta",
        "applicant": {
            "type": "natural_person",
            "name": "周九",
            "id_number": ID_OK,
            "phone": "13500000000",
        },
        "description": "请求公开2026年公交线网优化方案",
    }
    data.update(overrides)
    return data


def test_online_intake_and_status(world, client):
    r = post(client, BASE, apply_payload())
    assert r.status_code == 201
    body = r.json()
    assert body["number"].startswith("YSQ-") and len(body["query_code"]) == 14
    status = post(
        client, f"{BASE}status", {"number": body["number"], "query_code": body["query_code"]}
    )
    assert status.status_code == 200
    data = status.json()
    assert data["status"] == "registered" and data["status_label"] == "已登记，等待受理"
    assert "周九" not in status.content.decode() and ID_OK not in status.content.decode()
    wrong = post(
        client, f"{BASE}status", {"number": body["number"], "query_code": "AAAA-AAAA-AAAA"}
    )
    assert wrong.status_code == 404


def test_intake_errors_are_chinese_with_field_errors(world, client):
    payload = apply_payload()
    payload["applicant"]["id_number"] = "110105195001010014"
    r = post(client, BASE, payload)
    assert r.status_code == 400
    assert "校验码错误" in r.json()["errors"]["id_number"]
    assert Application.objects.count() == 0
    assert post(client, BASE, apply_payload(agency="nope")).status_code == 400


WHO = ["anonymous", "applicant", "officer_b", "norole_a", "officer_a", "supervisor"]


def as_(world, client_for, who):
    return client_for(None if who == "anonymous" else getattr(world, who))


@pytest.mark.parametrize(
    ("who", "list_status", "detail_status", "accept_status"),
    [
        ("anonymous", 401, 401, 401),
        ("applicant", 403, 403, 403),
        ("officer_b", 200, 404, 404),
        ("norole_a", 403, 403, 403),
        ("officer_a", 200, 200, 200),
        ("supervisor", 200, 200, 403),
    ],
)
def test_staff_endpoint_matrix(world, client_for, who, list_status, detail_status, accept_status):
    app = register(world)
    client = as_(world, client_for, who)
    assert client.get(f"{BASE}cases").status_code == list_status
    assert client.get(f"{BASE}cases/{app.pk}").status_code == detail_status
    before = Application.objects.filter(pk=app.pk).values().get()
    r = post(client, f"{BASE}cases/{app.pk}/accept", {})
    assert r.status_code == accept_status
    if accept_status != 200:
        assert Application.objects.filter(pk=app.pk).values().get() == before


def test_bearer_token_client_runs_a_case(world, client):
    from gongkai.apps.accounts.services import api_token_create

    token = api_token_create(actor=world.officer_a, user=world.officer_a, name="测试")
    key = token[1] if isinstance(token, tuple) else token
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    app = register(world)
    r = client.post(
        f"{BASE}cases/{app.pk}/accept", "{}", content_type="application/json", **headers
    )
    assert r.status_code == 200 and r.json()["state"] == "processing"
    assert "reply_draft" in r.json()["allowed_actions"]
    r = client.post(
        f"{BASE}cases/{app.pk}/reply",
        json.dumps({"decision": "not_exist", "text": "经检索未找到。"}),
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 200 and r.json()["state"] == "review"


def test_staff_actions_end_to_end_and_errors(world, client_for):
    from gongkai.apps.applications import services as svc

    officer, reviewer = client_for(world.officer_a), client_for(world.reviewer_a)
    app = register(world)
    assert post(officer, f"{BASE}cases/{app.pk}/accept", {}).status_code == 200
    r = post(officer, f"{BASE}cases/{app.pk}/extension", {"days": 30, "reason": "量大"})
    assert r.status_code == 400 and "1至20个工作日" in r.json()["detail"]
    r = post(officer, f"{BASE}cases/{app.pk}/correction", {"items": "请写明文号"})
    assert r.status_code == 200 and r.json()["state"] == "correction"
    assert post(officer, f"{BASE}cases/{app.pk}/correction-received", {}).status_code == 200
    svc.application_document_add(
        actor=world.officer_a, application=app, kind="released", files=[("明细.txt", RELEASED_TXT)]
    )
    assert (
        post(
            officer, f"{BASE}cases/{app.pk}/reply", {"decision": "disclosed", "text": "见附件"}
        ).status_code
        == 200
    )
    r = post(officer, f"{BASE}cases/{app.pk}/review", {"approve": True})
    assert r.status_code == 403  # officers do not review
    r = post(reviewer, f"{BASE}cases/{app.pk}/review", {"approve": True})
    assert r.status_code == 200 and r.json()["state"] == "replied"
    assert [letter["title"] for letter in r.json()["letters"]] == [
        "政府信息公开申请补正告知书",
        "政府信息公开申请答复书",
    ]
    r = post(officer, f"{BASE}cases/{app.pk}/delivery", {"method": "email", "ref": "回执20261127"})
    assert r.status_code == 200 and r.json()["state"] == "delivered"


def test_case_list_is_paginated_and_scoped(world, client_for):
    for i in range(3):
        register(world, description=f"第{i}号文件的全文及附件")
    register(world, agency=world.dept_b)
    data = client_for(world.officer_a).get(f"{BASE}cases?page_size=2").json()
    assert data["count"] == 3 and data["pages"] == 2 and len(data["items"]) == 2
    assert {row["agency"] for row in data["items"]} == {"depta"}
    data = client_for(world.supervisor).get(f"{BASE}cases").json()
    assert data["count"] == 4
