import pytest


@pytest.fixture
def fresh_search_index(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    return settings
