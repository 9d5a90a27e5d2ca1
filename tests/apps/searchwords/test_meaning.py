"""Aliases, numbers and near misses through the public search page, on both engines."""

import re

import pytest
from django.test import Client

from gongkai.apps.catalog.search.indexing import index_entries
from gongkai.apps.searchwords import selectors, services
from gongkai.apps.searchwords.models import QueryStat, SearchAlias
from gongkai.domain.segment import highlight
from tests.apps.catalog.factories import aware, column, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(world, engine):
    docs = {
        "land": published(
            world.dept_a,
            title="关于青山县2019年第3批次征收土地方案的公告",
            body="<p>经批准，征收土地面积12.5公顷，补偿标准按规定执行。</p>",
            column=column("statutory-fgwj"),
            when=aware(2019, 3, 1),
        ),
        "aid": published(
            world.dept_b,
            title="关于提高最低生活保障标准的通知",
            body="<p>城乡最低生活保障标准每人每月提高50元。</p>",
            column=column("statutory-fgwj"),
            when=aware(2020, 5, 1),
        ),
        "numbers": published(
            world.dept_a,
            title="2018年网站发布信息129396条",
            body="<p>全年网站发布信息129396条，其中政策文件939件。</p>",
            column=column("statutory-fgwj"),
            when=aware(2018, 12, 1),
        ),
        "year": published(
            world.dept_b,
            title="2018年度部门决算",
            body="<p>本部门2018年度决算情况说明。</p>",
            column=column("statutory-fgwj"),
            when=aware(2019, 7, 1),
        ),
        "open": published(
            world.dept_b,
            title="政府信息公开指南",
            body="<p>依照《中华人民共和国政府信息公开条例》编制本指南。</p>",
            column=column("statutory-fgwj"),
            when=aware(2020, 7, 1),
        ),
    }
    entries, _ = index_entries([d.pk for d in docs.values()])
    engine.upsert(entries)
    return docs


def page(q, **extra):
    response = Client().get("/search/", {"q": q, **extra})
    assert response.status_code == 200
    return response.content.decode()


def titles(html):
    return re.findall(r'<a href="/catalog/documents/\d+/"[^>]*>(.*?)</a>', html)


def plain(html):
    return [re.sub(r"<[^>]+>", "", t) for t in titles(html)]


def test_an_alias_finds_the_full_form_and_says_so(corpus):
    html = page("征地")
    assert "关于青山县2019年第3批次征收土地方案的公告" in plain(html)
    assert "同时搜索了：<strong>征收土地</strong>" in html
    # switched off for this query: only the words typed
    html = page("征地", alias="0")
    assert "关于青山县2019年第3批次征收土地方案的公告" not in plain(html)
    assert "未使用同义词" in html


def test_aliases_work_both_ways(corpus):
    assert "关于提高最低生活保障标准的通知" in plain(page("低保"))
    assert "关于提高最低生活保障标准的通知" in plain(page("最低生活保障"))


def test_an_administrators_alias_is_used_at_once_and_audited(corpus, world):
    assert "关于青山县2019年第3批次征收土地方案的公告" not in plain(page("土地收储", fix="0"))
    admin = world.admin
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    client.get("/backoffice/search-words/aliases/new/")
    response = client.post(
        "/backoffice/search-words/aliases/new/",
        {
            "words": "土地收储、征收土地",
            "is_active": "on",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    alias = SearchAlias.objects.get(words="土地收储\n征收土地")
    from gongkai.apps.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="search_alias.create", object_id=str(alias.pk)).exists()
    assert "关于青山县2019年第3批次征收土地方案的公告" in plain(page("土地收储"))


def test_a_single_word_alias_is_refused_with_a_chinese_error(corpus, world):
    admin = world.admin
    client = Client()
    client.force_login(admin)
    before = SearchAlias.objects.count()
    response = client.post(
        "/backoffice/search-words/aliases/new/", {"words": "征地", "is_active": "on"}
    )
    assert "同义词至少需要两个不同的词" in response.content.decode()
    assert SearchAlias.objects.count() == before


def test_agency_short_names_come_from_the_agency_tree(corpus, world):
    world.dept_a.short_name = "市测试局"
    world.dept_a.save()
    selectors.forget()
    words = {w for s in selectors.alias_sets() for w in s.words}
    assert world.dept_a.name in words and "市测试局" in words
    html = page("市测试局")
    assert "关于青山县2019年第3批次征收土地方案的公告" in plain(html)
    assert world.dept_a.name in html


def test_numbers_match_whole_and_years_with_or_without_the_unit(corpus):
    html = page("939")
    assert plain(html) == ["2018年网站发布信息129396条"]
    assert "<mark>939</mark>" in html and "<mark>939</mark>6" not in html
    assert "129<mark>" not in html
    assert sorted(plain(page("2018年"))) == sorted(plain(page("2018")))
    assert "2018年度部门决算" in plain(page("2018年"))


def test_highlight_never_marks_a_number_inside_a_longer_one():
    marked = [
        f.text for f in highlight("网站129396条，第939号，129,396条", ["939", "396"]) if f.hit
    ]
    assert marked == ["939"]


def test_a_typo_is_corrected_and_offered(corpus):
    html = page("政府信息工开")
    assert "已显示“<strong>政府信息公开</strong>”的搜索结果" in html
    assert "政府信息公开指南" in plain(html)
    html = page("政府信息工开", fix="0")
    assert "您是不是要找" in html and "政府信息公开" in html
    assert plain(html) == []


def test_pinyin_initials_and_full_pinyin(corpus):
    assert "政府信息公开指南" in plain(page("zfxxgk"))
    assert "政府信息公开指南" in plain(page("zhengfuxinxigongkai"))


def test_a_homophone_is_corrected(corpus):
    assert "关于提高最低生活保障标准的通知" in plain(page("低宝"))


def test_zero_result_page_proposes_an_agency(corpus, world):
    html = page(world.dept_a.name + "通知书大全", fix="0")
    assert f"/catalog/agencies/{world.dept_a.code}/" in html


def test_queries_are_counted_without_personal_data(corpus, world):
    page("征地")
    page("征地")
    page("没有这种东西的文件")
    page("没有这种东西的文件")
    page("只搜过一次的王某某住址")
    page("13812345678")  # a phone number is never kept
    page("110101199003071234")
    stats = {s.query: (s.searches, s.zero_results) for s in QueryStat.objects.all()}
    assert stats["征地"] == (2, 0)
    assert stats["没有这种东西的文件"] == (2, 2)
    assert not any(re.search(r"\d{11}", q) for q in stats)
    assert [f.name for f in QueryStat._meta.get_fields()] == [
        "id",
        "day",
        "query",
        "searches",
        "zero_results",
    ]
    editor = world.officer_a
    client = Client()
    client.force_login(editor)
    html = client.get("/backoffice/search-words/").content.decode()
    assert "没有这种东西的文件" in html and "征地" in html
    assert "只搜过一次的王某某住址" not in html  # a query searched once is not listed
    assert "/backoffice/search-words/aliases/new/" not in html  # officers read, admins edit
    assert Client().get("/backoffice/search-words/").status_code == 302


def test_loggable_drops_personal_data():
    assert services.loggable("张三 13812345678") == ""
    assert services.loggable("someone@example.com") == ""
    assert services.loggable("  政府 信息  ") == "政府 信息"
