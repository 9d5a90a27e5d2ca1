"""Every write operation of the API, with CSRF enforced as a browser is: a bearer token writes
without a CSRF token; a session cookie needs one; neither gets in without the other check.

The operations are read from the OpenAPI schema, so a new write operation is covered when it
is added. Real writes through a token (a new case, a step on it, a scan, inspection results,
a hotline order) follow, one of them on a real server.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.test import Client

from gongkai.api.router import api
from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.services import api_token_create
from gongkai.apps.applications.models import Application
from gongkai.apps.audit.models import AuditEvent
from tests.api.test_applications import apply_payload
from tests.apps.applications.factories import register
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _write_operations() -> list[tuple[str, str, list[str]]]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            schemes = [name for item in operation.get("security", []) for name in item]
            if method != "get" and schemes:
                found.append((method.upper(), path, schemes))
    return found


WRITES = _write_operations()


def test_the_schema_lists_the_write_operations():
    assert len(WRITES) == 26  # 21 case steps and intake, inspection results, scan, 3 hotline,
    # a credit decision pushed by a department
    assert sum(1 for _m, _p, s in WRITES if s == ["TokenAuth"]) == 3


@pytest.fixture
def staff(world):
    """One officer of department A holding every case role, with a token."""
    user = make_staff(world.dept_a, Role.OFFICER, Role.REVIEWER, Role.HEAD, username="all_a")
    _token, key = api_token_create(actor=user, user=user, name="测试")
    return user, key


@pytest.fixture
def hotline_key(world):
    """The 12345 centre's account sits in the dispatch office (the city government)."""
    user = make_staff(world.city, Role.OFFICER, username="rx12345")
    return api_token_create(actor=user, user=user, name="12345热线工单推送")[1]


def _url(path: str, case_id: int) -> str:
    return (
        path.replace("{case_id}", str(case_id))
        .replace("{task_id}", "999999")
        .replace("{order_no}", "NO-SUCH-ORDER")
    )


def _csrf_refused(response) -> bool:
    return response.status_code == 403 and "CSRF" in response.content.decode()


def _reached_the_operation(response) -> bool:
    """Past authentication and CSRF: the operation's own answer (done, or its reason in
    Chinese why not: a state that does not allow the step, a missing field, no such task)."""
    return (
        response.status_code not in (401, 405)
        and response.status_code < 500
        and not (_csrf_refused(response))
    )


@pytest.mark.parametrize(
    ("method", "path", "schemes"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES]
)
def test_every_write_takes_a_token_without_csrf_and_a_session_only_with_it(
    world, staff, hotline_key, method, path, schemes
):
    user, key = staff
    if "/hotline/" in path:
        key = hotline_key
    url = _url(path, register(world).pk)
    body = json.dumps({})

    nobody = Client(enforce_csrf_checks=True)
    assert nobody.generic(method, url, body, content_type="application/json").status_code == 401

    token = Client(enforce_csrf_checks=True)
    answer = token.generic(
        method, url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert _reached_the_operation(answer), answer.content.decode()
    if "/hotline/" not in path:
        assert "权限" not in answer.content.decode()

    if "SessionAuth" not in schemes:
        return
    session = Client(enforce_csrf_checks=True)
    session.force_login(user)
    events = AuditEvent.objects.count()
    refused = session.generic(method, url, body, content_type="application/json")
    assert _csrf_refused(refused)
    assert AuditEvent.objects.count() == events  # the write changed nothing
    session.get("/apply/form/")  # a page with a form sets the CSRF cookie
    allowed = session.generic(
        method,
        url,
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=session.cookies["csrftoken"].value,
    )
    assert _reached_the_operation(allowed), allowed.content.decode()


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _intake_payload() -> dict:
    return apply_payload(channel="in_person", submitted_on="2026-11-27")


def test_a_token_registers_a_case_and_takes_its_steps(world, staff):
    _user, key = staff
    client = Client(enforce_csrf_checks=True)
    created = client.post(
        "/api/applications/cases",
        _intake_payload(),
        content_type="application/json",
        **_bearer(key),
    )
    assert created.status_code == 201, created.content.decode()
    case_id = created.json()["id"]
    accepted = client.post(
        f"/api/applications/cases/{case_id}/accept",
        {},
        content_type="application/json",
        **_bearer(key),
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "processing"
    assert Application.objects.get(pk=case_id).officer.username == "all_a"
    scan = client.post(
        "/api/privacy/scan",
        {"text": "联系人张三，电话13912345678"},
        content_type="application/json",
        **_bearer(key),
    )
    assert scan.status_code == 200 and scan.json()["findings"]


def test_a_token_writes_on_a_real_server(world, staff, live_server):
    _user, key = staff
    request = urllib.request.Request(
        f"{live_server.url}/api/applications/cases",
        data=json.dumps(_intake_payload()).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        number = json.loads(response.read())["number"]
    assert Application.objects.filter(number=number).exists()


def test_online_intake_with_a_session_needs_the_csrf_token_and_json(world):
    applicant = Client(enforce_csrf_checks=True)
    applicant.force_login(world.applicant)
    payload = apply_payload()
    forged = applicant.post("/api/applications/", payload, content_type="application/json")
    assert forged.status_code == 403 and "CSRF" in forged.json()["detail"]
    # a cross-site <form enctype="text/plain"> carrying JSON-looking text
    plain = applicant.post("/api/applications/", json.dumps(payload), content_type="text/plain")
    assert plain.status_code == 415 and "application/json" in plain.json()["detail"]
    assert not Application.objects.exists()
    applicant.get("/apply/form/")
    token = applicant.cookies["csrftoken"].value
    ok = applicant.post(
        "/api/applications/", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code == 201
    assert Application.objects.get().applicant_user == world.applicant
    # without a session anyone may apply, and nothing is filed under an account
    anonymous = Client(enforce_csrf_checks=True)
    assert (
        anonymous.post("/api/applications/", payload, content_type="application/json").status_code
        == 201
    )


def test_a_hotline_token_writes_an_order(world, hotline_key):
    from gongkai.apps.mailbox.models import Letter
    from tests.api.test_mailbox import ORDER as order

    response = Client(enforce_csrf_checks=True).post(
        "/api/mailbox/hotline/orders",
        order,
        content_type="application/json",
        **_bearer(hotline_key),
    )
    assert response.status_code == 201, response.content.decode()
    assert Letter.objects.count() == 1


@pytest.mark.parametrize(
    "query", ["page_size=0", "page_size=-5", "page=9223372036854775807", "page=0"]
)
def test_out_of_range_pages_are_refused_not_a_server_error(world, staff, query):
    _user, key = staff
    response = Client().get(f"/api/applications/cases?{query}", **_bearer(key))
    assert response.status_code == 422
    field = query.split("=")[0]
    assert response.json()["message"].startswith(f"参数“{field}”应不")


@pytest.mark.parametrize(
    "url",
    [
        "/api/catalog/documents?per_page=0",
        "/api/catalog/documents?page=9223372036854775807",
        "/api/reports/?per_page=-5",
        "/api/inspections/tasks?page=9223372036854775807",
        "/api/mailbox/letters?page=-1",
    ],
)
def test_public_lists_refuse_out_of_range_pages(world, url):
    assert Client().get(url).status_code == 422
