"""Browser journeys of the privacy review: find, mask with one click, override with a reason."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login

pytestmark = pytest.mark.e2e

DECISION = "交通运输行政处罚决定书（示交罚〔2024〕118号）"


def test_reviewer_masks_and_overrides_findings(page, live_server, demo):
    demo("隐私审查示例")
    login(page, live_server.url, "jtj_sh")
    queue = page.get_by_role("region", name="待处理的隐私审查")
    assert queue.is_visible()
    queue.get_by_role("link", name=DECISION).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"隐私审查：{DECISION}"
    assert axe_violations(page) == []
    id_row = page.locator("tr.finding[data-kind=id_number]")
    assert "********" in id_row.locator("mark").inner_text()
    id_row.get_by_role("button", name="遮盖").click()  # htmx swaps the row in place
    expect(id_row.get_by_text("已遮盖")).to_be_visible()
    name_row = page.locator("tr.finding[data-kind=name]").first
    name_row.locator("summary", has_text="放行").click()
    name_row.get_by_label("放行理由").fill("行政处罚决定依法公开当事人姓名")
    name_row.get_by_role("button", name="确认放行").click()
    expect(page.get_by_text("已说明理由放行")).to_be_visible()
    page.reload()
    assert page.locator("tr.finding.masked").count() == 1
    assert page.locator("tr.finding.overridden").count() == 1
    assert axe_violations(page) == []


def test_mask_works_without_javascript(browser, live_server, demo):
    demo("隐私审查示例")
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    login(page, live_server.url, "jtj_zy")
    page.goto(live_server.url + "/backoffice/privacy/")
    page.get_by_role("link", name=DECISION).click()
    page.locator("tr.finding[data-kind=mobile]").get_by_role("button", name="遮盖").click()
    assert page.get_by_text("已遮盖：手机号码").is_visible()
    assert page.locator("tr.finding.masked[data-kind=mobile]").count() == 1
    context.close()


def test_officer_checks_a_file_and_downloads_the_masked_copy(page, live_server, demo, tmp_path):
    from docx import Document

    source = tmp_path / "名单.docx"
    document = Document()
    document.add_paragraph("户主王芳，身份证号码11010519491231002X，电话13812345678。")
    document.save(source)
    login(page, live_server.url, "jtj_zy")
    page.goto(live_server.url + "/backoffice/privacy/")
    page.get_by_role("link", name="提交自查").click()
    page.get_by_label("标题").fill("低保名单自查")
    page.get_by_label("文件").set_input_files(str(source))
    page.get_by_role("button", name="开始审查").click()
    assert page.get_by_role("heading", level=1).inner_text() == "隐私审查：低保名单自查"
    assert page.locator("tr.finding").count() == 3
    with page.expect_download() as download:
        page.get_by_role("link", name="下载遮盖件（名单.docx）").click()
    masked = Document(download.value.path()).paragraphs[0].text
    assert masked == "户主王*，身份证号码110105********002X，电话138****5678。"
    assert axe_violations(page) == []
