"""A letter written on the portal is routed, answered inside its limit, and appears masked."""

import re

import pytest

from tests.e2e.conftest import as_user, axe_violations

pytestmark = pytest.mark.e2e

SUBJECT = "12路公交车首末班时间"
PHONE = "13912345678"
NAME = "欧阳晓明"


def test_a_letter_from_writing_to_the_public_column(browser, page, live_server, demo):
    demo("政府信箱设置和分办规则")
    base = live_server.url

    # a citizen writes to 市长信箱, agreeing to publication
    page.goto(f"{base}/mailbox/write/")
    assert axe_violations(page) == []
    page.get_by_label("写信给").select_option(label="市长信箱")
    page.get_by_label("咨询").check()
    page.get_by_label("标题").fill(SUBJECT)
    page.get_by_label("内容").fill(
        f"我叫{NAME}，电话{PHONE}，请问12路公交车调整后首末班时间是几点？"
    )
    page.get_by_label("姓名").fill(NAME)
    page.get_by_label("联系电话").fill(PHONE)
    page.get_by_label("同意在信箱公开栏目公开本信及答复").check()
    page.get_by_role("button", name="提交信件").click()
    page.get_by_role("heading", name="您的来信已提交").wait_for()
    number = page.get_by_test_id("letter-number").inner_text()
    code = page.get_by_test_id("query-code").inner_text()
    assert re.fullmatch(r"XX\d{13}", number) and re.fullmatch(r"[0-9A-Z]{8}", code)
    assert page.get_by_text("5个工作日").is_visible()
    assert axe_violations(page) == []

    # the dispatcher routes it as the keyword rule suggests (公交 -> 市交通局)
    context, office = as_user(browser, base, "bgs_zy")
    office.goto(f"{base}/backoffice/mailbox/dispatch/")
    row = office.get_by_role("row").filter(has_text=number)
    assert "示例市交通运输局" in row.inner_text()
    row.get_by_role("button", name=re.compile("按建议分办")).click()
    office.get_by_text("已分办").wait_for()
    context.close()

    # the transport bureau's reviewer answers from the work queue
    context, reviewer = as_user(browser, base, "jtj_sh")
    reviewer.get_by_role("link", name=re.compile(number)).first.click()
    assert reviewer.get_by_text(PHONE).first.is_visible()  # staff see the contact
    assert axe_violations(reviewer) == []
    reviewer.get_by_label("答复内容").fill(f"{NAME}您好！12路公交车首班6:00，末班21:30。")
    reviewer.get_by_role("button", name="审核通过并答复").click()
    reviewer.get_by_text("答复已签发").wait_for()
    assert reviewer.get_by_text("按期").first.is_visible()
    context.close()

    # the officer makes the masked copy and publishes it
    context, officer = as_user(browser, base, "jtj_zy")
    officer.goto(f"{base}/backoffice/mailbox/letters/{number}/")
    officer.get_by_role("button", name="生成公开稿").click()
    officer.get_by_text("隐私审查已通过").wait_for()
    assert PHONE not in officer.get_by_label("公开来信").input_value()
    officer.get_by_role("button", name="公开", exact=True).click()
    officer.get_by_text("已在信箱公开栏目公开").wait_for()
    context.close()

    # anyone reads it in the public column, personal data masked
    page.goto(f"{base}/mailbox/")
    page.get_by_role("link", name=SUBJECT).click()
    body = page.locator("main").inner_text()
    assert "首班6:00" in body and "139****5678" in body
    assert PHONE not in body and NAME not in body
    assert axe_violations(page) == []

    # the writer follows it with number and query code and rates the answer
    page.goto(f"{base}/mailbox/query/")
    page.get_by_label("信件编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.get_by_text("已答复").first.is_visible()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价").wait_for()
    assert axe_violations(page) == []


def test_the_public_column_and_statistics_on_a_phone(mobile_page, live_server, demo):
    demo("政府信箱设置和分办规则")
    for path in ("/mailbox/", "/mailbox/write/", "/mailbox/stats/"):
        mobile_page.goto(live_server.url + path)
        assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 400
    chart = mobile_page.locator("svg[role=img]")
    assert chart.locator("> title").text_content().endswith("每月收信与答复")
    assert axe_violations(mobile_page) == []
