"""依申请公开 journeys: a new user files online, follows the case with the query code, receives a
补正 notice, supplies the material and gets the reply letter; staff run the case."""

import re

import pytest

from tests.e2e.conftest import as_user, axe_violations, case_action

pytestmark = pytest.mark.e2e

DESCRIPTION = "请求公开2025年城市道路养护资金的使用情况及明细"
NAME = "欧阳明远"
ID_NUMBER = "11010519491231002X"


def open_case(page, base, number):
    page.goto(f"{base}/backoffice/applications/?state=all&q={number}")
    page.get_by_role("link", name=number).click()
    page.get_by_role("heading", name=re.compile(number)).wait_for()


submit_action = case_action


def test_file_follow_correct_and_receive_the_reply(browser, page, live_server, demo):
    base = live_server.url

    # a new user files online, without an account
    page.goto(f"{base}/")
    page.get_by_role("link", name="在线申请").first.click()
    assert axe_violations(page) == []
    page.get_by_label("向哪个机关申请").select_option(label="示例市交通运输局")
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("姓名或名称").fill(NAME)
    page.get_by_label("身份证件号码或统一社会信用代码").fill("110105195001010014")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill(DESCRIPTION)
    page.get_by_role("button", name="提交申请").click()
    # a wrong check digit is explained in Chinese and nothing typed is lost
    summary = page.get_by_role("heading", name=re.compile("提交未成功，请修改以下"))
    assert summary.is_visible()
    page.get_by_role("link", name=re.compile("身份证号码校验码错误")).click()
    assert page.get_by_label("身份证件号码或统一社会信用代码").evaluate(
        "el => el === document.activeElement"
    )
    assert page.get_by_label("姓名或名称").input_value() == NAME
    page.get_by_label("身份证件号码或统一社会信用代码").fill(ID_NUMBER)
    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name="申请已提交").wait_for()
    number = page.locator(".receipt dd strong").first.inner_text()
    code = page.locator("#query-code").inner_text()
    assert re.fullmatch(r"YSQ-\d{4}-\d{6}", number) and re.fullmatch(
        r"[A-Z0-9]{4}(-[A-Z0-9]{4}){2}", code
    )
    assert axe_violations(page) == []
    assert NAME not in page.url and ID_NUMBER not in page.content()

    # the applicant follows the case from a fresh browser with the number and code
    follower = browser.new_context(locale="zh-CN")
    track = follower.new_page()
    track.goto(f"{base}/track/")
    track.get_by_label("登记号").fill(number)
    track.get_by_label("查询码").fill(code)
    track.get_by_role("button", name="查询").click()
    track.get_by_role("heading", name=f"申请 {number}").wait_for()
    assert track.get_by_text("已登记，等待受理").is_visible()
    assert axe_violations(track) == []
    assert NAME not in track.content()

    # the officer accepts and sends a one-time 补正 notice
    context, officer = as_user(browser, base, "jtj_zy")
    open_case(officer, base, number)
    assert axe_violations(officer) == []
    _, accept = submit_action(officer, "受理并分派承办人", "受理")
    accept.click()
    officer.get_by_text("已受理").first.wait_for()
    section, send = submit_action(officer, "补正告知（一次性告知）", "生成补正告知书")
    section.get_by_label("需补正的事项（每行一项）").fill(
        "请写明所需资金明细的时间范围\n请写明涉及的道路名称"
    )
    send.click()
    officer.get_by_text("补正告知书已生成").wait_for()
    assert officer.get_by_text("政府信息公开申请补正告知书").first.is_visible()

    # the applicant sees the notice and supplies the material online
    track.reload()
    assert track.get_by_text("待补正").first.is_visible()
    assert track.get_by_text("政府信息公开申请补正告知书").is_visible()
    track.get_by_label("补正材料", exact=True).set_input_files(
        files=[
            {
                "name": "补正说明.txt",
                "mimeType": "text/plain",
                "buffer": "时间范围：2025年；道路：建设大街。".encode(),
            }
        ]
    )
    track.get_by_label("补正说明").fill("时间范围为2025年全年，道路为建设大街。")
    track.get_by_role("button", name="提交补正").click()
    track.get_by_text("补正材料已提交").wait_for()
    assert track.get_by_text("办理中").first.is_visible()

    # the officer uploads the information and drafts the reply; the reviewer approves
    officer.reload()
    section, _upload = submit_action(officer, "上传材料", "上传")
    section.get_by_label("材料类别").select_option(label="公开的政府信息")
    section.get_by_label("文件").set_input_files(
        files=[
            {
                "name": "2025年道路养护资金明细.txt",
                "mimeType": "text/plain",
                "buffer": "2025年建设大街养护资金共计320万元。".encode(),
            }
        ]
    )
    section.get_by_role("button", name="上传").click()
    officer.get_by_text("材料已上传").wait_for()
    section, submit = submit_action(officer, "拟写答复", "提交审核")
    section.get_by_label("答复类型").select_option(value="disclosed")
    section.get_by_label("答复意见").fill("所申请的政府信息见附件。")
    submit.click()
    officer.get_by_text("答复已提交审核").wait_for()
    context.close()

    context, reviewer = as_user(browser, base, "jtj_sh")
    open_case(reviewer, base, number)
    reviewer.get_by_text("所申请的政府信息见附件").first.wait_for()
    _, approve = submit_action(reviewer, "审核答复", "提交审核意见")
    approve.click()
    reviewer.get_by_text("审核已完成").wait_for()
    assert reviewer.get_by_text("政府信息公开申请答复书").first.is_visible()
    context.close()

    # the applicant downloads the reply letter and the released file
    track.reload()
    assert track.get_by_text("已答复").first.is_visible()
    with track.expect_download() as download:
        track.get_by_role("link", name="PDF").last.click()
    assert download.value.suggested_filename.endswith("政府信息公开申请答复书.pdf")
    with track.expect_download() as released:
        track.get_by_role("link", name="下载").last.click()
    assert released.value.suggested_filename == "2025年道路养护资金明细.txt"
    follower.close()


