"""Public pages: apply online, follow with the query code, supply 补正 material, withdraw."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.models import Application
from tests.apps.applications.factories import ID_OK, PDF, RELEASED_TXT, register

pytestmark = pytest.mark.django_db


def form_data(world, **overrides):
    data = {
        "agency": world.dept_a.pk,
        "applicant_type": "natural_person",
        "name": "孙八",
        "id_type": "id_card",
        "id_number": ID_OK,
        "phone": "13600000000",
        "email": "sunba@example.com",
        "address": "测试市解放路5号",
        "postcode": "139900",
        "description": "请求公开解放路拓宽工程的环境影响评价文件",
        "purpose": "",
        "provide_form": "electronic",
        "delivery": "online",
    }
    data.update(overrides)
    return data


def apply(client, world, **overrides):
    page = client.get("/apply/form/")
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    return client.post("/apply/form/", form_data(world, form_token=token, **overrides))


def test_apply_online_gives_number_and_code_once(world, client):
    response = apply(client, world, attachments=[SimpleUploadedFile("身份证.pdf", PDF)])
    assert response.status_code == 302 and response["Location"] == "/apply/done/"
    app = Application.objects.get()
    assert app.channel == "online" and app.applicant_user is None
    assert app.documents.count() == 1
    done = client.get("/apply/done/").content.decode()
    assert app.number in done
    code = re.search(r'id="query-code">([A-Z0-9-]+)<', done).group(1)
    again = client.get("/apply/done/").content.decode()
    assert app.number in again and code not in again  # the code is shown only once
    # no personal data in the URL or the receipt
    assert "孙八" not in done and ID_OK not in done and "13600000000" not in done


def test_a_reloaded_submission_is_not_registered_twice(world, client):
    page = client.get("/apply/form/")
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    data = form_data(world, form_token=token)
    assert client.post("/apply/form/", data).status_code == 302
    second = client.post("/apply/form/", data)
    assert second.status_code == 302 and second["Location"] == "/apply/done/"
    assert Application.objects.count() == 1


def test_bad_input_is_shown_in_chinese_and_keeps_what_was_typed(world, client):
    response = apply(client, world, id_number="110105195001010014")
    assert response.status_code == 400
    html = response.content.decode()
    assert "身份证号码校验码错误" in html
    assert "解放路拓宽工程" in html  # the description typed is kept
    assert Application.objects.count() == 0


def test_an_uploaded_program_is_refused(world, client):
    response = apply(
        client, world, attachments=[SimpleUploadedFile("scan.pdf", b"MZ\x90\x00binary\x00")]
    )
    assert response.status_code == 400
    assert "实际是Windows 可执行程序，不允许上传" in response.content.decode()
    assert Application.objects.count() == 0


def test_logged_in_applicant_finds_the_case_in_my_list(world, client_for):
    client = client_for(world.applicant)
    apply(client, world)
    app = Application.objects.get()
    assert app.applicant_user == world.applicant
    html = client.get("/my/applications/").content.decode()
    assert app.number in html
    assert client.get(f"/track/{app.public_id}/").status_code == 200
    other = client_for(world.other_applicant)
    assert app.number not in other.get("/my/applications/").content.decode()
    assert other.get(f"/track/{app.public_id}/").status_code == 404


def test_my_list_needs_login(client):
    assert client.get("/my/applications/").status_code == 302


def test_track_with_number_and_code(world, client):
    app = register(world)
    assert client.get(f"/track/{app.public_id}/").status_code == 404
    bad = client.post("/track/", {"number": app.number, "code": "AAAA-BBBB-CCCC"})
    assert bad.status_code == 400 and "不正确" in bad.content.decode()
    ok = client.post("/track/", {"number": app.number.lower(), "code": app.query_code.lower()})
    assert ok.status_code == 302 and ok["Location"] == f"/track/{app.public_id}/"
    html = client.get(ok["Location"]).content.decode()
    assert "已登记，等待受理" in html and "测试市交通运输局" in html
    for secret in ("王小明", ID_OK, "13800000000", "wxm@example.com"):
        assert secret not in html


def test_track_lookups_are_rate_limited(world, client):
    app = register(world)
    for _ in range(10):
        client.post("/track/", {"number": app.number, "code": "WRONG-CODE-0000"})
    blocked = client.post("/track/", {"number": app.number, "code": app.query_code})
    assert blocked.status_code == 429


def test_same_number_at_two_agencies_is_told_apart_by_the_code(world, client):
    a = register(world)
    b = register(world, agency=world.dept_b)
    assert a.number == b.number
    r = client.post("/track/", {"number": b.number, "code": b.query_code})
    assert r["Location"] == f"/track/{b.public_id}/"


def grant(client, app):
    client.post("/track/", {"number": app.number, "code": app.query_code})


def test_applicant_supplies_correction_material_online(world, client):
    app = register(world)
    code = app.query_code
    app = svc.application_accept(actor=world.officer_a, application=app)
    svc.application_correction_request(actor=world.officer_a, application=app, items="请写明文号")
    client.post("/track/", {"number": app.number, "code": code})
    html = client.get(f"/track/{app.public_id}/").content.decode()
    assert "提交补正材料" in html and "请写明文号" in html
    r = client.post(
        f"/track/{app.public_id}/correction/",
        {"files": [SimpleUploadedFile("补正.pdf", PDF)], "note": "文号为测交〔2025〕3号"},
    )
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == "processing" and app.correction_received_on is not None
    assert app.documents.filter(kind="correction").count() == 1


def test_empty_correction_is_refused(world, client):
    app = register(world)
    code = app.query_code
    app = svc.application_accept(actor=world.officer_a, application=app)
    svc.application_correction_request(actor=world.officer_a, application=app, items="请写明文号")
    client.post("/track/", {"number": app.number, "code": code})
    r = client.post(f"/track/{app.public_id}/correction/", {"note": ""})
    assert r.status_code == 400 and "补正材料" in r.content.decode()
    app.refresh_from_db()
    assert app.state == "correction"


def test_applicant_withdraws(world, client):
    app = register(world)
    grant(client, app)
    r = client.post(f"/track/{app.public_id}/withdraw/", {"reason": "不需要了"})
    assert r.status_code == 400  # the confirmation box is required
    r = client.post(f"/track/{app.public_id}/withdraw/", {"reason": "不需要了", "confirm": "on"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == "withdrawn"


def test_letters_and_released_files_are_for_the_applicant_only(world, client, client_for):
    app = register(world)
    code = app.query_code
    app = svc.application_accept(actor=world.officer_a, application=app)
    svc.application_consult_start(
        actor=world.officer_a, application=app, kind="third_party", party="某公司", matters="报价"
    )
    svc.application_consult_end(actor=world.officer_a, application=app, outcome="agree")
    (doc,) = svc.application_document_add(
        actor=world.officer_a, application=app, kind="released", files=[("明细.txt", RELEASED_TXT)]
    )
    svc.application_reply_draft(
        actor=world.officer_a, application=app, decision="disclosed", text="见附件"
    )
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app)
    reply = app.letters.get(kind="reply")
    consult = app.letters.get(kind="consultation")
    client.post("/track/", {"number": app.number, "code": code})
    html = client.get(f"/track/{app.public_id}/").content.decode()
    assert "政府信息公开申请答复书" in html and "征求第三方意见函" not in html
    assert client.get(f"/track/{app.public_id}/letters/{reply.pk}.docx").status_code == 200
    assert client.get(f"/track/{app.public_id}/letters/{consult.pk}.docx").status_code == 404
    download = client.get(f"/track/{app.public_id}/files/{doc.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == RELEASED_TXT
    stranger = client_for(world.other_applicant)
    assert stranger.get(f"/track/{app.public_id}/letters/{reply.pk}.docx").status_code == 404
    assert stranger.get(f"/track/{app.public_id}/files/{doc.pk}/").status_code == 404
    officer_b = client_for(world.officer_b)
    assert officer_b.get(f"/track/{app.public_id}/").status_code == 404


def test_released_files_are_not_shown_before_the_reply(world, client):
    app = register(world)
    code = app.query_code
    app = svc.application_accept(actor=world.officer_a, application=app)
    (doc,) = svc.application_document_add(
        actor=world.officer_a, application=app, kind="released", files=[("明细.txt", RELEASED_TXT)]
    )
    client.post("/track/", {"number": app.number, "code": code})
    assert client.get(f"/track/{app.public_id}/files/{doc.pk}/").status_code == 404


PUBLIC_WHO = [
    "anonymous",
    "applicant",
    "other_applicant",
    "officer_b",
    "norole_a",
    "officer_a",
    "supervisor",
]


def test_public_case_page_matrix(world, client_for):
    app = register(world, applicant_user=world.applicant)
    expected = {"applicant": 200}
    for who in PUBLIC_WHO:
        user = None if who == "anonymous" else getattr(world, who)
        got = client_for(user).get(f"/track/{app.public_id}/").status_code
        assert got == expected.get(who, 404), who


def test_portal_pages_render(world, client):
    assert "依申请公开" in client.get("/apply/").content.decode()
    assert client.get("/track/").status_code == 200
    assert client.get("/apply/form/?agency=depta").status_code == 200
    home = client.get("/").content.decode()
    assert "在线申请" in home and "/apply/form/" in home


def test_agencies_are_grouped_city_then_counties(world, client):
    html = client.get("/apply/form/").content.decode()
    assert '<optgroup label="市级机关">' in html
    assert '<optgroup label="测试市东城区">' in html
    assert html.index("测试市交通运输局") < html.index('<optgroup label="测试市东城区">')


def test_repeated_wrong_query_codes_lock_the_number_with_a_clear_message(world):
    from django.test import Client

    from tests.apps.applications.factories import register

    app = register(world)
    other = register(world)
    client = Client(enforce_csrf_checks=False)
    for attempt in range(1, 5):
        r = client.post("/track/", {"number": app.number, "code": "AAAA-BBBB-CCCC"})
        assert r.status_code == 400
        assert f"该登记号还可尝试{5 - attempt}次" in r.content.decode()
    r = client.post("/track/", {"number": app.number, "code": "AAAA-BBBB-CCCC"})
    assert r.status_code == 429 and f"登记号{app.number}的查询码已连续输错5次" in r.content.decode()
    # locked: even the right code waits; another case is not affected
    r = client.post("/track/", {"number": app.number, "code": app.query_code})
    assert r.status_code == 429 and "后可再试" in r.content.decode()
    r = Client().post("/track/", {"number": other.number, "code": other.query_code})
    assert r.status_code == 302


def test_the_applicant_downloads_the_masked_copy_of_a_released_docx(world, client):
    """The journey of issue 15: a DOCX released with an ID and a phone, masked in the review,
    approved — the applicant's download is the masked copy (checked inside the DOCX)."""
    import io

    from docx import Document as Docx

    from gongkai.apps.privacy.selectors import privacy_findings_open
    from gongkai.apps.privacy.services import privacy_review_mask_all

    planted_id, planted_phone = "320102198511124566", "13612345678"
    source = Docx()
    source.add_paragraph(f"申请人王五，身份证号{planted_id}，联系电话{planted_phone}。")
    buffer = io.BytesIO()
    source.save(buffer)
    app = register(world)
    code = app.query_code
    app = svc.application_accept(actor=world.officer_a, application=app)
    (doc,) = svc.application_document_add(
        actor=world.officer_a,
        application=app,
        kind="released",
        files=[("答复材料.docx", buffer.getvalue())],
    )
    app = svc.application_reply_draft(
        actor=world.officer_a, application=app, decision="disclosed", text="见附件"
    )
    review = privacy_findings_open(app).first().review
    privacy_review_mask_all(actor=world.reviewer_a, review=review)
    app = svc.application_reply_approve(actor=world.reviewer_a, application=app)
    client.post("/track/", {"number": app.number, "code": code})
    download = client.get(f"/track/{app.public_id}/files/{doc.pk}/")
    assert download.status_code == 200
    received = Docx(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in received.paragraphs)
    assert planted_id not in text and planted_phone not in text and "王五" not in text
    assert "320102********4566" in text and "136****5678" in text
