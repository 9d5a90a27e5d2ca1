"""The applicant receives the 补正 and reply notices: in the portal inbox beside 我的, by the
demo's mail backend (files) and by its SMS backend (the outbox log), with 送达 records on the
tracking page and on the case page."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.conftest import as_user, axe_violations, case_action

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_backends(settings, tmp_path):
    """The backends `make demo` uses: mail as files, text messages as a JSON-lines log."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.GONGKAI_SMS_BACKEND = "gongkai.apps.notifications.sms.LoggingSmsBackend"
    settings.GONGKAI_SMS_OUTBOX = str(tmp_path / "sms" / "outbox.jsonl")
    return tmp_path


def _mails(folder) -> list[str]:
    if not folder.exists():
        return []
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.iterdir())]


def _sms(path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_applicant_receives_correction_and_reply_notices(browser, live_server, demo, demo_backends):
    base = live_server.url
    context, applicant = as_user(browser, base, "zhangsan")
    applicant.goto(f"{base}/apply/form/")
    applicant.get_by_label("向哪个机关申请").select_option(label="示例市交通运输局")
    applicant.get_by_label("申请人类型").select_option(label="自然人")
    applicant.get_by_label("姓名或名称").fill("张三")
    applicant.get_by_label("身份证件号码或统一社会信用代码").fill("11010519491231002X")
    applicant.get_by_label("联系电话").fill("13800138000")
    applicant.get_by_label("电子邮箱").fill("zhangsan@example.com")
    applicant.get_by_label("所需政府信息的名称、文号或者便于查询的其他特征性描述").fill(
        "请求公开2025年城市道路养护资金的使用情况"
    )
    applicant.get_by_label("短信（发送到上面的手机号码）").check()
    applicant.get_by_label("电子邮件（发送到上面的邮箱）").check()
    applicant.get_by_role("button", name="提交申请").click()
    applicant.get_by_role("heading", name="申请已提交").wait_for()
    number = applicant.locator(".receipt dd strong").first.inner_text()
    # a signed-in applicant is not told to keep a query code
    assert applicant.get_by_text("请妥善保存查询码").count() == 0

    # the officer accepts and sends the 补正 notice
    staff_context, officer = as_user(browser, base, "jtj_zy")
    officer.goto(f"{base}/backoffice/applications/?state=all&q={number}")
    officer.get_by_role("link", name=number).click()
    _section, accept = case_action(officer, "受理并分派承办人", "受理")
    accept.click()
    officer.get_by_text("已受理").first.wait_for()
    section, send = case_action(officer, "补正告知（一次性告知）", "生成补正告知书")
    section.get_by_label("需补正的事项（每行一项）").fill("请写明所需资金明细的时间范围")
    send.click()
    officer.get_by_text("补正告知书已生成").wait_for()
    letter = officer.get_by_text(re.compile(r"信息公开告〔\d{4}〕\d+号")).first.inner_text()

    # in the portal inbox, with the unread count beside 我的
    applicant.goto(f"{base}/")
    badge = applicant.get_by_role("link", name=re.compile("^我的"))
    assert "1" in badge.inner_text()
    badge.click()
    assert applicant.get_by_text(f"您的申请 {number} 需要补正").first.is_visible()
    applicant.get_by_role("link", name="我的通知").click()
    assert axe_violations(applicant) == []
    applicant.get_by_role("link", name=f"您的申请 {number} 需要补正").click()
    applicant.get_by_role("heading", name=f"申请 {number}").wait_for()
    # by the demo's mail and SMS backends
    mails = _mails(demo_backends / "mail")
    assert len(mails) == 1 and "zhangsan@example.com" in mails[0]
    assert number in mails[0] or "=?utf-8?" in mails[0]
    texts = _sms(demo_backends / "sms" / "outbox.jsonl")
    assert len(texts) == 1 and texts[0]["to"] == "13800138000" and "补正告知书" in texts[0]["text"]
    # the 送达 records on the tracking page
    records = applicant.locator("#notices table")
    assert records.get_by_text("站内通知").is_visible()
    assert records.get_by_text("138****8000").is_visible()
    assert records.get_by_text("z***@example.com").is_visible()
    assert axe_violations(applicant) == []

    # the applicant supplies the material; the officer drafts, the reviewer approves
    applicant.get_by_label("补正说明").fill("时间范围为2025年全年。")
    applicant.get_by_role("button", name="提交补正").click()
    applicant.get_by_text("补正材料已提交").wait_for()
    officer.reload()
    section, submit = case_action(officer, "拟写答复", "提交审核")
    section.get_by_label("答复类型").select_option(value="not_exist")
    submit.click()
    officer.get_by_text("答复已提交审核").wait_for()
    staff_context.close()
    review_context, reviewer = as_user(browser, base, "jtj_sh")
    reviewer.goto(f"{base}/backoffice/applications/?state=all&q={number}")
    reviewer.get_by_role("link", name=number).click()
    _section, approve = case_action(reviewer, "审核答复", "提交审核意见")
    approve.click()
    reviewer.get_by_text("审核已完成").wait_for()
    # the case page shows the delivery evidence to staff
    assert reviewer.get_by_role("heading", name="通知送达记录").is_visible()
    review_context.close()

    applicant.goto(f"{base}/notices/")
    assert applicant.get_by_role("link", name=f"您的申请 {number} 已答复").is_visible()
    assert len(_mails(demo_backends / "mail")) == 2
    texts = _sms(demo_backends / "sms" / "outbox.jsonl")
    assert len(texts) == 2 and "答复书" in texts[1]["text"] and letter not in texts[1]["text"]
    context.close()


def test_a_tracker_without_an_account_leaves_a_phone(browser, live_server, demo, demo_backends):
    from gongkai.apps.applications import services as svc
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.organizations.models import Agency
    from tests.apps.applications.factories import person

    base = live_server.url
    app = svc.application_register(
        actor=SYSTEM,
        agency=Agency.objects.get(code="jtj"),
        channel="online",
        applicant=person(phone="0311-86001234", email=""),
        description="请求公开2025年公交票价调整的听证材料",
    )
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/track/")
    page.get_by_label("登记号").fill(app.number)
    page.get_by_label("查询码").fill(app.query_code)
    page.get_by_role("button", name="查询").click()
    page.get_by_text("设置接收通知的手机号码或电子邮箱").click()
    page.get_by_label("接收短信通知的手机号码").fill("13912345678")
    page.get_by_role("button", name="保存通知方式").click()
    page.get_by_text("通知方式已保存").wait_for()
    context.close()

    officer_context, officer = as_user(browser, base, "jtj_zy")
    officer.goto(f"{base}/backoffice/applications/?state=all&q={app.number}")
    officer.get_by_role("link", name=app.number).click()
    _s, accept = case_action(officer, "受理并分派承办人", "受理")
    accept.click()
    officer.get_by_text("已受理").first.wait_for()
    section, send = case_action(officer, "补正告知（一次性告知）", "生成补正告知书")
    section.get_by_label("需补正的事项（每行一项）").fill("请写明听证会的日期")
    send.click()
    officer.get_by_text("补正告知书已生成").wait_for()
    officer_context.close()
    texts = _sms(demo_backends / "sms" / "outbox.jsonl")
    assert [t["to"] for t in texts] == ["13912345678"]
    assert "凭登记号和查询码" in texts[0]["text"]
    assert _mails(demo_backends / "mail") == []
