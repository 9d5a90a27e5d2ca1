"""Back-office pages: permission matrix, forms, Chinese errors; admin for configuration."""

import pytest

from gongkai import clock
from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.catalog.models import ChannelTally, Document, DocumentState
from tests.apps.catalog.factories import column, draft, genre, published, topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [("applicant", 403), ("officer_a", 200), ("officer_b", 403), ("supervisor", 200)],
)
def test_document_page_in_the_back_office_is_for_its_agency_and_supervisors(
    client_for, world, who, status
):
    doc = draft(world.officer_a, world.dept_a)
    response = client_for(getattr(world, who)).get(f"/backoffice/catalog/{doc.pk}/")
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client_for, world):
    doc = draft(world.officer_a, world.dept_a)
    response = client_for(None).get(f"/backoffice/catalog/{doc.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_officer_creates_a_draft_through_the_form(client_for, world):
    c = client_for(world.officer_a)
    response = c.post(
        "/backoffice/catalog/new/",
        {
            "title": "关于开展2026年道路交通安全宣传月活动的通知",
            "column": column().pk,
            "topic": topic().pk,
            "genre": genre().pk,
            "doc_number": "示交发[2026]9号",
            "written_on": "2026-11-02",
            "legal_kind": "other",
            "body_html": "<p>为提高群众交通安全意识<script>alert(1)</script>，开展宣传月活动。</p>",
            "disclosure_method": "proactive",
            "disclosure_scope": "public",
        },
    )
    doc = Document.objects.get(title="关于开展2026年道路交通安全宣传月活动的通知")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/backoffice/catalog/{doc.pk}/"
    )
    assert doc.doc_number == "示交发〔2026〕9号" and "<script>" not in doc.body_html


def test_form_errors_are_chinese_and_nothing_is_stored(client_for, world):
    c = client_for(world.officer_a)
    response = c.post(
        "/backoffice/catalog/new/",
        {
            "title": "文号错误",
            "doc_number": "八号文",
            "legal_kind": "other",
            "disclosure_method": "proactive",
            "disclosure_scope": "public",
        },
    )
    assert response.status_code == 200
    assert "格式不正确" in response.content.decode()
    assert not Document.objects.filter(title="文号错误").exists()


def test_denied_publish_by_another_agency_changes_nothing(client_for, world):
    doc = draft(world.officer_a, world.dept_a)
    other = client_for(world.officer_b)
    events = AuditEvent.objects.count()
    response = other.post(f"/backoffice/catalog/{doc.pk}/submit/")
    assert response.status_code == 403
    doc.refresh_from_db()
    assert doc.state == DocumentState.DRAFT and AuditEvent.objects.count() == events


def test_workflow_buttons_through_the_pages(client_for, world):
    doc = draft(world.officer_a, world.dept_a)
    officer, reviewer = client_for(world.officer_a), client_for(world.reviewer_a)
    officer.post(f"/backoffice/catalog/{doc.pk}/submit/")
    reviewer.post(f"/backoffice/catalog/{doc.pk}/approve/", {"secrecy_opinion": "不涉密"})
    officer.post(f"/backoffice/catalog/{doc.pk}/publish/")
    doc.refresh_from_db()
    assert doc.state == DocumentState.PUBLISHED
    page = officer.get(f"/backoffice/catalog/{doc.pk}/").content.decode()
    assert doc.index_no in page and "其他发布渠道" in page
    officer.post(
        f"/backoffice/catalog/{doc.pk}/channels/",
        {"channel": "weibo", "published_on": "2026-01-05"},
    )
    assert doc.channel_records.get().channel == "weibo"


def test_tally_grid_saves_numbers_and_reports_bad_cells(client_for, world):
    c = client_for(world.officer_a)
    response = c.post(
        "/backoffice/catalog/tallies/",
        {"year": "2025", "agency": world.dept_a.code, "c-1-website": "120", "c-2-weibo": "abc"},
    )
    assert response.status_code == 302
    assert (
        ChannelTally.objects.get(agency=world.dept_a, year=2025, month=1, channel="website").count
        == 120
    )
    assert not ChannelTally.objects.filter(channel="weibo").exists()
    page = c.get(response["Location"]).content.decode()
    assert "不是整数" in page and 'value="120"' in page


def test_tallies_of_another_agency_are_refused(client_for, world):
    response = client_for(world.officer_b).post(
        "/backoffice/catalog/tallies/",
        {"year": "2025", "agency": world.dept_a.code, "c-1-website": "5"},
    )
    assert not ChannelTally.objects.filter(agency=world.dept_a).exists()
    assert response.status_code in (302, 403)


def test_deadlines_page_lists_late_drafts(client_for, world):
    import datetime as dt

    late = draft(
        world.officer_a,
        world.dept_a,
        title="逾期未公开的通知",
        written_on=clock.today() - dt.timedelta(days=60),
    )
    assert late.publish_due is not None and late.publish_due < clock.today()
    page = client_for(world.head_a).get("/backoffice/catalog/deadlines/").content.decode()
    assert "逾期未公开的通知" in page and "已超期" in page
    home = client_for(world.officer_a).get("/backoffice/").content.decode()
    assert "临近或超过公开期限的政府信息" in home


def test_export_and_index_status_pages(client_for, world, fresh_index):
    published(world.dept_a, title="导出测试文件")
    c = client_for(world.officer_a)
    body = b"".join(c.get("/backoffice/catalog/export/?format=csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert "导出测试文件" in body
    assert (
        client_for(world.officer_b).get("/backoffice/catalog/export/?format=csv").status_code == 200
    )
    other = b"".join(
        client_for(world.officer_b).get("/backoffice/catalog/export/?format=csv").streaming_content
    )
    assert "导出测试文件" not in other.decode("utf-8-sig")
    assert c.get("/backoffice/catalog/index/").status_code == 200
    assert c.post("/backoffice/catalog/index/").status_code == 403
    assert client_for(world.admin).post("/backoffice/catalog/index/").status_code == 302


def test_admin_edits_a_column_with_an_audit_event(client_for, world):
    from gongkai.apps.catalog.models import Column

    col = Column.objects.get(slug="press")
    c = client_for(world.admin)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    response = c.post(
        f"/admin/catalog/column/{col.pk}/change/",
        {
            "slug": "press",
            "name": "新闻发布",
            "kind": "press",
            "description": "",
            "sort_order": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    col.refresh_from_db()
    assert col.name == "新闻发布"
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(col.pk)).exists()