def test_staff_extension_needs_the_heads_approval(browser, live_server, demo):
    base = live_server.url
    demo("依申请公开本年度")
    context, officer = as_user(browser, base, "jtj_zy")
    officer.get_by_role("link", name="依申请公开").first.click()
    assert axe_violations(officer) == []
    row = officer.get_by_role("row").filter(has_text="待补正").first
    assert row.is_visible()
    officer.get_by_label("期限").select_option(label="已逾期")
    officer.get_by_role("button", name="筛选").click()
    overdue = officer.get_by_role("row").filter(has_text="已逾期").first
    number = overdue.get_by_role("link").first.inner_text()
    overdue.get_by_role("link").first.click()
    section, _ask = submit_action(officer, "申请延期答复", "提交负责人审批")
    assert section.is_visible()
    context.close()

    # the head sees the pending extension in the work queue and approves one
    context, head = as_user(browser, base, "jtj_fz")
    assert head.get_by_role("heading", name=re.compile("待审核的答复和待审批的延期")).is_visible()
    head.get_by_role("link", name="依申请公开").first.click()
    head.get_by_label("期限").select_option(label="待审批")
    head.get_by_role("button", name="筛选").click()
    head.get_by_role("row").filter(has_text="延期待批").first.get_by_role("link").first.click()
    section, decide = submit_action(head, "审批延期", "提交审批意见")
    section.get_by_label("审批意见").select_option(label="同意延期")
    decide.click()
    head.get_by_text("延期审批已完成").wait_for()
    assert head.get_by_text("政府信息公开申请延期答复告知书").first.is_visible()
    assert axe_violations(head) == []
    context.close()
    assert number


def test_supervisor_sees_every_agencys_on_time_rate(browser, live_server, demo):
    base = live_server.url
    demo("依申请公开本年度")
    context, supervisor = as_user(browser, base, "gkb")
    assert supervisor.get_by_role("heading", name=re.compile("全市逾期未答复的申请")).is_visible()
    supervisor.goto(f"{base}/backoffice/applications/overview/")
    title = supervisor.locator("figure.chart svg title").first.text_content()
    assert title.endswith("按时办结率（办结量前15的机关）")
    assert supervisor.get_by_role("cell", name="示例市交通运输局").first.is_visible()
    assert axe_violations(supervisor) == []
    context.close()


def test_the_form_works_on_a_phone(mobile_page, live_server, demo):
    mobile_page.goto(f"{live_server.url}/apply/form/")
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    assert mobile_page.get_by_role("button", name="提交申请").is_visible()
