"""What an uncached public page costs: query counts for home, list, document, search and API
pages with the page cache switched off (a signed-in visitor's view, or the first visitor after
a change), and no repeated work per request."""

import pytest

from gongkai.apps.catalog.search.indexing import index_flush
from gongkai.apps.catalog.selectors import browse
from tests.apps.catalog.factories import aware, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached(world, fresh_index, settings, django_capture_on_commit_callbacks):
    settings.GONGKAI_PAGE_CACHE = False
    with django_capture_on_commit_callbacks(execute=True):
        docs = [
            published(
                world.dept_a, title=f"关于做好第{i}批政务公开培训的通知", when=aware(2023, 4, 1 + i)
            )
            for i in range(8)
        ]
    index_flush()
    return docs


def test_home_page_reads_the_catalogue_once_and_in_few_queries(
    client, uncached, monkeypatch, django_assert_max_num_queries
):
    calls = []
    real = browse.home_data
    monkeypatch.setattr(browse, "home_data", lambda **kw: calls.append(1) or real(**kw))
    client.get(uncached[0].get_absolute_url())  # the site settings, cached for every page
    # the first render after a change: the catalogue's five, the other contexts' sections
    with django_assert_max_num_queries(11):
        response = client.get("/")
    assert response.status_code == 200 and len(calls) == 1
    assert "关于做好第7批政务公开培训的通知" in response.content.decode()
    with django_assert_max_num_queries(5):  # every later one, until something changes
        again = client.get("/")
    assert again.content == response.content and len(calls) == 1


def test_list_page_query_count(client, uncached, django_assert_max_num_queries):
    client.get("/catalog/agencies/depta/")
    with django_assert_max_num_queries(6):
        response = client.get("/catalog/agencies/depta/")
    assert "关于做好第3批政务公开培训的通知" in response.content.decode()


def test_document_page_query_count(client, uncached, django_assert_max_num_queries):
    url = uncached[0].get_absolute_url()
    # the first render after a change: the document with its agency, column, topic and genre;
    # joint agencies, files, channels, versions; the documents linking to it (one statement)
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(1):  # every later one: the rendition is kept (ADR 0110)
        assert client.get(url).status_code == 200


def test_document_api_answer_shares_the_page_load(client, uncached, django_assert_num_queries):
    doc = uncached[0]
    client.get(doc.get_absolute_url())
    with django_assert_num_queries(0):  # the page's load of the rendition, kept for both
        data = client.get(f"/api/catalog/documents/{doc.pk}").json()
    assert data["title"] == doc.title


def test_search_page_query_count(client, uncached, django_assert_max_num_queries):
    url = "/search/?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80+%E5%9F%B9%E8%AE%AD"
    client.get(url)
    # the hits and one upsert of the day's count of this query for the editors' view (ADR
    # 0143; no personal data); the columns suggested when nothing is found are not read
    with django_assert_max_num_queries(2):
        response = client.get(url)
    assert "培训" in response.content.decode()


def test_search_page_without_results_suggests_columns(client, uncached):
    from gongkai.apps.catalog.models import Column

    column = Column.objects.order_by("pk").first()
    assert column is not None
    Column.objects.filter(pk=column.pk).update(on_home=True, is_active=True)
    response = client.get("/search/?q=XYZQWV")
    body = response.content.decode()
    assert "没有找到相关的政府信息" in body
    assert f">{column.name}</a>" in body


def test_api_documents_query_count(client, uncached, django_assert_max_num_queries):
    client.get("/api/catalog/documents")
    with django_assert_max_num_queries(2):
        response = client.get("/api/catalog/documents")
    assert response.status_code == 200 and len(response.json()["items"]) == 8
