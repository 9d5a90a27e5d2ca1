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


@pytest.fixture(scope="session", autouse=True)
def _throwaway_data_dir():
    yield
    shutil.rmtree(settings.DATA_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    if "locmem" in settings.CACHES["default"]["BACKEND"]:  # a shared Redis is never flushed
        cache.clear()


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
