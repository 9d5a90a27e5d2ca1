"""Public pages: writing (never lost, never twice), following a letter, the public column."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.apps.mailbox.models import Letter, LetterAttachment, LetterStatus
from gongkai.apps.mailbox.services import (
    letter_answer,
    letter_publication_prepare,
    letter_publish,
)
from tests.apps.mailbox.helpers import write

pytestmark = pytest.mark.django_db

FORM = {
    "addressee": "mayor",
    "category": "consult",
    "subject": "公交线路咨询",
    "content": "请问12路公交车调整后的首末班时间是几点？",
    "writer_name": "王小明",
    "writer_phone": "13912345678",
    "writer_email": "",
    "writer_address": "",
    "writer_id_number": "",
}


def token(client):
    html = client.get("/mailbox/write/").content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def submit(client, **changes):
    data = {**FORM, "token": token(client), **changes}
    return client.post("/mailbox/write/", data), data


def test_write_confirms_with_number_and_query_code_then_the_writer_follows_it(client, mbw):
    response, _ = submit(client, addressee="depta")
    letter = Letter.objects.get()
    assert response.status_code == 302 and response.url == f"/mailbox/write/done/{letter.number}/"
    done = client.get(response.url).content.decode()
    code = re.search(r'data-testid="query-code">([0-9A-Z]{8})<', done).group(1)
    assert letter.number in done
    assert letter.query_code_hash and code not in letter.query_code_hash  # only a digest is kept
    assert (letter.agency_id, letter.status) == (mbw.dept_a.pk, LetterStatus.HANDLING)
    fresh = type(client)()
    assert fresh.get(f"/mailbox/query/{letter.number}/").status_code == 404  # not proven yet
    found = fresh.post("/mailbox/query/", {"number": letter.number.lower(), "code": code.lower()})
    assert found.status_code == 302
    page = fresh.get(found.url).content.decode()
    assert "请问12路公交车" in page and "办理中" in page


def test_a_reload_of_the_post_does_not_register_the_letter_twice(client, mbw):
    first, data = submit(client)
    second = client.post("/mailbox/write/", data)  # the browser re-sends the same form
    assert Letter.objects.count() == 1
    assert second.status_code == 302 and second.url == first.url
    page = client.get(second.url).content.decode()
    assert "本次未重复登记" in page


def test_a_forged_or_stale_token_keeps_the_input_and_stores_nothing(client, mbw):
    response = client.post("/mailbox/write/", {**FORM, "token": "made-up"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "页面已过期" in html and "请问12路公交车调整后的首末班时间是几点" in html
    assert not Letter.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"writer_phone": "12345"}, "联系电话格式不正确", id="bad phone"),
        pytest.param({"content": "太短"}, "至少包含 10 字符", id="content too short"),
        pytest.param({"writer_id_number": "110105194912310021"}, "校验码错误", id="bad ID number"),
        pytest.param({"writer_name": ""}, "这个字段是必填项", id="no name"),
    ],
)
def test_bad_input_gets_a_chinese_error_and_keeps_what_was_typed(client, mbw, changes, message):
    response, _ = submit(client, **changes)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert "公交线路咨询" in html
    assert not Letter.objects.exists()


def test_no_confirmation_unless_the_letter_was_committed(client, mbw, monkeypatch):
    import gongkai.apps.mailbox.services.letters as letters

    def broken(**kwargs):
        raise RuntimeError("审计写入失败")

    monkeypatch.setattr(letters, "audit_record", broken)
    client.raise_request_exception = False
    response, _ = submit(client)
    assert response.status_code == 500
    assert not Letter.objects.exists()
    assert "mailbox_receipts" not in client.session


def test_attachments_are_kept_private_and_bad_types_refused(client, mbw):
    bad, _ = submit(client, attachments=[SimpleUploadedFile("virus.exe", b"MZ...")])
    assert bad.status_code == 400 and "类型不支持" in bad.content.decode()
    assert not Letter.objects.exists()
    good, _ = submit(
        client,
        addressee="depta",
        attachments=[SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n....")],
    )
    assert good.status_code == 302
    attachment = LetterAttachment.objects.get()
    url = f"/backoffice/mailbox/letters/{attachment.letter.number}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    from django.test import Client

    officer = Client()
    officer.force_login(mbw.officer_a)
    assert officer.get(url).status_code == 200
    other = Client()
    other.force_login(mbw.officer_b)
    assert other.get(url).status_code == 403


def test_wrong_query_codes_are_limited(client, mbw):
    letter = write().letter
    for _ in range(10):
        response = client.post("/mailbox/query/", {"number": letter.number, "code": "AAAAAAAA"})
        assert response.status_code == 400 and "信件编号或查询码不正确" in response.content.decode()
    blocked = client.post("/mailbox/query/", {"number": letter.number, "code": "AAAAAAAA"})
    assert blocked.status_code == 429 and "查询失败次数过多" in blocked.content.decode()


def test_a_registered_writer_sees_their_letters_and_rates_the_reply(client_for, mbw):
    client = client_for(mbw.applicant)
    submit(client, addressee="depta")
    letter = Letter.objects.get()
    assert letter.writer_user_id == mbw.applicant.pk
    assert letter.number in client.get("/mailbox/mine/").content.decode()
    letter_answer(actor=mbw.reviewer_a, letter=letter, text="您好，首班车6:00，末班车21:30。")
    page = client.get(f"/mailbox/mine/{letter.number}/").content.decode()
    assert "首班车6:00" in page and "满意度评价" in page
    rated = client.post(f"/mailbox/query/{letter.number}/rate/", {"satisfaction": "satisfied"})
    assert rated.status_code == 302
    assert Letter.objects.get().satisfaction == "satisfied"
    other = client_for(mbw.other_applicant)
    assert other.get(f"/mailbox/mine/{letter.number}/").status_code == 404
    assert (
        other.post(
            f"/mailbox/query/{letter.number}/rate/", {"satisfaction": "unsatisfied"}
        ).status_code
        == 404
    )
    assert Letter.objects.get().satisfaction == "satisfied"


def test_the_public_column_shows_published_letters_masked_and_nothing_else(client, mbw):
    hidden = write(mbw.dept_a, subject="不公开的信").letter
    shown = write(
        mbw.dept_a,
        consent_publish=True,
        subject="公开的信",
        content="我是王小明，住和平路5号，电话13912345678。请问公交首班几点？",
    ).letter
    for letter in (hidden, shown):
        letter_answer(actor=mbw.reviewer_a, letter=letter, text="王小明您好，首班车6:00发车。")
    letter_publication_prepare(actor=mbw.officer_a, letter=shown)
    letter_publish(actor=mbw.officer_a, letter=shown)
    index = client.get("/mailbox/").content.decode()
    assert "公开的信" in index and "不公开的信" not in index and "共 1 件" in index
    detail = client.get(f"/mailbox/letters/{shown.number}/").content.decode()
    assert "首班车6:00" in detail
    for secret in ("王小明", "13912345678", "和平路5号"):
        assert secret not in detail
    assert client.get(f"/mailbox/letters/{hidden.number}/").status_code == 404
    assert "公开的信" not in client.get("/mailbox/?category=complaint").content.decode()
    assert "公开的信" in client.get("/mailbox/?q=公开").content.decode()


def test_public_statistics_page_has_a_chart_and_a_table(client, mbw):
    letter = write(mbw.dept_a).letter
    letter_answer(actor=mbw.reviewer_a, letter=letter, text="您好，首班车6:00发车，谢谢。")
    html = client.get(f"/mailbox/stats/?year={letter.received_on.year}").content.decode()
    assert "<svg" in html and "<title" in html and "<table" in html
    assert "100.00%" in html  # 1 of 1 answered
    assert client.get("/mailbox/stats/?year=1990").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("回执.pdf", b"MZ\x90\x00program", "实际是Windows 可执行程序"),
        ("回执.pdf", b"<!DOCTYPE html><script>fetch('/x')</script>", "实际是网页或 XML"),
        ("照片.jpg", b"%PDF-1.4\n%%EOF", "的内容是PDF，与扩展名 .jpg 不符"),
    ],
)
def test_disguised_attachments_from_anonymous_writers_are_refused(
    client, mbw, name, content, message
):
    response, _ = submit(client, addressee="depta", attachments=[SimpleUploadedFile(name, content)])
    assert response.status_code == 400 and message in response.content.decode()
    assert not Letter.objects.exists()
