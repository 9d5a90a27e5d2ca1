import shutil

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import make_world

# CI machines are small and shared: time limits on examples would make properties flaky,
# never wrong — the properties themselves are unchanged.
hypothesis_settings.register_profile(
    "gongkai",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.load_profile("gongkai")


def _clear_cache_of_this_process() -> None:
    """Empty the cache this test process sees. On a shared Redis only this process's keys
    (its own key prefix) are deleted: other processes' tests keep theirs."""
    from django.core.cache import cache

    if "locmem" in settings.CACHES["default"]["BACKEND"]:
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="session", autouse=True)
def _throwaway_data_dir():
    yield
    shutil.rmtree(settings.DATA_DIR, ignore_errors=True)
    _clear_cache_of_this_process()


@pytest.fixture(autouse=True)
def _clear_cache():
    _clear_cache_of_this_process()


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
