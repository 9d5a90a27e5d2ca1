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
def frozen_now(monkeypatch):
    """Freeze the clock the services read: ``frozen_now(dt.datetime(...))`` (local time)."""

    def freeze(local: dt.datetime) -> dt.datetime:
        aware = timezone.make_aware(local)
        monkeypatch.setattr(timezone, "now", lambda: aware)
        return aware

    return freeze
