"""Back-office pages: who sees which letters, actions through forms, exports, work queue."""

import datetime as dt
import io

import openpyxl
import pytest

from gongkai import clock
from gongkai.apps.mailbox.models import Letter, LetterStatus
from gongkai.apps.mailbox.services import letter_answer
from tests.apps.mailbox.helpers import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(mbw):
    return {
        "a": write(mbw.dept_a, subject="交通局的信").letter,
        "b": write(mbw.dept_b, subject="教育局的信").letter,
        "mayor": write(subject="市长信箱的信", content="请问人民公园什么时候开放夜场？").letter,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param(None, 302, id="anonymous: to the login page"),
        pytest.param("applicant", 403, id="a member of the public"),
        pytest.param("officer_b", 403, id="staff of another agency"),
        pytest.param("officer_a", 200, id="staff of the handling agency"),
        pytest.param("supervisor", 200, id="the city supervisor reads across agencies"),
    ],
)
def test_letter_page_permission_matrix(client_for, mbw, letters, who, status):
    client = client_for(getattr(mbw, who) if who else None)
    response = client.get(f"/backoffice/mailbox/letters/{letters['a'].number}/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "13912345678" in html  # staff see the writer's contact to answer
        assert "不得公开" in html


def test_lists_show_only_the_agencys_letters(
    client_for, mbw, letters, django_assert_max_num_queries
):
    client = client_for(mbw.officer_a)
    with django_assert_max_num_queries(12):
        html = client.get("/backoffice/mailbox/letters/").content.decode()
    assert "交通局的信" in html and "教育局的信" not in html and "市长信箱的信" not in html
    everything = client_for(mbw.supervisor).get("/backoffice/mailbox/letters/").content.decode()
    assert all(subject in everything for subject in ("交通局的信", "教育局的信", "市长信箱的信"))


def test_the_list_filters_overdue_and_soon_due_letters(client_for, mbw):
    today = clock.today()
    for subject, days in (("已超期的信", -1), ("两天内到期的信", 2), ("下周到期的信", 7)):
        letter = write(mbw.dept_a, subject=subject).letter
        Letter.objects.filter(pk=letter.pk).update(
            status=LetterStatus.HANDLING, due_date=today + dt.timedelta(days=days)
        )
    client = client_for(mbw.officer_a)
    overdue = client.get("/backoffice/mailbox/letters/?due=overdue").content.decode()
    assert "已超期的信" in overdue
    assert "两天内到期的信" not in overdue and "下周到期的信" not in overdue
    soon = client.get("/backoffice/mailbox/letters/?due=soon").content.decode()
    assert "两天内到期的信" in soon
    assert "已超期的信" not in soon and "下周到期的信" not in soon


def test_dispatch_queue_and_routing_through_the_form(client_for, mbw, letters):
    assert client_for(mbw.officer_a).get("/backoffice/mailbox/dispatch/").status_code == 403
    client = client_for(mbw.dispatcher)
    page = client.get("/backoffice/mailbox/dispatch/").content.decode()
    assert "市长信箱的信" in page and "交通局的信" not in page
    number = letters["mayor"].number
    response = client.post(
        f"/backoffice/mailbox/letters/{number}/assign/", {"agency": mbw.dept_b.pk, "note": ""}
    )
    assert response.status_code == 302
    letter = Letter.objects.get(number=number)
    assert (letter.agency_id, letter.status) == (mbw.dept_b.pk, LetterStatus.HANDLING)


def test_a_denied_form_action_is_403_and_changes_nothing(client_for, mbw, letters):
    number = letters["a"].number
    client = client_for(mbw.officer_b)
    response = client.post(
        f"/backoffice/mailbox/letters/{number}/answer/", {"text": "您好，这是一个答复内容。"}
    )
    assert response.status_code == 403
    officer = client_for(mbw.officer_a)  # an officer drafts but does not sign
    response = officer.post(
        f"/backoffice/mailbox/letters/{number}/answer/", {"text": "您好，这是一个答复内容。"}
    )
    assert response.status_code == 403
    letter = Letter.objects.get(number=number)
    assert (letter.status, letter.reply) == (LetterStatus.HANDLING, "")


def test_a_short_reply_comes_back_with_the_error_and_the_text(client_for, mbw, letters):
    number = letters["a"].number
    response = client_for(mbw.reviewer_a).post(
        f"/backoffice/mailbox/letters/{number}/answer/", {"text": "好的"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "不能少于 10 个字" in html and "好的" in html
    assert Letter.objects.get(number=number).status == LetterStatus.HANDLING


def test_draft_then_submit_then_answer_through_the_pages(client_for, mbw, letters):
    number = letters["a"].number
    officer = client_for(mbw.officer_a)
    officer.post(f"/backoffice/mailbox/letters/{number}/draft/", {"text": "您好，草稿"})
    assert Letter.objects.get(number=number).draft_reply == "您好，草稿"
    officer.post(
        f"/backoffice/mailbox/letters/{number}/submit/", {"text": "您好，首班车6:00发车。"}
    )
    assert Letter.objects.get(number=number).status == LetterStatus.REVIEW
    page = client_for(mbw.reviewer_a).get(f"/backoffice/mailbox/letters/{number}/").content.decode()
    assert "审核通过并答复" in page and "退回修改" in page and "首班车6:00" in page
    client_for(mbw.reviewer_a).post(
        f"/backoffice/mailbox/letters/{number}/answer/", {"text": "您好，首班车6:00发车。"}
    )
    assert Letter.objects.get(number=number).status == LetterStatus.ANSWERED


def test_statistics_page_and_exports(client_for, mbw, letters):
    letter_answer(actor=mbw.reviewer_a, letter=letters["a"], text="您好，首班车6:00发车。")
    client = client_for(mbw.officer_a)
    year = letters["a"].received_on.year
    html = client.get(f"/backoffice/mailbox/stats/?year={year}&by=agency").content.decode()
    assert "测试市交通运输局" in html and "测试市教育局" not in html  # own agency only
    csv_text = client.get(
        f"/backoffice/mailbox/stats/?year={year}&by=category&format=csv"
    ).content.decode("utf-8-sig")
    assert "咨询,1,1,1,100.00%" in csv_text and "合计,1,1,1,100.00%" in csv_text
    response = client_for(mbw.supervisor).get(
        f"/backoffice/mailbox/stats/?year={year}&by=agency&format=xlsx"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1:3] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["测试市交通运输局"] == (1, 1)
    assert rows["测试市人民政府"] == (1, 0)  # the mayor's letter waits at the dispatch office
    assert rows["合计"] == (3, 1)


def test_work_queue_sections(client_for, mbw, letters):
    html = client_for(mbw.dispatcher).get("/backoffice/").content.decode()
    assert "待分办的信件" in html and letters["mayor"].number in html
    officer = client_for(mbw.officer_a).get("/backoffice/").content.decode()
    assert "办理中的信件" in officer and letters["a"].number in officer
    assert letters["b"].number not in officer


def test_supervisor_is_warned_about_letters_unanswered_for_three_months(client_for, mbw):
    import datetime as dt

    from tests.apps.mailbox.helpers import order, take_in

    old = clock.localtime().replace(tzinfo=None) - dt.timedelta(days=100)
    take_in(mbw.dispatcher, order("OLD-0001", old, agency="depta"))
    html = client_for(mbw.supervisor).get("/backoffice/").content.decode()
    assert "互动回应差" in html
    stats = client_for(mbw.supervisor).get("/backoffice/mailbox/stats/").content.decode()
    assert "超过3个月仍未答复" in stats


def test_classifier_and_import_pages_are_for_the_dispatch_office(client_for, mbw):
    for url in ("/backoffice/mailbox/classifier/", "/backoffice/mailbox/imports/"):
        assert client_for(mbw.officer_a).get(url).status_code == 403
        assert client_for(mbw.dispatcher).get(url).status_code == 200


def test_upload_a_work_order_file_through_the_page(
    client_for, mbw, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.apps.mailbox.models import HotlineImport

    data = "工单编号,来电时间,来电人/联系方式,内容,承办单位\nUP-0001,2026-10-09 09:30,王先生 13800000001,路灯不亮,depta\n"
    client = client_for(mbw.dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/backoffice/mailbox/imports/",
            {"file": SimpleUploadedFile("orders.csv", data.encode("utf-8"))},
        )
    record = HotlineImport.objects.get()
    assert (
        response.status_code == 302 and response.url == f"/backoffice/mailbox/imports/{record.pk}/"
    )
    page = client.get(response.url).content.decode()
    assert "新增 1 件" in page
    assert Letter.objects.get(hotline_order_no="UP-0001").agency_id == mbw.dept_a.pk


def test_cli_stats(mbw, letters, capsys):
    import json

    from gongkai.cli import main

    letter_answer(actor=mbw.reviewer_a, letter=letters["a"], text="您好，首班车6:00发车。")
    year = letters["a"].received_on.year
    assert main(["mailbox", "stats", "--year", str(year), "--by", "agency", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["received"] == 3 and data["total"]["answered"] == 1
    assert data["total"]["reply_rate"] == "0.3333"
    assert main(["mailbox", "stats", "--year", str(year), "--agency", "nowhere"]) == 2
    assert "找不到机关" in capsys.readouterr().err
