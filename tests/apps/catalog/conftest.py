import pytest


@pytest.fixture
def tantivy_engine(settings, tmp_path):
    """A fresh, empty tantivy index for one test."""
    from gongkai.apps.catalog.search.tantivy_engine import TantivyEngine

    return TantivyEngine(tmp_path / "search")
