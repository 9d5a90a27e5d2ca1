"""Public pages: document page, lists, search page, feeds, sitemap — content, meta tags,
permissions and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.apps.catalog import services
from gongkai.apps.catalog.models import Column
from gongkai.apps.catalog.search.indexing import index_flush
from tests.apps.catalog.factories import aware, column, draft, genre, published, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(world, fresh_index):
    policy = published(
        world.dept_a,
        title="示例市城市公共交通发展办法",
        body="<p>为促进城市公共交通优先发展，制定本办法。</p>",
        doc_number="示交发〔2023〕5号",
        when=aware(2023, 4, 1),
        keywords="公共交通 公交优先",
    )
    interp = published(
        world.dept_a,
        title="《示例市城市公共交通发展办法》政策解读",
        column=Column.objects.get(slug="interpretation"),
        interprets=policy,
        interpretation_form="text",
        when=aware(2023, 4, 2),
    )
    other = published(
        world.dept_b,
        title="关于做好中小学校舍安全工作的通知",
        column=column("key-jy"),
        topic=topic("科技、教育\\教育"),
        genre=genre("公告"),
        when=aware(2022, 9, 1),
    )
    index_flush()
    return {"policy": policy, "interp": interp, "other": other}


def test_document_page_has_metadata_meta_tags_and_both_links(client, docs):
    html = client.get(docs["policy"].get_absolute_url()).content.decode()
    for text in (
        "索引号",
        docs["policy"].index_no,
        "示交发〔2023〕5号",
        "2023年4月1日",
        "有效",
        "相关解读",
    ):
        assert text in html
    for name, value in (
        ("ColumnName", "（一）行政法规、规章和规范性文件"),
        ("ColumnType", "法定主动公开内容"),
        ("ArticleTitle", "示例市城市公共交通发展办法"),
        ("ContentSource", "测试市交通运输局"),
        ("SiteName", ""),
    ):
        assert f'<meta name="{name}" content="{value}' in html
    assert docs["interp"].get_absolute_url() in html
    back = client.get(docs["interp"].get_absolute_url()).content.decode()
    assert docs["policy"].get_absolute_url() in back


def test_document_page_query_count_is_fixed(client, docs, django_assert_max_num_queries):
    client.get(docs["policy"].get_absolute_url())  # warm caches (site settings)
    with django_assert_max_num_queries(12):
        assert client.get(docs["policy"].get_absolute_url()).status_code == 200


def test_unpublished_and_withdrawn_documents_are_not_public(client, world, docs):
    doc = draft(world.officer_a, world.dept_a)
    assert client.get(doc.get_absolute_url()).status_code == 404
    services.document_withdraw(actor=world.reviewer_b, document=docs["other"], reason="误发")
    assert client.get(docs["other"].get_absolute_url()).status_code == 404


def test_lists_by_column_agency_topic_genre_year(client, world, docs):
    policy = docs["policy"]
    pages = [
        f"/catalog/columns/{policy.column.slug}/",
        "/catalog/columns/statutory/",
        f"/catalog/agencies/{world.dept_a.code}/",
        f"/catalog/topics/{policy.topic_id}/",
        f"/catalog/genres/{policy.genre_id}/",
        "/catalog/years/2023/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert policy.title in html, url
        assert docs["other"].title not in html, url
    browse = client.get("/catalog/").content.decode()
    assert "按栏目" in browse and "2023年" in browse


def test_list_page_query_count(client, world, docs):
    url = f"/catalog/agencies/{world.dept_a.code}/"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) <= 14, [q["sql"][:120] for q in ctx.captured_queries]


def test_search_page_finds_by_two_words_and_by_doc_number(client, docs):
    html = client.get("/search/", {"q": "公共交通 优先"}).content.decode()
    assert docs["policy"].get_absolute_url() in html and "<mark>公共交通</mark>" in html
    html = client.get("/search/", {"q": "示交发[2023]5号"}).content.decode()
    assert "发文字号或索引号完全一致的文件" in html and docs["policy"].get_absolute_url() in html


def test_search_page_without_results_suggests(client, docs):
    html = client.get("/search/", {"q": "公共交通 航天飞机"}).content.decode()
    assert "没有找到相关的政府信息" in html and "只搜索“公共交通”" in html


def test_search_page_query_count(client, docs):
    client.get("/search/", {"q": "公共交通"})
    with CaptureQueriesContext(connection) as ctx:
        client.get("/search/", {"q": "公共交通", "year": "2023"})
    assert len(ctx.captured_queries) <= 12, [q["sql"][:120] for q in ctx.captured_queries]


def test_feeds_per_column_and_agency(client, world, docs):
    rss = client.get(f"/catalog/agencies/{world.dept_a.code}/feed.rss")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert docs["policy"].title in rss.content.decode()
    atom = client.get("/catalog/columns/interpretation/feed.atom").content.decode()
    assert "<feed" in atom and docs["interp"].get_absolute_url() in atom
    assert docs["policy"].get_absolute_url() not in atom


def test_sitemap_lists_documents(client, docs):
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-documents-1.xml" in index
    part = b"".join(client.get("/sitemap-documents-1.xml").streaming_content).decode()
    assert docs["policy"].get_absolute_url() in part


def test_attachment_of_a_draft_is_only_for_its_agency(client_for, world):
    doc = draft(world.officer_a, world.dept_a, attachments=[("说明.txt", "内部说明".encode())])
    att = doc.attachments.get()
    url = att.get_absolute_url()  # the original, in the back office
    public = f"/catalog/documents/{doc.pk}/files/{att.pk}/{att.filename}"
    assert client_for(None).get(public).status_code == 404
    assert client_for(world.officer_a).get(public).status_code == 404  # no rendition: a draft
    assert client_for(None).get(url).status_code == 302  # to the login page
    assert client_for(world.officer_b).get(url).status_code in (403, 404)
    assert client_for(world.officer_a).get(url).status_code == 200
    assert client_for(world.supervisor).get(url).status_code == 200


def test_the_gazette_and_budget_columns_count_what_they_show(client, world):
    import datetime as dt
    import re

    from gongkai.apps.catalog.models import GazetteIssue
    from tests.apps.catalog.factories import column, published

    for number in (1, 2, 3):
        GazetteIssue.objects.create(
            agency=world.city,
            year=2026,
            number=number,
            published_on=dt.date(2026, number, 28),
            is_published=True,
        )
    GazetteIssue.objects.create(
        agency=world.city, year=2026, number=4, published_on=dt.date(2026, 4, 28)
    )
    published(world.dept_a, title="测试市交通运输局2026年部门预算", column=column("key-czyjs"))
    published(world.dept_a, title="测试市交通运输局2025年度部门决算", column=column("key-czyjs"))
    html = client.get("/catalog/").content.decode()

    def count(slug):
        found = re.search(
            rf'href="/catalog/columns/{slug}/">[^<]+</a> <span class="count">(\d+)', html
        )
        return int(found.group(1))

    assert count("gazette") == 3  # published issues
    assert count("key-czyjs") == 2
    assert count("statutory-yjs") == 2  # 条例第二十条（七）: the same documents
    response = client.get("/catalog/columns/statutory-yjs/")
    assert response.status_code == 302 and response.url == "/catalog/columns/key-czyjs/"
