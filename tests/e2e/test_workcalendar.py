import datetime as dt

import pytest

from tests.e2e.conftest import axe_violations, login

pytestmark = pytest.mark.e2e

BAD_FILE = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-05,workday,元旦\n".encode()
GOOD_FILE = (
    "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n2027-02-20,workday,春节\n"
).encode()


@pytest.fixture
def november(clock_at):
    """The back office's 'today' is late November, when next year's notice is due."""
    clock_at(dt.date(2026, 11, 27))


def test_administrator_is_warned_and_imports_next_years_holidays(page, live_server, demo, november):
    login(page, live_server.url, "admin")
    page.get_by_role("link", name="导入2027年节假日安排").click()
    assert page.get_by_role("heading", name="导入节假日安排").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("节假日安排文件").set_input_files(
        {"name": "2027.csv", "mimeType": "text/csv", "buffer": BAD_FILE}
    )
    page.get_by_role("button", name="导入").click()
    assert page.get_by_text("第3行：2027年1月5日是星期二，调休上班日只能是周六或周日").is_visible()
    assert page.get_by_text("未导入任何数据").first.is_visible()
    page.get_by_label("节假日安排文件").set_input_files(
        {"name": "2027.csv", "mimeType": "text/csv", "buffer": GOOD_FILE}
    )
    page.get_by_label("依据通知").fill("国务院办公厅关于2027年部分节假日安排的通知")
    page.get_by_role("button", name="导入").click()
    assert page.get_by_role("heading", name="工作日历 · 2027年").is_visible()
    assert page.get_by_text("已确认载入", exact=True).is_visible()
    assert page.get_by_text("导入完成：新增3条").is_visible()
    assert page.get_by_role("table", name="2027年2月").is_visible()
    assert axe_violations(page) == []
    page.goto(live_server.url + "/backoffice/")
    assert page.get_by_role("link", name="导入2027年节假日安排").count() == 0


def test_officer_computes_a_deadline_and_reads_the_day_strip(page, live_server, demo):
    login(page, live_server.url, "jtj_zy")
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="工作日历").click()
    page.get_by_role("link", name="答复期限计算").click()
    page.get_by_label("收到申请之日").fill("2024-09-27")
    page.get_by_role("button", name="计算").click()
    assert page.get_by_role("heading", name="计算结果").is_visible()
    assert page.locator("figcaption").get_by_text("2024年10月30日").is_visible()
    strip = page.get_by_role("list", name="逐日计算，共34天")
    assert strip.is_visible()
    assert strip.get_by_text("2024年10月1日（星期二）：不计入（国庆节）").count() == 1
    page.get_by_text("计算说明").click()
    assert page.get_by_text("不计入：2024年10月1日至10月7日，国庆节（7天）。").is_visible()
    assert axe_violations(page) == []


def test_the_calendar_page_reads_on_a_phone(mobile_page, live_server, demo):
    login(mobile_page, live_server.url, "jtj_zy")
    mobile_page.goto(live_server.url + "/backoffice/calendar/?year=2024")
    assert mobile_page.get_by_role("table", name="2024年10月").is_visible()
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
