import pytest
from django.db import connection

ENGINES = ["tantivy", "postgres"]


@pytest.fixture
def fresh_index(settings, tmp_path):
    """Point the search at an empty tantivy index (or the test database's PostgreSQL table)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    return settings


@pytest.fixture(params=ENGINES)
def engine_name(request, fresh_index):
    """Run a test once per search engine; the PostgreSQL engine only on PostgreSQL (CI's
    second pass), skipping cleanly on SQLite."""
    name = request.param
    if name == "postgres" and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL 全文检索只在 PostgreSQL 数据库上运行")
    fresh_index.GONGKAI_SEARCH_ENGINE = name
    return name


@pytest.fixture
def engine(engine_name):
    from gongkai.apps.catalog.search import get_engine

    return get_engine(engine_name)
