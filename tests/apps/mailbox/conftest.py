import datetime as dt

import pytest
from django.utils import timezone

from gongkai.apps.accounts.models import Role
from tests.factories import make_staff


@pytest.fixture
def mbw(world):
    """The test city plus a member of the dispatch office (the city government's staff)."""
    world.users["dispatcher"] = make_staff(world.city, Role.OFFICER, username="dispatcher")
    world.users["officer_county"] = make_staff(
        world.county, Role.OFFICER, Role.REVIEWER, username="officer_county"
    )
    return world


@pytest.fixture
def frozen_now(clock_at):
    """Stop the clock at a local time: ``frozen_now(dt.datetime(...))``."""

    def freeze(local: dt.datetime) -> dt.datetime:
        return clock_at(timezone.make_aware(local), tick=False)

    return freeze
