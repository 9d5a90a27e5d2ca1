"""Browser journeys of the privacy review: find, mask with one click, override with a reason."""

import re

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


# the two journeys of the published rendition (ADR 0032): what the reviewer masked is what the
# anonymous visitor and the applicant download, checked inside the files

BODY_ID, BODY_PHONE, ROOM = "320102198511124566", "13612345678", "长江路88号2栋301室"
HEARING_ID, TABLE_ID, TABLE_PHONE = "11010519491231002X", "110105194912310021", "13900001111"
PLANTED = (BODY_ID, BODY_PHONE, ROOM, HEARING_ID, TABLE_ID, TABLE_PHONE, "孙八", "王五", "赵六")
NOTICE = "关于违规占道经营问题的处理公告"


def _docx_text(path) -> str:
    from docx import Document

    document = Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _hearing_list(path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("听证会参加人员名单")
    document.add_paragraph(f"听证代表：王五（身份证号{HEARING_ID}）")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("姓名", "身份证号", "联系电话"), strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("赵六", TABLE_ID, TABLE_PHONE), strict=True):
        cell.text = text
    document.save(path)


@pytest.fixture
def catalogue(settings, tmp_path, demo):
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    demo("主动公开目录")


def test_what_the_reviewer_masks_is_what_the_public_receives(
    browser, page, live_server, catalogue, tmp_path
):
    from tests.e2e.conftest import as_user, fill_richtext

    base = live_server.url
    attachment = tmp_path / "听证会参加人员.docx"
    _hearing_list(attachment)

    # the officer writes the notice with the planted values and a DOCX list, and submits it
    login(page, base, "jtj_zy")
    page.goto(base + "/backoffice/catalog/new/")
    page.get_by_label("标题").fill(NOTICE)
    page.get_by_label("栏目").select_option(label="　（一）行政法规、规章和规范性文件")
    page.get_by_label("主题分类").select_option(label="工业、交通\\公路")
    page.get_by_label("体裁").select_option(label="通知")
    page.get_by_label("成文日期").fill("2026-11-20")
    fill_richtext(
        page,
        f"<p>孙八，身份证号 {BODY_ID}，联系电话 {BODY_PHONE}，住址示例市{ROOM}。</p>"
        "<p>经查，当事人在长江路违规占道经营，现予公告。</p>",
    )
    page.get_by_label("附件").set_input_files(str(attachment))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("已提交审核")).to_be_visible()
    detail_url = page.url

    # the reviewer is refused approval, masks everything in the privacy review, then approves
    context, reviewer = as_user(browser, base, "jtj_sh")
    reviewer.goto(detail_url)
    reviewer.get_by_role("button", name="审核通过（已完成保密审查和隐私审查）").click()
    expect(reviewer.get_by_text("未处理的个人信息").first).to_be_visible()
    expect(reviewer.get_by_text("审核通过，可以发布")).to_have_count(0)
    reviewer.goto(base + "/backoffice/privacy/")
    reviewer.get_by_role("link", name=NOTICE).click()
    reviewer.get_by_role("button", name=re.compile("遮盖全部须处理的")).click()
    expect(reviewer.get_by_text("已全部处理，可以公开")).to_be_visible()
    assert reviewer.locator("tr.finding.masked[data-kind=id_number]").count() == 3
    reviewer.goto(detail_url)
    reviewer.get_by_role("button", name="审核通过（已完成保密审查和隐私审查）").click()
    expect(reviewer.get_by_text("审核通过，可以发布")).to_be_visible()
    context.close()

    # the officer publishes
    page.goto(detail_url)
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.get_by_text("已发布到门户网站")).to_be_visible()
    public_url = page.get_by_role("link", name="在门户网站查看").get_attribute("href")

    # an anonymous visitor: the page, the print view, the attachment, the search
    visitor_context = browser.new_context(locale="zh-CN")
    visitor = visitor_context.new_page()
    visitor.goto(base + public_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(NOTICE)
    shown = visitor.content()
    assert "320102********4566" in shown and "136****5678" in shown and "孙*" in shown
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name=re.compile("听证会参加人员")).first.click()
    received = _docx_text(download.value.path())
    assert "110105********0021" in received and "王*" in received and "赵*" in received
    assert "139****1111" in received and "110105********002X" in received
    visitor.goto(base + public_url.rstrip("/") + "/print/")
    printed = visitor.content()
    assert "320102********4566" in printed
    for label, text in {"page": shown, "print": printed, "docx": received}.items():
        for value in PLANTED:
            assert value not in text, (label, value)

    visitor.goto(base + "/search/?q=违规占道经营")
    expect(visitor.get_by_role("link", name=NOTICE).first).to_be_visible()
    hits = visitor.locator("main").inner_text()
    for value in PLANTED:
        assert value not in hits, ("search hit", value)
    visitor.goto(f"{base}/search/?q={BODY_ID}")
    expect(visitor.get_by_role("link", name=NOTICE)).to_have_count(0)
    snippets = visitor.locator("main").inner_text().replace(BODY_ID, "", 1)  # the query echoed
    assert BODY_ID not in snippets
    for value in PLANTED:
        assert value not in visitor.request.get(base + "/catalog/feed.rss").text()
    visitor_context.close()


