"""双随机一公开 in a browser: a visitor checks a task's commitment, sources, record and results
and re-verifies the record; staff create, freeze and draw a task and enter results."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from gongkai import clock
from tests.e2e.conftest import axe_violations, login

pytestmark = pytest.mark.e2e

STEPS = ("双随机一公开：一单两库一细则", "双随机一公开：本年度抽查任务", "保障房摇号")


def test_a_visitor_sees_commitment_sources_record_and_results(page, live_server, demo, tmp_path):
    demo(*STEPS)
    base = live_server.url
    page.goto(base + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="双随机一公开").click()
    assert page.get_by_role("heading", level=1).inner_text() == "双随机一公开"
    assert axe_violations(page) == []

    page.get_by_role("navigation", name="双随机一公开栏目").get_by_role(
        "link", name="抽查任务与结果"
    ).click()
    page.get_by_label("状态").select_option(label="结果已公示")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=re.compile("企业年度报告公示信息随机抽查")).first.click()
    assert axe_violations(page) == []

    commitment_hash = page.locator("#commitment-hash").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", commitment_hash)
    sources = page.get_by_role("table", name="随机源")
    assert "示例市福利彩票" in sources.inner_text() and "尚未公布" not in sources.inner_text()
    assert page.get_by_text("按 RFC 3797 规范化后的随机源串").is_visible()
    results = page.get_by_role("table", name="抽中对象及检查结果")
    assert "未发现问题" in results.inner_text()
    assert page.get_by_text("按期公示").is_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 JSON").nth(1).click()
    record_path = tmp_path / "record.json"
    download.value.save_as(record_path)
    record = json.loads(record_path.read_text(encoding="utf-8"))
    assert record["commitment_hash"] == commitment_hash

    page.get_by_role("link", name="校验程序 verify_draw.py").is_visible()
    page.goto(base + "/inspections/verify/")
    page.get_by_label("抽取记录文件（.json 或 .json.gz）").set_input_files(str(record_path))
    page.get_by_label("事先公布的承诺哈希（可选）").fill(commitment_hash)
    page.get_by_role("button", name="验证").click()
    assert page.get_by_text("OK：抽取记录复算一致").is_visible()
    assert axe_violations(page) == []

    # one changed source digit is caught
    record["observed"][1]["value"] = str(int(record["observed"][1]["value"]) % 16 + 1)
    record_path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    page.get_by_label("抽取记录文件（.json 或 .json.gz）").set_input_files(str(record_path))
    page.get_by_role("button", name="验证").click()
    assert page.get_by_text(re.compile("不一致：随机源数值的规范串应为")).is_visible()


def test_a_frozen_task_names_its_future_source_and_the_lottery_masks_names(page, live_server, demo):
    demo(*STEPS)
    base = live_server.url
    page.goto(base + "/inspections/tasks/?status=frozen")
    page.get_by_role("link", name=re.compile("合同行为随机抽查")).click()
    assert page.get_by_text("尚未公布").first.is_visible()
    assert page.get_by_text("等待随机源公布后抽取").is_visible()

    page.goto(base + "/inspections/lotteries/")
    page.get_by_role("link", name=re.compile("第一批配租摇号")).click()
    table = page.get_by_role("table", name="申请人顺序号")
    text = table.inner_text()
    assert re.search(r"[\u4e00-\u9fff]\*", text)  # 张* / 张*明
    assert not re.search(r"\d{17}[\dX]", page.content())  # no identity number anywhere
    assert axe_violations(page) == []


def test_staff_create_freeze_and_draw_a_task_then_enter_a_result(page, live_server, demo):
    demo(*STEPS)
    base = live_server.url
    today = clock.today()
    login(page, base, "gsj_zy")
    page.get_by_role("navigation", name="工作台导航").get_by_role(
        "link", name="双随机一公开"
    ).click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="新建抽查任务").click()
    page.get_by_label("任务名称").fill("浏览器测试：经营范围随机抽查")
    page.get_by_label(re.compile("GSJ-001 企业年度报告公示情况检查")).check()
    page.get_by_label("适用细则").select_option(
        label="示例市部门联合“双随机、一公开”监管工作细则（2021年修订）"
    )
    page.get_by_label("区县范围").fill("东城区")
    page.get_by_label("检查开始日期").fill(today.isoformat())
    page.get_by_label("检查结束日期").fill((today + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="保存草稿").click()
    assert page.get_by_text("请核对名单后固化并公布承诺").is_visible()
    assert axe_violations(page) == []

    source = page.get_by_role("group", name="随机源 1")
    source.get_by_label("名称").fill("示例市福利彩票第2026777期开奖号码（红球）")
    source.get_by_label("公布方式").fill("示例市福利彩票中心开奖公告")
    source.get_by_label("公布日期").fill(today.isoformat())
    second = page.get_by_role("group", name=re.compile("随机源 2"))
    second.get_by_label("名称").fill("")
    page.get_by_label(re.compile("我确认名单")).check()
    page.get_by_role("button", name="固化名单并公开承诺").click()
    assert page.get_by_text("名单已固化，承诺已公开").is_visible()

    page.get_by_label("示例市福利彩票第2026777期开奖号码（红球）").fill("02 07 13 19 25 31")
    page.get_by_role("button", name="录入并抽取").click()
    assert page.get_by_text(re.compile("抽取完成：抽中 \\d+ 户")).is_visible()

    page.get_by_role("link", name="抽中对象与检查结果").click()
    assert axe_violations(page) == []
    first_select = page.locator("form.result-form select").first
    first_select.select_option(label="发现问题已责令整改")
    page.locator("form.result-form").first.get_by_role("button", name="保存").click()
    saved = page.locator("form.result-form").first.get_by_text("已保存")
    saved.wait_for()  # swapped in by htmx
    assert saved.is_visible()
    assert page.get_by_text("已录入 0 /").count() == 1  # the page was not reloaded

    # a drawn entity turns out to be deregistered: the next standby of its stratum replaces it
    offer = page.locator("details.substitute").first
    offer.get_by_text("无法检查？由候补递补").click()
    offer.get_by_label("替换原因（将公开显示）").fill("已注销")
    offer.get_by_role("button", name="由本分层下一位候补递补").click()
    assert page.get_by_text(re.compile("已由候补对象.+（分层排序第 \\d+ 位）递补")).is_visible()
    assert page.get_by_text("原抽中：").first.is_visible()
    assert axe_violations(page) == []


def test_task_page_fits_a_phone(mobile_page, live_server, demo):
    demo(*STEPS)
    mobile_page.goto(live_server.url + "/inspections/tasks/?status=published")
    mobile_page.get_by_role("link", name=re.compile("随机抽查")).first.click()
    width = mobile_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
