import pytest

from tests.apps.applications.factories import clear_rate_limits


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """A shared Redis cache (the PostgreSQL CI run) is not flushed between tests."""
    clear_rate_limits()
    yield
    clear_rate_limits()
