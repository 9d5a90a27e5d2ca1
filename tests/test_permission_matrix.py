"""Every route of the site and of the API, as every kind of actor: nothing private leaks and
nothing answers 500.

The routes are read from the URL conf and the OpenAPI schema, so a new page or operation is in
the matrix the day it is added. Each route is filled with the identifiers of records that only
some actors may see — a request for disclosure with its applicant's data, a draft document, an
unpublished letter, all of department A — and every actor who may not see them must not find a
single one of their private strings in what the route returns, whatever its status.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gongkai.api.router import api
from gongkai.apps.accounts.services import api_token_create
from gongkai.apps.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# private strings of department A's records (each unique in the test city)
CASE_SECRETS = ("欧阳秘密", "13700001111", "秘密申请内容甲乙丙丁")
DRAFT_SECRETS = ("未发布文件标题戊己庚",)
LETTER_SECRETS = ("寄信人辛壬", "13911112222", "信件内容癸子丑寅")
SECRETS = {"case": CASE_SECRETS, "draft": DRAFT_SECRETS, "letter": LETTER_SECRETS}

# who may see which (everyone else may not)
ENTITLED = {
    "case": {"officer_a", "reviewer_a", "head_a", "supervisor", "admin", "applicant"},
    "draft": {"officer_a", "reviewer_a", "head_a", "norole_a", "supervisor", "admin"},
    "letter": {"officer_a", "reviewer_a", "head_a", "norole_a", "supervisor", "admin"},
}
# eleven kinds of actor: sessions of every role, another agency's staff, applicants, tokens
ACTORS = (
    "anonymous",
    "applicant",  # the case's own applicant
    "other_applicant",
    "officer_a",
    "reviewer_a",
    "head_a",
    "norole_a",
    "officer_b",
    "supervisor",
    "admin",
    "token_b",  # department B's officer through a bearer token
)
SKIP = re.compile(r"^(admin/|api/|accounts/logout/|accounts/password/reset/<uidb64>)")


def _site_routes() -> list[str]:
    def walk(patterns: list[Any], prefix: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    routes = sorted(set(walk(get_resolver().url_patterns, "")))
    return [r for r in routes if not SKIP.match(r)]


def _api_routes() -> list[str]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    return sorted(path for path, ops in schema["paths"].items() if "get" in ops)


SITE_ROUTES = _site_routes()
API_ROUTES = _api_routes()


@dataclass
class Scene:
    values: dict[str, list[str]]  # parameter kind -> candidate values
    clients: dict[str, Client]


@pytest.fixture
def scene(world) -> Scene:
    from gongkai.apps.catalog.models import Document
    from tests.apps.applications.factories import person, register
    from tests.apps.catalog.factories import draft
    from tests.apps.mailbox.helpers import write

    case = register(
        world,
        applicant=person(name=CASE_SECRETS[0], phone=CASE_SECRETS[1]),
        description=CASE_SECRETS[2] + "，请予公开",
        applicant_user=world.applicant,
    )
    doc = draft(world.officer_a, world.dept_a, title=DRAFT_SECRETS[0])
    assert Document.objects.filter(pk=doc.pk, title=DRAFT_SECRETS[0]).exists()
    letter = write(
        world.dept_a,
        content=LETTER_SECRETS[2] + "，请回复",
        writer_name=LETTER_SECRETS[0],
        writer_phone=LETTER_SECRETS[1],
    ).letter
    clients: dict[str, Client] = {}
    for actor in ACTORS:
        client = Client()
        if actor == "token_b":
            key = api_token_create(actor=world.officer_b, user=world.officer_b, name="矩阵")[1]
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        elif actor != "anonymous":
            client.force_login(getattr(world, actor))
        clients[actor] = client
    ints = sorted({str(case.pk), str(doc.pk), str(letter.pk)})
    values = {
        "int": ints,
        "int:backoffice/applications": [str(case.pk)],
        "int:backoffice/catalog": [str(doc.pk)],
        "int:backoffice/mailbox": [str(letter.pk)],
        "number": [case.number, letter.number],
        "uuid": [str(case.public_id)],
        "code": ["depta"],
        "slug": ["depta"],
        "year": ["2026"],
        "kind": ["pdf", "docx"],
        "fmt": ["pdf", "docx"],
        "day": ["2026-11-30"],
        "path": ["x"],
        "str": ["x"],
    }
    return Scene(values, clients)


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}")


def _kind(converter: str | None, name: str) -> str:
    if name in ("number", "order_no"):
        return "number"
    if name in ("code",):
        return "code"
    if name == "year":
        return "year"
    if name in ("kind", "fmt", "day"):
        return name
    if converter == "uuid" or name == "public_id":
        return "uuid"
    if converter == "int" or name.endswith("_id") or name in ("pk", "n", "version"):
        return "int"
    return converter or "str"


def _choices(route: str, kind: str, values: dict[str, list[str]]) -> list[str]:
    """Candidates for one parameter: a numeric id in a context's own pages is that context's
    record; elsewhere each of the records in turn."""
    for key, candidates in values.items():
        if key.startswith(kind + ":") and route.lstrip("/").startswith(key.split(":", 1)[1]):
            return candidates
    return values[kind]


def _fills(route: str, values: dict[str, list[str]]) -> list[str]:
    params = list(_PARAM.finditer(route))
    choices = [_choices(route, _kind(m.group(1), m.group(2) or m.group(3)), values) for m in params]
    urls = []
    for combo in itertools.islice(itertools.product(*choices), 6):
        url, at = "", 0
        for match, value in zip(params, combo, strict=True):
            url += route[at : match.start()] + value
            at = match.end()
        urls.append(url + route[at:])
    return urls


def _answered(url: str, response) -> bool:
    """No server error. The health check is the one route whose 503 is an answer (this server
    cannot serve: e.g. no search index built yet in this test process), given as JSON."""
    if url == "/healthz" and response.status_code == 503:
        return response["Content-Type"].startswith("application/json")
    return response.status_code < 500


def _check(scene: Scene, url: str) -> None:
    for actor, client in scene.clients.items():
        response = client.get(url)
        assert _answered(url, response), f"{actor} GET {url} → {response.status_code}"
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        text = body.decode("utf-8", errors="replace")
        for kind, secrets in SECRETS.items():
            if actor in ENTITLED[kind]:
                continue
            leaked = [s for s in secrets if s in text]
            assert not leaked, f"{actor} GET {url} shows {kind} data {leaked}"


def test_the_matrix_covers_the_routes():
    assert len(SITE_ROUTES) > 150 and len(API_ROUTES) > 25


def _chunks(routes: list[str], size: int = 12) -> list[list[str]]:
    # a scene costs more than a dozen requests: routes are checked a dozen per test
    return [routes[i : i + size] for i in range(0, len(routes), size)]


@pytest.mark.parametrize("routes", _chunks(SITE_ROUTES), ids=lambda r: r[0] or "/")
def test_site_routes(scene, routes):
    for route in routes:
        for url in _fills("/" + route, scene.values):
            _check(scene, url)


@pytest.mark.parametrize("routes", _chunks(API_ROUTES), ids=lambda r: r[0])
def test_api_routes(scene, routes):
    for route in routes:
        for url in _fills(route, scene.values):
            _check(scene, url)


def test_the_secrets_are_there_for_those_who_may_see_them(scene, world):
    """The matrix could not fail if the records were invisible to everyone."""
    from gongkai.apps.applications.models import Application

    case = Application.objects.get()
    officer = scene.clients["officer_a"]
    assert CASE_SECRETS[0] in officer.get(f"/backoffice/applications/{case.pk}/").content.decode()
    owner = scene.clients["applicant"]
    assert case.number in owner.get(f"/track/{case.public_id}/").content.decode()
    assert case.number in owner.get("/my/applications/").content.decode()
    listing = officer.get("/backoffice/catalog/").content.decode()
    assert DRAFT_SECRETS[0] in listing
    letters = officer.get("/backoffice/mailbox/").content.decode()
    assert "信件" in letters


def test_wrong_actors_change_nothing_by_posting(scene, world):
    """Every route that takes a POST, sent by actors with no business with department A's
    records: refused (or a form error), never a 500, and no change to anything of department A
    (no audit event in its chain)."""
    events = AuditEvent.objects.filter(agency_id=world.dept_a.pk).count()
    for route in SITE_ROUTES:
        if route.startswith(("accounts/", "apply/", "mailbox/write", "track", "mailbox/query")):
            continue  # public forms: anyone may post them (tested with their pages)
        for url in _fills("/" + route, scene.values)[:3]:
            for actor in ("anonymous", "other_applicant", "officer_b"):
                response = scene.clients[actor].post(url, {"confirm": "1"})
                assert _answered(url, response), f"{actor} POST {url} → {response.status_code}"
    changed = AuditEvent.objects.filter(agency_id=world.dept_a.pk).order_by("id")[events:]
    assert not list(changed.values_list("action", "actor_label"))
