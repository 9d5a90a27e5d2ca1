import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.workcalendar.models import CalendarEntry, CalendarYear, DeadlineRule

D = dt.date
pytestmark = pytest.mark.django_db

READ_PAGES = [
    "/backoffice/calendar/",
    "/backoffice/calendar/?year=2024",
    "/backoffice/calendar/rules/",
    "/backoffice/calendar/deadline/",
]
EDIT_PAGES = [
    "/backoffice/calendar/entries/new/",
    "/backoffice/calendar/entries/2024-10-01/",
    "/backoffice/calendar/entries/2024-10-01/delete/",
    "/backoffice/calendar/import/",
    "/backoffice/calendar/rules/2019/",
    "/backoffice/calendar/rules/new/",
]


def _snapshot():
    return (
        list(CalendarEntry.objects.order_by("day").values_list("day", "kind", "name")),
        list(CalendarYear.objects.values_list("year", flat=True)),
        list(DeadlineRule.objects.order_by("code").values_list("code", "answer_days", "valid_to")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("url", READ_PAGES + EDIT_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", READ_PAGES + EDIT_PAGES)
def test_applicants_are_refused(world, client_for, url):
    assert client_for(world.applicant).get(url).status_code == 403


@pytest.mark.parametrize("who", ["officer_a", "head_b", "supervisor", "admin"])
@pytest.mark.parametrize("url", READ_PAGES)
def test_every_staff_member_reads_the_calendar(world, client_for, who, url):
    assert client_for(getattr(world, who)).get(url).status_code == 200


@pytest.mark.parametrize("who", ["officer_a", "head_a", "supervisor"])
@pytest.mark.parametrize("url", EDIT_PAGES)
def test_only_administrators_open_the_editors(world, client_for, who, url):
    assert client_for(getattr(world, who)).get(url).status_code == 403
    assert client_for(world.admin).get(url).status_code == 200


@pytest.mark.parametrize("who", ["officer_a", "head_a", "supervisor", "applicant"])
def test_denied_writes_change_nothing(world, client_for, who):
    c = client_for(getattr(world, who))
    before = _snapshot()
    posts = [
        (
            "/backoffice/calendar/entries/new/",
            {"day": "2024-11-20", "kind": "holiday", "name": "假"},
        ),
        (
            "/backoffice/calendar/entries/2024-10-01/",
            {"day": "2024-10-01", "kind": "holiday", "name": "改"},
        ),
        ("/backoffice/calendar/entries/2024-10-01/delete/", {}),
        ("/backoffice/calendar/years/confirm/", {"year": "2027", "notice": "通知"}),
        (
            "/backoffice/calendar/rules/2019/",
            {
                "code": "2019",
                "name": "x",
                "valid_from": "2019-05-15",
                "answer_days": "5",
                "extension_max_days": "5",
            },
        ),
        (
            "/backoffice/calendar/import/",
            {
                "file": SimpleUploadedFile(
                    "a.csv", b"2027-01-01,holiday,\xe5\x85\x83\xe6\x97\xa6\n"
                ),
                "confirm": "on",
            },
        ),
    ]
    for url, data in posts:
        assert c.post(url, data).status_code == 403, url
    assert _snapshot() == before


def test_the_year_page_shows_months_entries_and_totals(world, client_for):
    html = client_for(world.officer_a).get("/backoffice/calendar/?year=2024").content.decode()
    assert "工作日历 · 2024年" in html
    assert "全年工作日 <strong>251</strong> 天" in html
    assert "10月12日 星期六 调休上班（国庆节）" in html
    assert "2024年10月1日至2024年10月7日" in html
    assert "修改<span" not in html  # officers read only


def test_administrator_adds_edits_and_deletes_an_entry(world, client_for):
    c = client_for(world.admin)
    response = c.post(
        "/backoffice/calendar/entries/new/",
        {"day": "2024-11-20", "kind": "holiday", "name": "测试假日", "source": "补充通知"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2024")
    assert CalendarEntry.objects.get(day=D(2024, 11, 20)).name == "测试假日"
    response = c.post(
        "/backoffice/calendar/entries/2024-11-20/",
        {"day": "2024-11-21", "kind": "holiday", "name": "测试假日"},
    )
    assert response.status_code == 302
    assert list(
        CalendarEntry.objects.filter(day__month=11, day__year=2024).values_list("day", flat=True)
    ) == [D(2024, 11, 21)]
    assert c.post("/backoffice/calendar/entries/2024-11-21/delete/").status_code == 302
    assert not CalendarEntry.objects.filter(day=D(2024, 11, 21)).exists()
    assert AuditEvent.objects.filter(action__startswith="calendar_entry.").count() == 3


def test_bad_entry_shows_a_chinese_error_and_stores_nothing(world, client_for):
    c = client_for(world.admin)
    before = _snapshot()
    response = c.post(
        "/backoffice/calendar/entries/new/",
        {"day": "2024-11-20", "kind": "workday", "name": "春节"},
    )
    assert response.status_code == 200
    assert "调休上班日只能是周六或周日" in response.content.decode()
    assert _snapshot() == before


def test_import_form_reports_lines_and_stores_nothing_then_imports(world, client_for):
    c = client_for(world.admin)
    before = _snapshot()
    bad = SimpleUploadedFile(
        "2027.csv", "2027-01-01,holiday,元旦\n2027-01-05,workday,元旦\n".encode()
    )
    response = c.post("/backoffice/calendar/import/", {"file": bad, "confirm": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "第2行：2027年1月5日是星期二，调休上班日只能是周六或周日" in html
    assert "未导入任何数据" in html
    assert _snapshot() == before
    good = SimpleUploadedFile(
        "2027.csv", "2027-01-01,holiday,元旦\n2027-02-20,workday,春节\n".encode()
    )
    response = c.post(
        "/backoffice/calendar/import/", {"file": good, "confirm": "on", "notice": "2027年通知"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    assert CalendarYear.objects.get(year=2027).confirmed_by == world.admin


def test_draft_year_is_confirmed_from_its_page(world, client_for):
    c = client_for(world.admin)
    c.post(
        "/backoffice/calendar/entries/new/",
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
    )
    html = c.get("/backoffice/calendar/?year=2027").content.decode()
    assert "草稿，尚未确认" in html and "确认2027年安排已完整录入" in html
    response = c.post(
        "/backoffice/calendar/years/confirm/", {"year": "2027", "notice": "2027年通知"}
    )
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027, notice="2027年通知").exists()


def test_rule_edit_form(world, client_for):
    c = client_for(world.admin)
    rule = DeadlineRule.objects.get(code="2019")
    data = {
        "code": "2019",
        "name": rule.name,
        "valid_from": "2019-05-15",
        "valid_to": "2029-12-31",
        "answer_days": "20",
        "extension_max_days": "20",
        "correction_notice_days": "7",
        "third_party_days": "15",
        "other_agency_days": "15",
        "fee_payment_days": "20",
        "pause_reasons": "third_party,other_agency,fee",
    }
    assert c.post("/backoffice/calendar/rules/2019/", data).status_code == 302
    assert DeadlineRule.objects.get(code="2019").valid_to == D(2029, 12, 31)
    data["valid_from"] = "2008-01-01"
    response = c.post("/backoffice/calendar/rules/2019/", data)
    assert "重叠" in response.content.decode()


def test_calculator_shows_the_strip_with_a_text_alternative(world, client_for):
    html = (
        client_for(world.officer_a)
        .get("/backoffice/calendar/deadline/", {"received": "2024-09-27"})
        .content.decode()
    )
    assert "答复期限届满日：<strong>2024年10月30日</strong>" in html
    assert 'class="daystrip"' in html
    assert "2024年10月1日（星期二）：不计入（国庆节）" in html
    assert "2024年9月29日（星期日）：第1个工作日（调休上班）" in html
    assert "2024年10月30日（星期三）：答复期限届满日，第20个工作日" in html
    assert "不计入：2024年10月1日至10月7日，国庆节（7天）。" in html
    provisional = (
        client_for(world.officer_a)
        .get("/backoffice/calendar/deadline/", {"received": "2026-12-10"})
        .content.decode()
    )
    assert "答复期限届满日：<strong>2027年1月8日</strong>" in provisional
    assert '<span class="tag warn">暂定</span>' in provisional
    assert "暂定：2027年的国务院节假日安排尚未载入" in provisional


@pytest.mark.parametrize(
    ("who", "sees"),
    [("admin", True), ("supervisor", True), ("officer_a", False), ("head_a", False)],
)
def test_from_november_admins_and_supervisors_are_warned(world, client_for, fixed_today, who, sees):
    fixed_today(D(2026, 11, 2))
    home = client_for(getattr(world, who)).get("/backoffice/").content.decode()
    page = client_for(getattr(world, who)).get("/backoffice/calendar/").content.decode()
    assert ("导入2027年节假日安排" in home) is sees
    assert ("2027年节假日安排尚未载入" in page) is sees
    fixed_today(D(2026, 10, 30))
    home = client_for(getattr(world, who)).get("/backoffice/").content.decode()
    assert "导入2027年节假日安排" not in home


def test_the_year_page_needs_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    c = client_for(world.admin)
    c.get("/backoffice/calendar/?year=2024")  # warm the calendar copy and the session
    with django_assert_max_num_queries(14):
        response = c.get("/backoffice/calendar/?year=2024")
    assert response.status_code == 200
