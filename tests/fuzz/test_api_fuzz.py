"""Fuzz run of the OpenAPI schema (schemathesis): no input, valid or not, makes the API answer
with a server error. Run in CI by `make fuzz` (.ci/run); a few minutes at most.

Each operation gets generated requests — valid ones and ones that break the schema (negative
testing) — as an anonymous caller and with a bearer token of an officer who holds every case
role, over the small test city with a case, a published document and a letter in it.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from gongkai.config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def bearer(world):
    from gongkai.apps.accounts.models import Role
    from gongkai.apps.accounts.services import api_token_create
    from tests.apps.applications.factories import register
    from tests.apps.catalog.factories import published
    from tests.apps.mailbox.helpers import write
    from tests.factories import make_staff

    user = make_staff(world.dept_a, Role.OFFICER, Role.REVIEWER, Role.HEAD, username="fuzz_a")
    register(world)
    published(world.dept_a)
    write(world.dept_a)
    return {"Authorization": f"Bearer {api_token_create(actor=user, user=user, name='fuzz')[1]}"}


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error(case, bearer):
    case.call_and_validate(checks=[not_a_server_error])
    case.call_and_validate(headers=bearer, checks=[not_a_server_error])
