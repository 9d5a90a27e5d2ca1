import shutil

import pytest
from django.conf import settings

from tests.factories import make_world


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
