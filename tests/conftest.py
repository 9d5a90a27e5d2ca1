import datetime as dt
import shutil
from contextlib import ExitStack
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from gongkai import clock
from tests.caches import clear_cache_of_this_process
from tests.factories import make_world

# The moment every test runs at unless it moves the clock itself (``clock_at``): a Monday
# inside the shipped working-day calendar. Set when this file is imported, before collection,
# so module-level constants read the same clock. Django's own timestamps (auto_now, sessions)
# follow it too; CI runs the suite again with the process clock years away (libfaketime) to
# show that nothing reads the wall clock except ``gongkai.clock``.
TEST_NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
clock.set_fixed(TEST_NOW)


def _route_django_through_the_clock() -> None:
    from django.utils import timezone

    timezone.now = clock.now  # noqa: TID251 (the test clock is Django's clock too)


_route_django_through_the_clock()

# CI machines are small and shared: time limits on examples would make properties flaky,
# never wrong — the properties themselves are unchanged.
hypothesis_settings.register_profile(
    "gongkai",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.load_profile("gongkai")


@pytest.fixture(scope="session", autouse=True)
def _throwaway_data_dir():
    yield
    shutil.rmtree(settings.DATA_DIR, ignore_errors=True)
    clear_cache_of_this_process()


@pytest.fixture(autouse=True)
def _clear_cache():
    clear_cache_of_this_process()


def _forget_search_labels() -> None:
    from gongkai.apps.catalog.search import suggest
    from gongkai.apps.catalog.selectors.search import vocab_forget
    from gongkai.apps.searchwords import selectors

    vocab_forget()
    selectors.forget()
    suggest.forget()


@pytest.fixture(autouse=True)
def _fresh_search_labels():
    """Every test sees its own agencies, columns and aliases: the search keeps their labels
    per process for a minute, and a flushed database (browser tests) gives them new ids."""
    _forget_search_labels()
    yield
    _forget_search_labels()


@pytest.fixture(autouse=True)
def _reset_clock():
    yield
    clock.set_fixed(TEST_NOW)


@pytest.fixture
def clock_at():
    """Move the clock for one test: ``clock_at(date)`` (09:00 local) or an aware datetime;
    ``tick=False`` stops it there. Returns the new ``clock.now()``."""
    with ExitStack() as stack:

        def move(at, tick=True):
            stack.enter_context(clock.travel(at, tick=tick))
            return clock.now()

        yield move


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def client_for(client):
    """Log a user in on a fresh client: ``client_for(world.officer_a)``."""
    from django.test import Client

    def login(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return login
