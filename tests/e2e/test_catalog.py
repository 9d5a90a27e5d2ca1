"""Browser journeys of the catalogue: publish a policy with its interpretation in the back
office, then find it on the portal by two words, by its 文号 and by browsing; feed and API;
axe-core on the home, list, search and document pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, fill_richtext, login

pytestmark = pytest.mark.e2e

TITLE = "示例市城市公共交通优先发展实施办法"
DOC_NUMBER = "示交发〔2026〕88号"


@pytest.fixture
def catalog(settings, tmp_path, demo):
    """The demo city with its catalogue, indexed into a fresh index for this test."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    demo("主动公开目录")
    from gongkai.apps.catalog.search.indexing import index_rebuild

    index_rebuild()


def _fill_document(page, *, title, column, body, doc_number="", interprets=""):
    page.get_by_label("标题").fill(title)
    page.get_by_label("栏目").select_option(label=column)
    page.get_by_label("主题分类").select_option(label="工业、交通\\公路")
    page.get_by_label("体裁").select_option(label="通知" if not interprets else "解读")
    if doc_number:
        page.get_by_label("发文字号").fill(doc_number)
    page.get_by_label("成文日期").fill("2026-11-20")
    fill_richtext(page, body)
    if interprets:
        page.get_by_label("所解读的文件").fill(interprets)
        page.get_by_label("解读形式").select_option(label="图解")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()


def _review_and_publish(browser, base, title):
    """The reviewer approves (保密审查 + privacy sign-off), then publishes."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    login(page, base, "jtj_sh")
    page.get_by_role("region", name="待审核的主动公开信息").get_by_role("link", name=title).click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="审核通过（已完成保密审查和隐私审查）").click()
    expect(page.get_by_text("审核通过，可以发布")).to_be_visible()
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_text("已发布到门户网站")).to_be_visible()
    index_no = page.locator("dl.meta dd").first.inner_text()
    context.close()
    return index_no


def test_publish_a_policy_with_an_interpretation_and_find_it(page, browser, live_server, catalog):
    base = live_server.url
    login(page, base, "jtj_zy")
    page.goto(base + "/backoffice/catalog/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="新建政府信息").click()
    _fill_document(
        page,
        title=TITLE,
        column="　（一）行政法规、规章和规范性文件",
        doc_number="示交发【2026】088号",
        body="<p>为落实公共交通优先发展战略，方便市民绿色出行，制定本办法。</p><p>新增公交专用道三十公里。</p>",
    )
    assert page.get_by_text(DOC_NUMBER).first.is_visible()  # 【】 and the leading 0 corrected
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交审核")).to_be_visible()
    index_no = _review_and_publish(browser, base, TITLE)
    assert re.fullmatch(r"[0-9A-Z]{18}/\d{4}-\d{5}", index_no)

    page.goto(base + "/backoffice/catalog/new/")
    _fill_document(
        page,
        title=f"图解：《{TITLE}》",
        column="政策解读",
        body="<p>一图读懂公交优先发展实施办法。</p>",
        interprets=index_no,
    )
    page.get_by_role("button", name="提交审核").click()
    _review_and_publish(browser, base, f"图解：《{TITLE}》")

    # the public finds it by two words, by its 文号 and by browsing
    visitor = page.context.browser.new_context(locale="zh-CN").new_page()
    visitor.goto(base + "/")
    visitor.get_by_label("输入关键词、发文字号或索引号").fill("公共交通 优先")
    visitor.get_by_role("button", name="搜索").last.click()
    expect(visitor.get_by_role("heading", name=re.compile("共找到"))).to_be_visible()
    visitor.get_by_role("link", name=TITLE, exact=True).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator("table.doc-meta")).to_contain_text(index_no)
    expect(visitor.locator("table.doc-meta")).to_contain_text(DOC_NUMBER)
    visitor.get_by_role("link", name=f"图解：《{TITLE}》").click()  # 相关解读
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"图解：《{TITLE}》")
    visitor.get_by_role("link", name=f"《{TITLE}》").click()  # and back
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)

    visitor.goto(base + "/search/?q=" + "示交发[2026]88号")
    expect(visitor.get_by_role("heading", name="发文字号或索引号完全一致的文件")).to_be_visible()
    visitor.goto(base + "/catalog/agencies/jtj/")
    expect(visitor.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    feed = visitor.request.get(base + "/catalog/agencies/jtj/feed.rss").text()
    assert TITLE in feed
    api = visitor.request.get(base + "/api/catalog/search?q=公交专用道").json()
    assert api["items"][0]["title"] == TITLE


def test_visitor_pages_pass_axe(page, live_server, catalog):
    base = live_server.url
    for path in ("/", "/catalog/", "/catalog/columns/key-areas/", "/search/?q=财政预算&year=2018"):
        page.goto(base + path)
        assert axe_violations(page) == [], path
    page.get_by_role("link", name=re.compile("部门预算")).first.click()
    expect(page.locator("table.doc-meta")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(base + "/search/?q=财政预算 火箭发射")
    expect(page.get_by_text("没有找到相关的政府信息")).to_be_visible()
    assert axe_violations(page) == []


def test_search_facets_work_without_javascript(browser, live_server, catalog):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=部门预算")
    total = page.get_by_role("heading", name=re.compile("共找到")).inner_text()
    page.get_by_role("region", name="年份").get_by_role("link", name="2019年").click()
    narrowed = page.get_by_role("heading", name=re.compile("共找到")).inner_text()
    assert narrowed != total
    expect(page.get_by_role("link", name=re.compile("去掉条件：2019年"))).to_be_visible()
    context.close()


def test_search_is_usable_on_a_phone(mobile_page, live_server, catalog):
    mobile_page.goto(live_server.url + "/search/?q=财政预算")
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 400
    mobile_page.goto(live_server.url + "/catalog/")
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 400
