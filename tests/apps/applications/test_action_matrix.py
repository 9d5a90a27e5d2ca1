"""The permission matrix of every staff action on a case, on the case page and in the API,
enumerated from the one registry: a new action is tested by being registered."""

import datetime as dt
import json
import typing

import pytest

from gongkai.apps.applications.actions import API_ACTIONS, CASE_ACTIONS
from gongkai.apps.applications.models import Application
from gongkai.apps.applications.permissions import ACTION_ROLES
from gongkai.apps.audit.models import AuditEvent
from gongkai.domain.casestates import CaseAction
from tests.apps.applications.factories import clear_rate_limits, register

pytestmark = pytest.mark.django_db

# the case agency's staff, each with one role
ROLE_HOLDERS = {"officer_a": "officer", "reviewer_a": "reviewer", "head_a": "head"}
# others who may never act on the case: (user, page status, API status)
OUTSIDERS = [("norole_a", 403, 403), ("supervisor", 403, 403), ("officer_b", 404, 404)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_rate_limits()
    yield
    clear_rate_limits()


def denied_role_holders(step: CaseAction) -> list[str]:
    return [who for who, role in ROLE_HOLDERS.items() if role not in ACTION_ROLES[step]]


def allowed_role_holders(step: CaseAction) -> list[str]:
    return [who for who, role in ROLE_HOLDERS.items() if role in ACTION_ROLES[step]]


SAMPLES: dict[typing.Any, typing.Any] = {
    str: "1",
    int: 1,
    bool: True,
    dt.date: "2026-01-05",
}


def minimal_payload(schema) -> dict:
    """The schema's required fields with a well-formed value each (so the request reaches the
    permission check instead of failing validation)."""
    payload = {}
    for name, field in schema.model_fields.items():
        if field.is_required():
            payload[name] = SAMPLES[field.annotation]
    return payload


def snapshot(app):
    events = AuditEvent.objects.filter(object_id=str(app.pk), action__startswith="application.")
    return Application.objects.filter(pk=app.pk).values().get(), events.count()


def test_every_step_a_role_may_take_is_registered():
    steps = {spec.step for spec in CASE_ACTIONS.values()}
    # the reject of an extension and the return of a reply are the verdicts of their forms
    assert set(ACTION_ROLES) - steps == {CaseAction.EXTENSION_REJECT, CaseAction.REPLY_RETURN}
    assert all(spec.schema is not None for spec in API_ACTIONS.values())


@pytest.mark.parametrize("key", list(CASE_ACTIONS))
def test_page_action_refused_without_the_steps_role(world, client_for, key):
    spec = CASE_ACTIONS[key]
    app = register(world)
    url = f"/backoffice/applications/{app.pk}/act/{key}/"
    before = snapshot(app)
    refused = [(who, 403) for who in denied_role_holders(spec.step)]
    refused += [(who, status) for who, status, _api in OUTSIDERS]
    for who, status in refused:
        got = client_for(getattr(world, who)).post(url, {}).status_code
        assert got == status, f"{key} as {who}: {got} != {status}"
    assert client_for(None).post(url, {}).status_code == 302  # to the login page
    assert snapshot(app) == before
    for who in allowed_role_holders(spec.step):
        got = client_for(getattr(world, who)).post(url, {}).status_code
        assert got != 403, f"{key} as {who} was refused"


@pytest.mark.parametrize("path", list(API_ACTIONS))
def test_api_action_refused_without_the_steps_role(world, client_for, path):
    spec = API_ACTIONS[path]
    app = register(world)
    url = f"/api/applications/cases/{app.pk}/{path}"
    body = json.dumps(minimal_payload(spec.schema))
    before = snapshot(app)
    refused = [(who, 403) for who in denied_role_holders(spec.step)]
    refused += [(who, status) for who, _page, status in OUTSIDERS]
    for who, status in refused:
        r = client_for(getattr(world, who)).post(url, body, content_type="application/json")
        assert r.status_code == status, f"{path} as {who}: {r.status_code} != {status}"
        if status == 403 and who != "norole_a":
            assert r.json()["detail"].startswith("您没有权限"), r.json()
    r = client_for(None).post(url, body, content_type="application/json")
    assert r.status_code == 401
    assert snapshot(app) == before
    for who in allowed_role_holders(spec.step):
        r = client_for(getattr(world, who)).post(url, body, content_type="application/json")
        # the state may refuse the step, the role does not
        assert not (r.status_code == 403 and r.json()["detail"].startswith("您没有权限")), (
            f"{path} as {who}: {r.json()}"
        )
