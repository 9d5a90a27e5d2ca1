"""Browser journeys of the annual reports: an officer finishes the draft, the head publishes,
the public reads it with its charts and downloads, anyone checks a saved report page, and
the city office sees which reports are missing."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "apps" / "reporting" / "fixtures"
STEPS = ("年度报告填报数据", "年度报告本年度草稿")


def test_officer_completes_the_draft_and_the_head_publishes_it(page, live_server, demo):
    demo(*STEPS)
    base = live_server.url
    login(page, base, "jtj_zy")
    page.get_by_role("link", name="年度报告", exact=True).first.click()
    page.get_by_role("link", name="示例市交通运输局2026年政府信息公开工作年度报告").click()
    assert page.get_by_role("heading", name="校验结果").is_visible()
    assert page.get_by_text("报告未通过校验，不能发布").is_visible()
    assert axe_violations(page) == []
    # figures link to what makes them up
    page.locator('td[data-cell="t3:new:total"] a').click()
    assert page.get_by_role(
        "heading", name="数字构成：表三“一、本年新收政府信息公开申请数量”行“总计”列"
    ).is_visible()
    page.get_by_role("textbox", name="一、总体情况").fill(
        "2026年，市交通局认真贯彻落实政府信息公开条例，各项工作有序推进。"
    )
    page.get_by_role("textbox", name="五、存在的主要问题及改进情况").fill(
        "一是政策解读形式单一；二是个别栏目更新不及时。下一步将加强培训。"
    )
    page.get_by_role("button", name="保存文字部分").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("报告已通过校验").first.is_visible()
    # an officer cannot publish: no button
    assert page.get_by_role("button", name="发布报告").count() == 0
    page.get_by_role("button", name="退出").click()

    login(page, base, "jtj_fz")
    page.goto(base + "/backoffice/reporting/")
    page.get_by_role("link", name="示例市交通运输局2026年政府信息公开工作年度报告").click()
    # the publication job runs inside the test server and renders the PDF before answering
    page.get_by_role("button", name="发布报告").click(timeout=120_000)
    page.wait_for_load_state("networkidle", timeout=120_000)
    page.goto(base + "/reports/")
    page.get_by_role("link", name="示例市交通运输局2026年政府信息公开工作年度报告").click()
    assert page.get_by_role("heading", name="三、收到和处理政府信息公开申请情况").is_visible()
    assert page.get_by_role("heading", name="历年对比").is_visible()
    assert page.locator("svg[role=img]").count() == 4
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel 表格（XLSX）").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_anyone_checks_a_saved_report_page(page, live_server, demo):
    page.goto(live_server.url + "/reports/check/")
    assert axe_violations(page) == []
    page.get_by_label("年度报告文件").set_input_files(str(FIXTURES / "broken_identity_2021.html"))
    page.get_by_role("button", name="开始核对").click()
    assert page.get_by_text("存在不成立的勾稽关系").is_visible()
    assert page.get_by_text("表三“（一）予以公开”行“总计”列").first.is_visible()
    assert axe_violations(page) == []


def test_the_city_office_sees_missing_reports(page, live_server, demo):
    demo(*STEPS)
    login(page, live_server.url, "gkb")
    page.get_by_role("link", name="年报督查").click()
    assert page.get_by_role("heading", name="2025年度政府信息公开工作年度报告发布情况").is_visible()
    page.get_by_label("层级").select_option("city")
    page.get_by_label("状态").select_option("未建立")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**status=*")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="示例市交通运输局")).to_have_count(1)
    expect(rows.filter(has_text="示例市东城区人民政府")).to_have_count(0)  # the level filter
    assert axe_violations(page) == []


def test_report_page_works_on_a_phone(mobile_page, live_server, demo):
    mobile_page.goto(live_server.url + "/reports/")
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400


def test_one_report_per_year_with_the_same_figures_in_the_catalogue(page, live_server, demo):
    """The report filed in the catalogue is the report the records compute: the catalogue page
    and the report page show the same figures, and each year appears once."""
    import datetime as dt

    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.organizations.models import Agency
    from gongkai.apps.reporting import services
    from gongkai.apps.reporting.models import ReportScope
    from gongkai.apps.reporting.selectors import scope_subject
    from gongkai.demo.reporting import _aware

    demo("依申请公开2025年度")
    city = Agency.objects.get(code="sz")
    for year, day in ((2024, dt.date(2025, 3, 25)), (2025, dt.date(2026, 3, 28))):
        report = services.report_create(
            actor=SYSTEM, agency=city, year=year, scope=ReportScope.CITY
        )
        report = services.report_narrative_save(
            actor=SYSTEM,
            report=report,
            narrative={
                "overview": f"{year}年，{scope_subject(city, ReportScope.CITY)}政务公开工作有序推进。",
                "problems": "一是政策解读形式单一；二是个别栏目更新不及时。下一步将加强培训。",
                "other": "无。",
            },
        )
        services.report_publish_now(
            actor=SYSTEM, report=report, kinds=("html",), published_at=_aware(day), quiet=True
        )
    base = live_server.url
    page.goto(base + "/reports/")
    title = "示例市人民政府2025年政府信息公开工作年度报告"
    expect(page.get_by_role("link", name=title)).to_have_count(1)
    expect(
        page.get_by_role("link", name="示例市人民政府2024年政府信息公开工作年度报告")
    ).to_have_count(1)
    page.get_by_role("link", name=title).click()
    cell = 'td[data-cell="t3:new:total"]'
    report_new = page.locator(cell).inner_text().strip()
    assert int(report_new) > 600  # the 2025 requests of the demo city
    report_tables = [t.inner_text().split() for t in page.locator(".report-main table").all()]

    page.goto(base + "/catalog/columns/annual-reports/")
    expect(page.get_by_role("link", name=title)).to_have_count(1)
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    tables = page.locator(".doc-body table")
    assert [t.inner_text().split() for t in tables.all()] == report_tables
    t3 = tables.filter(has_text="本年新收政府信息公开申请数量").inner_text()
    assert report_new in t3.split()
    assert axe_violations(page) == []
