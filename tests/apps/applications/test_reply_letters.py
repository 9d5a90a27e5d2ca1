"""Reply letters as the applicant downloads them (DOCX and PDF from the tracking page): the
不属于本机关 letter gives the reasons and the responsible agency's name and contact where it can
be determined (条例第三十六条第（五）项); a request to confirm or re-issue is not answered under
第三十九条; the 行政复议机关 is the agency's own where it has set one."""

import io
import re

import pytest
from docx import Document

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.errors import InvalidInput
from tests.apps.applications.factories import register
from tests.pagecheck import pdf_glyphs

pytestmark = pytest.mark.django_db


def _replied(world, decision, text, **kwargs):
    app = register(world)
    code = app.query_code
    app = svc.application_accept(actor=world.officer_a, application=app)
    svc.application_reply_draft(
        actor=world.officer_a, application=app, decision=decision, text=text, **kwargs
    )
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app)
    return app, code


def _downloaded(client, app, code, fmt="docx"):
    """The reply as the applicant downloads it from the tracking page, as text."""
    client.post("/track/", {"number": app.number, "code": code})
    letter = app.letters.get(kind="reply")
    response = client.get(f"/track/{app.public_id}/letters/{letter.pk}.{fmt}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "docx":
        return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    return "".join(g[5] for g in pdf_glyphs(content))


def test_not_this_agency_gives_reasons_and_the_agency_on_the_platform(world, client):
    app, code = _replied(
        world,
        "not_this_agency",
        "所申请的招生计划由教育部门制定，本机关未制作或者获取该信息。",
        referred_agency=world.dept_b,
    )
    text = _downloaded(client, app, code)
    assert "不属于本机关负责公开，理由如下：所申请的招生计划由教育部门制定" in text
    assert "第三十六条第（五）项的规定，告知您该政府信息由测试市教育局负责公开" in text
    contact = f"联系方式：{world.dept_b.office_name}，地址：{world.dept_b.office_address}"
    assert contact in text and f"电话：{world.dept_b.office_phone}" in text


def test_not_this_agency_without_a_known_agency_says_so(world, client):
    app, code = _replied(
        world, "not_this_agency", "所申请信息不属于本机关的职责范围，本机关未保存该信息。"
    )
    text = _downloaded(client, app, code, "pdf")
    assert "本机关无法确定负责公开该政府信息的行政机关。" in text
    assert "联系方式" not in text.split("联系人")[0]


def test_not_this_agency_outside_the_platform_without_contact(world, client):
    app, code = _replied(
        world, "not_this_agency", "该信息由省级部门制作。", referred_other="示例省自然资源厅"
    )
    text = _downloaded(client, app, code)
    assert "告知您该政府信息由示例省自然资源厅负责公开，请向该机关咨询。" in text


def test_not_this_agency_needs_reasons(world):
    app = svc.application_accept(actor=world.officer_a, application=register(world))
    with pytest.raises(InvalidInput) as exc:
        svc.application_reply_draft(
            actor=world.officer_a,
            application=app,
            decision="not_this_agency",
            text="  ",
            referred_agency=world.dept_b,
        )
    assert "不属于本机关负责公开须说明理由" in str(exc.value)


def test_a_confirmation_request_is_not_answered_under_article_39(world, client):
    app, code = _replied(world, "ignored.confirmation", "")
    text = _downloaded(client, app, code)
    assert "第三十九条" not in text
    assert "要求本机关确认或者重新出具您已获取的信息" in text
    assert "《中华人民共和国政府信息公开条例》第二条的规定" in text
    assert "本机关不予处理" in text


def test_the_review_body_defaults_to_the_parent_government(world, client):
    app, code = _replied(world, "ignored.confirmation", "")
    text = _downloaded(client, app, code)
    assert "六十日内向测试市人民政府申请行政复议" in text
    assert "六个月内依法向人民法院提起行政诉讼" in text


def test_a_vertically_managed_agency_names_its_own_review_body(world, client):
    world.dept_a.review_body = "国家税务总局测试省税务局"
    world.dept_a.save()
    app, code = _replied(world, "ignored.confirmation", "")
    for fmt in ("docx", "pdf"):
        text = _downloaded(client, app, code, fmt)
        assert "六十日内向国家税务总局测试省税务局申请行政复议" in text
        assert "测试市人民政府申请行政复议" not in text


def test_the_agency_sets_its_review_body_on_its_guide_form(world):
    from django.test import Client

    from gongkai.apps.organizations.models import Agency

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.head_a)
    page = client.get(f"/backoffice/agency/{world.dept_a.code}/")
    html = page.content.decode()
    assert "行政复议机关" in html
    data = {
        f: getattr(world.dept_a, f) or ""
        for f in (
            "office_name",
            "office_address",
            "office_postcode",
            "office_hours",
            "office_phone",
            "office_fax",
            "office_email",
            "office_website",
            "guide_notes",
        )
    }
    data["review_body"] = "中国人民银行测试市分行"
    data["csrfmiddlewaretoken"] = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    response = client.post(f"/backoffice/agency/{world.dept_a.code}/", data)
    assert response.status_code == 302
    assert Agency.objects.get(pk=world.dept_a.pk).review_body == "中国人民银行测试市分行"


def test_pages_and_letters_state_the_limits_of_the_rule_set(world, client):
    """The figures come from the time-limit rows (seeded from domain.regulations): an
    administrator's change reaches the apply page, the guide and the consultation letter."""
    from gongkai.apps.workcalendar.models import DeadlineRule
    from gongkai.apps.workcalendar.selectors import invalidate

    page = client.get("/apply/").content.decode()
    assert "自收到申请之日起20个工作日内答复" in page and "最长不超过20个工作日" in page
    guide = client.get(f"/agencies/{world.dept_a.code}/guide/").content.decode()
    assert "收到申请之日起7个工作日内一次性告知" in guide

    DeadlineRule.objects.filter(code="2019").update(third_party_days=10, extension_max_days=18)
    invalidate()
    page = client.get("/apply/").content.decode()
    assert "最长不超过18个工作日" in page
    app = svc.application_accept(actor=world.officer_a, application=register(world))
    app = svc.application_consult_start(
        actor=world.officer_a, application=app, kind="third_party", party="某公司", matters="报价"
    )
    letter = app.letters.get(kind="consultation")
    assert "请贵方自收到本函之日起10个工作日内提出意见" in letter.body
