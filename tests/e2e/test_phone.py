"""The portal on a phone (360 and 390 px wide): the page's main heading is in the first screen,
nothing overflows sideways, the menu collapses behind a button, report tables scroll with the
keyboard, and axe finds nothing serious or critical on the key pages, on phones and desktops."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations, desktop_context

pytestmark = pytest.mark.e2e

PHONES = [(360, 740), (390, 844)]
NARRATIVE = {
    "overview": "2025年，市交通局认真贯彻落实政府信息公开条例，各项工作有序推进。",
    "problems": "一是政策解读形式单一；二是个别栏目更新不及时。下一步将加强培训。",
    "other": "本年度未收取信息处理费。",
}


@pytest.fixture
def site(live_server, demo):
    """A document, a published annual report and a case to track, on the demo agencies."""
    import datetime as dt

    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.organizations.models import Agency
    from gongkai.apps.reporting import services as reports
    from tests.apps.applications.factories import person
    from tests.apps.catalog.factories import aware, published

    jtj = Agency.objects.get(code="jtj")
    body = (
        "".join(
            f"<p>第{i}条　为进一步做好城市公共交通运营服务工作，提升市民出行体验，现将有关事项通知如下。</p>"
            for i in range(1, 9)
        )
        + "<table><tr><th>线路</th><th>调整内容</th><th>实施日期</th></tr>"
        + "".join(
            f"<tr><td>{n}路</td><td>延长至建设大街北口，增设停靠站三处</td><td>2026年1月1日</td></tr>"
            for n in range(1, 6)
        )
        + "</table>"
    )
    doc = published(
        jtj,
        title="示例市交通运输局关于调整部分公交线路的通知",
        body=body,
        doc_number="示交发〔2026〕12号",
        when=aware(2026, 11, 2),
    )
    report = reports.report_create(actor=SYSTEM, agency=jtj, year=2025)
    report = reports.report_narrative_save(actor=SYSTEM, report=report, narrative=NARRATIVE)
    reports.report_publish_now(
        actor=SYSTEM, report=report, kinds=("html",), file_in_catalogue=False, quiet=True
    )
    from gongkai.apps.applications import services as cases

    app = cases.application_register(
        actor=SYSTEM,
        agency=jtj,
        channel="online",
        applicant=person(),
        description="请求公开2025年城市道路养护资金的使用情况及明细",
        received_on=dt.date(2026, 11, 27),
    )
    return {
        "home": "/",
        "list": "/catalog/columns/statutory/",
        "search": "/search/?q=公交线路",
        "document": doc.get_absolute_url(),
        "apply": "/apply/form/",
        "track": "/track/",
        "report": "/reports/jtj/2025/?scope=self",
        "number": app.number,
        "code": app.query_code,
    }


KEY_PAGES = ("home", "list", "search", "document", "apply", "track", "report")


def _layout(page) -> dict:
    return page.evaluate(
        """() => {
          const h1 = document.querySelector('main h1');
          const box = h1.getBoundingClientRect();
          return {top: box.top, bottom: box.bottom, text: h1.textContent.trim(),
                  scroll: document.documentElement.scrollWidth,
                  width: document.documentElement.clientWidth,
                  height: window.innerHeight};
        }"""
    )


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_key_pages_fit_a_phone(browser, live_server, site, width, height):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": height}, is_mobile=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    for name in KEY_PAGES:
        page.goto(live_server.url + site[name])
        found = _layout(page)
        assert found["text"], name
        # the main heading is visible in the first screen (below the header, above the fold)
        assert found["top"] >= 0 and found["bottom"] <= found["height"] * 0.6, (name, found)
        assert found["scroll"] <= found["width"], (name, found)
        assert axe_violations(page) == [], name
    context.close()


def test_the_menu_collapses_and_the_search_is_one_line(browser, live_server, site):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    menu = page.get_by_role("button", name="菜单")
    nav = page.get_by_role("navigation", name="主导航")
    assert menu.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    search = page.locator(".header-search").bounding_box()
    assert search["height"] <= 48
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    nav.get_by_role("link", name="依申请公开").click()
    page.get_by_role("heading", level=1, name="依申请公开").wait_for()
    context.close()


def test_report_tables_scroll_with_the_keyboard(browser, live_server, site):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto(live_server.url + site["report"])
    regions = page.locator(".report-main [role=region][tabindex='0']")
    wide = [
        i
        for i in range(regions.count())
        if regions.nth(i).evaluate("el => el.scrollWidth > el.clientWidth")
    ]
    assert wide, "table 三 is wider than a phone: it must scroll"
    region = regions.nth(wide[0])
    assert "可左右滚动" in region.get_attribute("aria-label")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # the browser may scroll smoothly: wait for the position rather than read it at once
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
    context.close()


def test_key_pages_pass_axe_on_a_desktop(browser, live_server, site):
    context = desktop_context(browser)
    page = context.new_page()
    for name in KEY_PAGES:
        page.goto(live_server.url + site[name])
        assert axe_violations(page) == [], name
    page.goto(live_server.url + "/track/")
    page.get_by_label("登记号").fill(site["number"])
    page.get_by_label("查询码").fill(site["code"])
    page.get_by_role("button", name="查询").click()
    page.get_by_role("heading", name=f"申请 {site['number']}").wait_for()
    assert axe_violations(page) == []
    context.close()
