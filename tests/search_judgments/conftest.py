import pytest


@pytest.fixture
def fresh_search_index(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    from gongkai.apps.catalog.selectors.search import vocab_forget
    from gongkai.apps.searchwords import selectors, suggest

    vocab_forget()
    selectors.forget()
    suggest.forget()
    yield settings
    vocab_forget()
    selectors.forget()
    suggest.forget()