def test_the_applicant_receives_the_masked_copy_of_a_released_file(
    browser, page, live_server, demo, tmp_path
):
    from docx import Document

    from tests.e2e.conftest import as_user, case_action

    base = live_server.url
    released = tmp_path / "道路占用许可情况.docx"
    document = Document()
    document.add_paragraph(f"申请人王五，身份证号{BODY_ID}，联系电话{BODY_PHONE}。")
    document.add_paragraph("准予临时占用长江路人行道三十日。")
    document.save(released)

    # a new user files online and keeps the number and query code
    page.goto(f"{base}/")
    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_label("向哪个机关申请").select_option(label="示例市交通运输局")
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("姓名或名称").fill("欧阳明远")
    page.get_by_label("身份证件号码或统一社会信用代码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill(
        "请求公开长江路人行道临时占用许可的情况"
    )
    page.get_by_role("button", name="提交申请").click()
    page.get_by_role("heading", name="申请已提交").wait_for()
    number = page.locator(".receipt dd strong").first.inner_text()
    code = page.locator("#query-code").inner_text()

    def open_case(staff):
        staff.goto(f"{base}/backoffice/applications/?state=all&q={number}")
        staff.get_by_role("link", name=number).click()
        staff.get_by_role("heading", name=re.compile(number)).wait_for()

    # the officer accepts, uploads the DOCX as 公开的政府信息 and drafts a 予以公开 reply
    context, officer = as_user(browser, base, "jtj_zy")
    open_case(officer)
    _, accept = case_action(officer, "受理并分派承办人", "受理")
    accept.click()
    officer.get_by_text("已受理").first.wait_for()
    section, _ = case_action(officer, "上传材料", "上传")
    section.get_by_label("材料类别").select_option(label="公开的政府信息")
    section.get_by_label("文件").set_input_files(str(released))
    section.get_by_role("button", name="上传").click()
    officer.get_by_text("材料已上传").wait_for()
    section, submit = case_action(officer, "拟写答复", "提交审核")
    section.get_by_label("答复类型").select_option(value="disclosed")
    section.get_by_label("答复意见").fill("所申请的政府信息见附件。")
    submit.click()
    officer.get_by_text("答复已提交审核").wait_for()
    context.close()

    # the reviewer is refused until the findings are masked, then approves
    context, reviewer = as_user(browser, base, "jtj_sh")
    open_case(reviewer)
    _, approve = case_action(reviewer, "审核答复", "提交审核意见")
    approve.click()
    expect(reviewer.get_by_text("尚未通过隐私审查").first).to_be_visible()
    reviewer.goto(base + "/backoffice/privacy/")
    reviewer.get_by_role("link", name=number).click()
    reviewer.get_by_role("button", name=re.compile("遮盖全部须处理的")).click()
    expect(reviewer.get_by_text("已全部处理，可以公开")).to_be_visible()
    open_case(reviewer)
    _, approve = case_action(reviewer, "审核答复", "提交审核意见")
    approve.click()
    reviewer.get_by_text("审核已完成").wait_for()
    context.close()

    # the applicant, on the tracking page, downloads the released file: the masked copy
    follower = browser.new_context(locale="zh-CN")
    track = follower.new_page()
    track.goto(f"{base}/track/")
    track.get_by_label("登记号").fill(number)
    track.get_by_label("查询码").fill(code)
    track.get_by_role("button", name="查询").click()
    track.get_by_role("heading", name=f"申请 {number}").wait_for()
    with track.expect_download() as download:
        track.get_by_role("link", name="下载").last.click()
    assert download.value.suggested_filename == "道路占用许可情况.docx"
    received = _docx_text(download.value.path())
    assert "320102********4566" in received and "136****5678" in received and "王*" in received
    assert "准予临时占用长江路人行道三十日。" in received
    for value in (BODY_ID, BODY_PHONE, "王五"):
        assert value not in received
    follower.close()
