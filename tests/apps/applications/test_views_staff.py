"""Back-office pages: the permission matrix on every page, actions through the forms, queue
queries bounded whatever the number of cases."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.models import Application
from gongkai.apps.audit.models import AuditEvent
from tests.apps.applications.factories import ID_OK, PDF, RELEASED_TXT, register

pytestmark = pytest.mark.django_db

WHO = [
    "anonymous",
    "applicant",
    "other_applicant",
    "officer_b",
    "norole_a",
    "officer_a",
    "supervisor",
]


def user(world, who):
    return None if who == "anonymous" else getattr(world, who)


@pytest.fixture
def replied(world):
    app = register(world, attachments=[("申请表.pdf", PDF)], applicant_user=world.applicant)
    app = svc.application_accept(actor=world.officer_a, application=app)
    svc.application_document_add(
        actor=world.officer_a, application=app, kind="released", files=[("明细.txt", RELEASED_TXT)]
    )
    app = svc.application_reply_draft(
        actor=world.officer_a, application=app, decision="disclosed", text="见附件"
    )
    return svc.application_reply_approve(actor=world.reviewer_a, application=app)


def pages(app):
    letter = app.letters.get(kind="reply")
    doc = app.documents.first()
    base = f"/backoffice/applications/{app.pk}"
    return {
        "queue": "/backoffice/applications/",
        "detail": f"{base}/",
        "letter": f"{base}/letters/{letter.pk}.docx",
        "document": f"{base}/files/{doc.pk}/",
        "preview": f"{base}/preview/?decision=not_exist",
        "export": "/backoffice/applications/export.xlsx",
        "suggestions": "/backoffice/applications/suggestions/",
    }


EXPECTED = {
    # page: status per WHO (anonymous, applicant, other_applicant, officer_b, norole_a, officer_a, supervisor)
    "queue": (302, 403, 403, 200, 403, 200, 200),
    "detail": (302, 403, 403, 404, 403, 200, 200),
    "letter": (302, 403, 403, 404, 403, 200, 200),
    "document": (302, 403, 403, 404, 403, 200, 200),
    "preview": (302, 403, 403, 404, 403, 200, 200),
    "export": (302, 403, 403, 200, 403, 200, 200),
    "suggestions": (302, 403, 403, 200, 403, 200, 200),
}


@pytest.mark.parametrize("page", list(EXPECTED))
def test_permission_matrix_on_every_back_office_page(world, client_for, replied, page):
    url = pages(replied)[page]
    for who, status in zip(WHO, EXPECTED[page], strict=True):
        got = client_for(user(world, who)).get(url).status_code
        assert got == status, f"{page} as {who}: {got} != {status}"


def test_overview_is_for_supervisors_only(world, client_for, replied):
    for who, status in zip(WHO, (302, 403, 403, 403, 403, 403, 200), strict=True):
        assert (
            client_for(user(world, who)).get("/backoffice/applications/overview/").status_code
            == status
        )


def test_intake_page_is_for_officers_and_heads(world, client_for):
    for who, status in zip(WHO, (302, 403, 403, 200, 403, 200, 403), strict=True):
        assert (
            client_for(user(world, who)).get("/backoffice/applications/new/").status_code == status
        )
    assert client_for(world.reviewer_a).get("/backoffice/applications/new/").status_code == 403


def test_actions_refused_without_the_role_change_nothing(world, client_for):
    app = register(world)
    url = f"/backoffice/applications/{app.pk}/act/accept/"
    before = Application.objects.filter(pk=app.pk).values().get()
    case_events = AuditEvent.objects.filter(
        object_id=str(app.pk), action__startswith="application."
    )
    events = case_events.count()
    for who, status in [
        ("anonymous", 302),
        ("applicant", 403),
        ("officer_b", 404),
        ("norole_a", 403),
        ("reviewer_a", 403),
        ("supervisor", 403),
    ]:
        got = client_for(user(world, who)).post(url, {}).status_code
        assert got == status, who
    assert Application.objects.filter(pk=app.pk).values().get() == before
    assert case_events.count() == events
    assert client_for(world.officer_a).post(url, {}).status_code == 302
    assert Application.objects.get(pk=app.pk).state == "processing"


def test_staff_list_shows_only_the_own_agencys_cases(world, client_for):
    a = register(world)
    b = register(world, agency=world.dept_b, description="教育局的招生计划及录取名单公开")
    html_a = client_for(world.officer_a).get("/backoffice/applications/").content.decode()
    assert a.number in html_a and "招生计划" not in html_a
    html_s = client_for(world.supervisor).get("/backoffice/applications/").content.decode()
    assert "招生计划" in html_s and b.number in html_s


def test_queue_queries_do_not_grow_with_the_number_of_cases(world, client_for):
    client = client_for(world.officer_a)
    register(world)
    client.get("/backoffice/applications/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/backoffice/applications/").status_code == 200
    for i in range(30):
        register(world, description=f"第{i}批道路改造工程的验收报告全文")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/backoffice/applications/").status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 12


def test_work_queue_sections_are_a_handful_of_queries(world, client_for):
    from gongkai.apps.applications.workqueue import sections

    head = world.head_a
    register(world)
    sections(head)
    with CaptureQueriesContext(connection) as few:
        sections(head)
    for i in range(20):
        register(world, description=f"第{i}号通知的全文及其附件")
    with CaptureQueriesContext(connection) as many:
        found = sections(head)
    assert len(many) == len(few) <= 9
    assert {s.title for s in found} >= {"新登记待受理的申请", "待审核的答复和待审批的延期"}
    html = client_for(head).get("/backoffice/").content.decode()
    assert "新登记待受理的申请" in html


def test_supervisor_sees_every_agencys_overdue_cases(world, client_for):
    old = register(world, channel="in_person", submitted_on=dt.date(2026, 9, 1))
    html = client_for(world.supervisor).get("/backoffice/").content.decode()
    assert "全市逾期未答复的申请" in html and old.number in html
    html = client_for(world.supervisor).get("/backoffice/applications/overview/").content.decode()
    assert "测试市交通运输局" in html and old.number in html and "<svg" in html


def test_intake_by_letter_with_scans(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.officer_a)
    data = {
        "channel": "letter",
        "letter_kind": "registered",
        "submitted_on": "2026-11-16",
        "signed_for_on": "2026-11-18",
        "applicant_type": "natural_person",
        "name": "钱七",
        "id_type": "id_card",
        "id_number": ID_OK,
        "phone": "13700000000",
        "address": "测试市和平路3号",
        "description": "请求公开和平路公交站点迁移的论证材料",
        "provide_form": "paper",
        "delivery": "post",
        "scans": [SimpleUploadedFile("letter.pdf", PDF)],
        "envelope": [SimpleUploadedFile("envelope.pdf", PDF)],
    }
    response = client.post("/backoffice/applications/new/", data)
    assert response.status_code == 302
    app = Application.objects.get(applicant_name="钱七")
    assert app.received_on == dt.date(2026, 11, 18) and app.channel == "letter"
    assert sorted(app.documents.values_list("kind", flat=True)) == ["application_form", "envelope"]
    page = client.get(response["Location"]).content.decode()
    assert "查询码" in page  # shown once to give to the applicant
    assert "查询码" not in client.get(response["Location"]).content.decode().split("申请人")[0]


def test_intake_errors_are_shown_in_chinese_and_nothing_is_stored(world, client_for):
    data = {
        "channel": "letter",
        "letter_kind": "registered",
        "submitted_on": "2026-11-16",
        "applicant_type": "natural_person",
        "name": "钱七",
        "id_number": "110105195001010014",
        "phone": "13700000000",
        "description": "请求公开和平路公交站点迁移的论证材料",
        "provide_form": "paper",
        "delivery": "pickup",
    }
    response = client_for(world.officer_a).post("/backoffice/applications/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "校验码错误" in html or "签收日期" in html
    assert Application.objects.count() == 0


def test_full_case_through_the_action_forms(world, client_for):
    app = register(world)
    officer, reviewer = client_for(world.officer_a), client_for(world.reviewer_a)
    base = f"/backoffice/applications/{app.pk}"
    assert officer.post(f"{base}/act/accept/", {}).status_code == 302
    detail = officer.get(f"{base}/").content.decode()
    assert "补正告知（一次性告知）" in detail and "daystrip" in detail
    r = officer.post(f"{base}/act/correction_request/", {"items": "请写明文号"})
    assert r.status_code == 302
    assert officer.post(f"{base}/act/correction_receive/", {}).status_code == 302
    r = officer.post(f"{base}/act/reply_draft/", {"decision": "disclosed", "text": ""})
    assert r.status_code == 400 and "上传" in r.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = officer.post(
        f"{base}/act/document/",
        {"kind": "released", "files": [SimpleUploadedFile("明细.txt", RELEASED_TXT)]},
    )
    assert r.status_code == 302
    r = officer.post(f"{base}/act/reply_draft/", {"decision": "disclosed", "text": "见附件"})
    assert r.status_code == 302
    assert reviewer.post(f"{base}/act/review/", {"verdict": "approve"}).status_code == 302
    app.refresh_from_db()
    assert app.state == "replied"
    letter = app.letters.get(kind="reply")
    docx = officer.get(f"{base}/letters/{letter.pk}.docx")
    assert docx.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "政府信息公开申请答复书" in text and letter.number in text and "第三十六条" in text


def test_letter_pdf_opens_and_carries_the_text(world, client_for, replied):
    from pypdf import PdfReader

    letter = replied.letters.get(kind="reply")
    response = client_for(world.officer_a).get(
        f"/backoffice/applications/{replied.pk}/letters/{letter.pk}.pdf"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "答复书" in text.replace(" ", "") and "2026" in text


def test_export_has_no_id_numbers_and_is_audited(world, client_for, replied):
    from openpyxl import load_workbook

    response = client_for(world.officer_a).get("/backoffice/applications/export.xlsx?state=all")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "登记号" and rows[1][0] == replied.number
    assert ID_OK not in str(rows) and "13800000000" not in str(rows)
    assert AuditEvent.objects.filter(action="application.export").exists()


def test_bad_action_input_keeps_the_form_and_says_why(world, client_for):
    app = svc.application_accept(actor=world.officer_a, application=register(world))
    r = client_for(world.officer_a).post(
        f"/backoffice/applications/{app.pk}/act/extension_request/", {"days": 30, "reason": "量大"}
    )
    assert r.status_code == 400
    assert "1至20个工作日" in r.content.decode()
    app.refresh_from_db()
    assert app.extension_status == "none"


def test_the_work_queue_lists_a_case_once_when_it_waits_for_two_approvals(world):
    from gongkai.apps.applications.workqueue import sections
    from tests.apps.applications.factories import accepted

    app = accepted(world)
    app = svc.application_extension_request(
        actor=world.officer_a, application=app, days=10, reason="需要调取档案逐件核对"
    )
    app = svc.application_reply_draft(
        actor=world.officer_a, application=app, decision="not_exist", text=""
    )
    assert (app.state, app.extension_status) == ("review", "requested")
    [approval] = [s for s in sections(world.head_a) if s.key == "app-approval"]
    assert approval.count == 1
    assert [item.note for item in approval.items] == ["答复待审核；延期待审批"]
    # the detail page: the head's actions closed except one opened on demand
    html = client_page(world.head_a, f"/backoffice/applications/{app.pk}/")
    assert html.count('class="card action case-action"') >= 2
    assert 'name="case-actions" id="act-review-section" open' not in html
    assert "通知送达记录" in html and 'class="case-next"' in html


def client_page(user, url):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def test_fee_notice_by_post_and_its_service_through_the_forms(world, client_for):
    """The officer sends a 收费通知 by post, records the day it was signed for, and the case
    page shows the payment period counted from that day, day by day."""
    app = register(world, channel="in_person", submitted_on=dt.date(2026, 9, 21))
    app = svc.application_accept(actor=world.officer_a, application=app, on=dt.date(2026, 9, 22))
    officer = client_for(world.officer_a)
    base = f"/backoffice/applications/{app.pk}"
    r = officer.post(
        f"{base}/act/fee_notice/",
        {"method": "per_page", "units": "150", "on": "2026-09-25", "delivery": "registered_post"},
    )
    assert r.status_code == 302
    page = officer.get(f"{base}/").content.decode()
    assert "尚未登记送达日期" in page and "登记收费通知送达" in page
    r = officer.post(f"{base}/act/fee_served/", {"on": "2026-09-24"})
    assert r.status_code == 400 and "日期不正确" in r.content.decode()
    assert officer.post(f"{base}/act/fee_served/", {"on": "2026-09-30"}).status_code == 302
    page = officer.get(f"{base}/").content.decode()
    assert "缴费期限：2026年11月3日" in page
    assert "缴费期限逐日计算" in page
    assert "2026年10月10日：第3个工作日（调休上班）" in page
    assert "2026年11月3日：第20个工作日，缴费期限届满" in page
    assert "不计入：2026年10月1日至10月7日，国庆节（7天）。" in page


def test_the_case_history_shows_each_step_by_its_label(world, client_for, replied):
    """The officer reads the case's history in Chinese, one line per step the frame recorded."""
    html = client_for(world.officer_a).get(f"/backoffice/applications/{replied.pk}/").content
    history = html.decode().split('id="h-timeline"')[1].split("</section>")[0]
    for label in ("登记申请", "受理并分派承办人", "拟写答复，提交审核", "审核通过，作出答复"):
        assert f"<strong>{label}</strong>" in history
    assert "application." not in history
