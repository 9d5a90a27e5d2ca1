import pytest

from tests.e2e.conftest import axe_violations, login

pytestmark = pytest.mark.e2e


def test_visitor_opens_home_and_an_agency_guide(page, live_server, demo):
    page.goto(live_server.url + "/")
    assert page.title().startswith("示例市人民政府")
    assert page.get_by_role("search").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="公开指南").first.click()
    page.get_by_role("link", name="示例市交通运输局").click()
    assert page.get_by_role("heading", level=1).inner_text() == "示例市交通运输局政府信息公开指南"
    assert page.get_by_text("示例市交通运输局办公室").first.is_visible()
    assert axe_violations(page) == []


def test_keyboard_user_can_skip_to_content(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    assert skip.evaluate("el => el === document.activeElement")


def test_staff_logs_in_and_sees_the_work_queue(page, live_server, demo):
    login(page, live_server.url, "jtj_zy")
    assert page.url.endswith("/backoffice/")
    assert page.get_by_role("heading", name="工作队列").is_visible()
    assert page.get_by_text("示例市交通运输局").first.is_visible()
    assert axe_violations(page) == []


def test_wrong_password_says_so_in_chinese(page, live_server, demo):
    login(page, live_server.url, "jtj_zy", "wrong-password")
    assert page.get_by_text("用户名或密码不正确").is_visible()


def test_portal_is_usable_on_a_phone(mobile_page, live_server, demo):
    mobile_page.goto(live_server.url + "/agencies/jtj/guide/")
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
