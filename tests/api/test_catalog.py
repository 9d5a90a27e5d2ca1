"""The catalogue API: list, search, detail and exports; only published documents."""

import csv
import io
import json

import pytest

from gongkai.apps.catalog.search.indexing import index_flush
from tests.apps.catalog.factories import aware, draft, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(world, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    a = published(
        world.dept_a,
        title="关于公布2021年财政预算的通知",
        when=aware(2021, 3, 1),
        doc_number="示交发〔2021〕3号",
    )
    b = published(world.dept_b, title="关于义务教育招生的公告", when=aware(2022, 3, 1))
    draft(world.officer_a, world.dept_a, title="尚未发布的财政预算草稿")
    index_flush()
    return a, b


def test_list_filters_and_pages(client, world, docs):
    data = client.get("/api/catalog/documents", {"agency": world.dept_a.code}).json()
    assert data["total"] == 1 and data["items"][0]["title"] == "关于公布2021年财政预算的通知"
    assert data["items"][0]["published_at"].startswith("2021-03-01")
    assert client.get("/api/catalog/documents", {"per_page": 500}).status_code == 422


def test_search_returns_fragments_and_facets(client, docs):
    data = client.get("/api/catalog/search", {"q": "财政 预算"}).json()
    assert data["total"] == 1
    assert any(f["hit"] for f in data["items"][0]["title_fragments"])
    assert data["facets"]["year"][0]["key"] == "2021"
    exact = client.get("/api/catalog/search", {"q": "示交发【2021】3号"}).json()
    assert [d["id"] for d in exact["exact"]] == [docs[0].pk]
    assert client.get("/api/catalog/search", {"q": " "}).status_code == 400


def test_detail_only_for_published(client, world, docs):
    data = client.get(f"/api/catalog/documents/{docs[0].pk}").json()
    assert data["index_no"] == docs[0].index_no and data["validity"] == "valid"
    hidden = draft(world.officer_a, world.dept_a)
    assert client.get(f"/api/catalog/documents/{hidden.pk}").status_code == 404


def test_exports_csv_and_jsonl_with_import_column_names(client, docs):
    response = client.get("/api/catalog/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["标题"] for r in rows} == {"关于公布2021年财政预算的通知", "关于义务教育招生的公告"}
    assert rows[0]["索引号"] and "发文字号" in rows[0]
    lines = (
        b"".join(client.get("/api/catalog/export.jsonl").streaming_content).decode().splitlines()
    )
    assert len(lines) == 2 and json.loads(lines[0])["标题"]
