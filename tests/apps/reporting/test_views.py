"""Pages: the permission matrix of every back-office page and action, and the public pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.reporting.models import Report, ReportScope, ReportStatus
from tests.apps.reporting.conftest import FILLED
from tests.apps.reporting.test_cli import FIXTURES

pytestmark = pytest.mark.django_db


def snapshot(report):
    report.refresh_from_db()
    return (report.status, dict(report.values), dict(report.narrative), report.adjustments.count())


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (None, 302),
        ("applicant", 403),
        ("officer_b", 404),
        ("norole_a", 200),
        ("officer_a", 200),
        ("supervisor", 200),
    ],
    ids=[
        "anonymous",
        "applicant",
        "other-agency-staff",
        "own-staff-without-role",
        "officer",
        "supervisor",
    ],
)
def test_who_may_read_a_draft(world, draft, client_for, who, code):
    client = client_for(getattr(world, who) if who else None)
    response = client.get(f"/backoffice/reporting/{draft.pk}/")
    assert response.status_code == code
    if code == 200:
        assert "校验结果" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (None, 302),
        ("applicant", 403),
        ("officer_b", 404),
        ("norole_a", 403),
        ("supervisor", 403),
    ],
    ids=[
        "anonymous",
        "applicant",
        "other-agency-staff",
        "staff-without-role",
        "supervisor-reads-only",
    ],
)
def test_who_may_not_edit_and_nothing_changes(world, draft, client_for, who, code):
    client = client_for(getattr(world, who) if who else None)
    before = snapshot(draft)
    events = AuditEvent.objects.count()
    for path, data in (
        ("narrative/", {"overview": "改动"}),
        ("refresh/", {}),
        ("adjust/", {"cell": "t3:new:total", "value": "99", "reason": "随意改动试试"}),
        ("publish/", {}),
    ):
        response = client.post(f"/backoffice/reporting/{draft.pk}/{path}", data)
        assert response.status_code == code, path
    assert snapshot(draft) == before
    assert AuditEvent.objects.count() == events


def test_an_officer_edits_but_only_a_head_publishes(
    world, draft, client_for, django_capture_on_commit_callbacks
):
    officer = client_for(world.officer_a)
    response = officer.post(f"/backoffice/reporting/{draft.pk}/narrative/", FILLED, follow=True)
    assert "报告已通过校验" in response.content.decode()
    before = snapshot(draft)
    assert officer.post(f"/backoffice/reporting/{draft.pk}/publish/").status_code == 403
    assert snapshot(draft) == before
    head = client_for(world.head_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = head.post(f"/backoffice/reporting/{draft.pk}/publish/", follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == ReportStatus.PUBLISHED


def test_publishing_an_inconsistent_report_is_refused_on_the_page(world, draft, client_for):
    officer = client_for(world.officer_a)
    officer.post(f"/backoffice/reporting/{draft.pk}/narrative/", FILLED)
    officer.post(
        f"/backoffice/reporting/{draft.pk}/adjust/",
        {"cell": "t3:carry_next:total", "value": "5", "reason": "跨年案件补录"},
    )
    before = snapshot(draft)
    response = client_for(world.head_a).post(
        f"/backoffice/reporting/{draft.pk}/publish/", follow=True
    )
    page = response.content.decode()
    assert "未通过校验，不能发布" in page
    assert "表三“四、结转下年度继续办理”行“总计”列" in page
    assert snapshot(draft) == before


def test_the_editor_shows_tables_drilldown_and_previews(
    world, draft, client_for, django_assert_max_num_queries
):
    client = client_for(world.officer_a)
    response = client.get(f"/backoffice/reporting/{draft.pk}/?cell=t3:new:total")
    page = response.content.decode()
    assert 'data-cell="t3:new:total"' in page
    assert "数字构成：表三“一、本年新收政府信息公开申请数量”行“总计”列" in page
    assert "测试市交通运输局" in page and "YSQ-2025-" in page
    assert "【待填写" in page  # the draft's marker is shown in the form
    for kind, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("html", b"<!doctype")):
        body = client.get(f"/backoffice/reporting/{draft.pk}/preview/{kind}/").content
        assert body.startswith(magic), kind
    with django_assert_max_num_queries(25):
        client.get(f"/backoffice/reporting/{draft.pk}/")


def test_creating_a_report_from_the_list(world, year_2025, client_for):
    client = client_for(world.officer_a)
    page = client.get("/backoffice/reporting/").content.decode()
    assert "由平台记录生成报告" in page
    response = client.post(
        "/backoffice/reporting/",
        {"agency": str(world.dept_a.pk), "year": "2025", "scope": "self"},
    )
    report = Report.objects.get(agency=world.dept_a, year=2025)
    assert response.status_code == 302 and response.url == f"/backoffice/reporting/{report.pk}/"
    # other agencies cannot be chosen; an invalid scope is refused with a reason
    response = client.post(
        "/backoffice/reporting/", {"agency": str(world.dept_b.pk), "year": "2025", "scope": "self"}
    )
    assert "选择一个有效的选项" in response.content.decode()
    response = client.post(
        "/backoffice/reporting/", {"agency": str(world.dept_a.pk), "year": "2024", "scope": "city"}
    )
    assert "不能编制" in response.content.decode()
    # the same report again: the message links to the one that exists
    response = client.post(
        "/backoffice/reporting/", {"agency": str(world.dept_a.pk), "year": "2025", "scope": "self"}
    )
    html = response.content.decode()
    assert "的年度报告已存在" in html
    assert f'<a href="/backoffice/reporting/{report.pk}/">打开该报告</a>' in html
    assert Report.objects.count() == 1


def test_a_supervisor_prepares_the_city_report(world, year_2025, client_for):
    client = client_for(world.supervisor)
    response = client.post(
        "/backoffice/reporting/", {"agency": str(world.city.pk), "year": "2025", "scope": "city"}
    )
    assert response.status_code == 302
    report = Report.objects.get(agency=world.city)
    assert report.scope == ReportScope.CITY and report.values["t3:new:total"] == 9


def test_entered_figures_page(world, year_2025, draft, client_for):
    client = client_for(world.officer_a)
    page = client.get("/backoffice/reporting/figures/?year=2025").content.decode()
    assert "行政许可 本年处理决定数量" in page
    response = client.post(
        "/backoffice/reporting/figures/",
        {
            "year": "2025",
            "agency": "depta",
            "licensing.decisions": "300",
            "penalty.decisions": "1.5",
        },
    )
    assert "整数" in response.content.decode()
    response = client.post(
        "/backoffice/reporting/figures/",
        {"year": "2025", "agency": "depta", "licensing.decisions": "300", "note": "双公示系统"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.values["t2:licensing:decisions"] == 300
    assert client_for(world.applicant).get("/backoffice/reporting/figures/").status_code == 403
    assert client_for(world.norole_a).get("/backoffice/reporting/figures/").status_code == 403
    # another agency's staff asking for depta get their own agency's figures, never depta's
    page = client_for(world.officer_b).get("/backoffice/reporting/figures/?agency=depta").content
    assert "测试市教育局" in page.decode() and "测试市交通运输局" not in page.decode()
    # the city office prepares the government's report and enters the government's figures
    page = client_for(world.supervisor).get("/backoffice/reporting/figures/").content.decode()
    assert "填报数据：测试市人民政府" in page


def test_dashboard_is_for_supervisors(world, draft, client_for):
    assert client_for(world.officer_a).get("/backoffice/reporting/dashboard/").status_code == 403
    page = (
        client_for(world.supervisor)
        .get("/backoffice/reporting/dashboard/?year=2025")
        .content.decode()
    )
    assert "2025年度政府信息公开工作年度报告发布情况" in page
    assert "草稿未发布" in page and "未建立" in page
    assert "<svg" in page and "按期办结率" in page


def test_public_pages_show_only_published_reports(world, draft, client):
    assert client.get("/reports/depta/2025/").status_code == 404
    assert client.get("/reports/depta/2025/download/pdf/").status_code == 404
    assert "暂无已发布的年度报告" in client.get("/reports/").content.decode()


def test_published_report_page_and_downloads(
    world, published, client, django_assert_max_num_queries
):
    page = client.get("/reports/depta/2025/").content.decode()
    assert "测试市交通运输局2025年政府信息公开工作年度报告" in page
    assert "三、收到和处理政府信息公开申请情况" in page and 'rowspan="22"' in page
    assert "<svg" in page and "历年对比" in page
    for kind, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")):
        response = client.get(f"/reports/depta/2025/download/{kind}/?scope=self")
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:4].startswith(magic)
    assert client.get("/reports/depta/2025/download/exe/").status_code == 404
    with django_assert_max_num_queries(6):
        index = client.get("/reports/?year=2025").content.decode()
    assert "测试市交通运输局2025年政府信息公开工作年度报告" in index


def test_public_checker_page(client):
    page = client.get("/reports/check/").content.decode()
    assert "年度报告勾稽关系核对" in page
    data = (FIXTURES / "broken_identity_2021.html").read_bytes()
    response = client.post("/reports/check/", {"file": SimpleUploadedFile("report.html", data)})
    page = response.content.decode()
    assert "存在不成立的勾稽关系" in page
    assert "表三“（一）予以公开”行“总计”列" in page
    response = client.post("/reports/check/", {"file": SimpleUploadedFile("x.doc", b"\xd0\xcf")})
    assert "暂不支持 .doc 文件" in response.content.decode()


def test_home_page_lists_the_latest_reports(world, published, client):
    page = client.get("/").content.decode()
    assert "政府信息公开工作年度报告" in page
    assert "/reports/depta/2025/?scope=self" in page


def test_work_queue_reminds_from_the_first_reminder_day(world, year_2025, client_for, clock_at):
    import datetime as dt

    clock_at(dt.date(2025, 12, 31))
    page = client_for(world.officer_a).get("/backoffice/").content.decode()
    assert "2025年度政府信息公开工作年度报告" not in page  # not before 1 January 2026
    clock_at(dt.date(2026, 1, 2))
    page = client_for(world.officer_a).get("/backoffice/").content.decode()
    assert (
        "待发布的年度报告" in page and "市交通局2025年度政府信息公开工作年度报告（未建立）" in page
    )
    assert "2026年1月31日" in page
    assert (
        "待发布的年度报告" not in client_for(world.applicant).get("/backoffice/").content.decode()
    )
    page = client_for(world.supervisor).get("/backoffice/").content.decode()
    assert "2025年度尚未发布的年度报告" in page
    assert "测试市人民政府" in page  # the city office prepares the government's own report


def test_dashboard_queries_do_not_grow_with_agencies(
    world, draft, client_for, django_assert_max_num_queries
):
    from tests.factories import AgencyFactory

    client = client_for(world.supervisor)
    client.get("/backoffice/reporting/dashboard/?year=2025")  # warm the chart cache
    for i in range(30):
        AgencyFactory(parent=world.city, code=f"extra{i}")
    # 20, plus one query per year summary for the 双公示 records' figures (not per agency)
    with django_assert_max_num_queries(27):
        page = client.get("/backoffice/reporting/dashboard/?year=2025").content.decode()
    assert page.count("未建立") >= 30


def test_the_published_report_is_made_from_the_reviewed_narrative(
    world, draft, client_for, django_capture_on_commit_callbacks
):
    """Issue 15: the narrative is reviewed for personal data before publication (refused on
    the page until handled); the page and every download carry it as the review made it, and
    a value masked after publication leaves the page and the files at once (ADR 0033)."""
    from django.test import Client

    from gongkai.apps.privacy.models import PrivacyFinding
    from gongkai.apps.privacy.selectors import privacy_review_latest
    from gongkai.apps.privacy.services import privacy_finding_mask, privacy_finding_override
    from gongkai.documents.extract import extract_plain_text

    planted_phone = "13612345678"
    narrative = {
        **FILLED,
        "other": f"本年度未收取信息处理费。咨询请联系王五，电话{planted_phone}。",
    }
    officer = client_for(world.officer_a)
    officer.post(f"/backoffice/reporting/{draft.pk}/narrative/", narrative)
    head = client_for(world.head_a)
    with django_capture_on_commit_callbacks(execute=True):
        page = head.post(f"/backoffice/reporting/{draft.pk}/publish/", follow=True)
    assert "年度报告的文字部分未通过隐私审查" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    review = privacy_review_latest(draft)
    phone = PrivacyFinding.objects.get(review=review, kind="mobile")
    name = PrivacyFinding.objects.get(review=review, kind="name")
    privacy_finding_mask(actor=world.reviewer_a, finding=phone)
    privacy_finding_override(actor=world.reviewer_a, finding=name, reason="公开办联系人依法公开")
    with django_capture_on_commit_callbacks(execute=True):
        head.post(f"/backoffice/reporting/{draft.pk}/publish/", follow=True)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.PUBLISHED

    anonymous = Client()

    def received() -> dict[str, str]:
        texts = {"page": anonymous.get("/reports/depta/2025/?scope=self").content.decode()}
        for kind in ("docx", "xlsx", "pdf"):
            response = anonymous.get(f"/reports/depta/2025/download/{kind}/?scope=self")
            assert response.status_code == 200, kind
            texts[kind] = extract_plain_text(f"report.{kind}", b"".join(response.streaming_content))
        return texts

    # the XLSX holds the tables only: nothing planted, nothing to find
    for kind, text in received().items():
        assert planted_phone not in text, kind
        if kind != "xlsx":
            assert "136****5678" in text and "联系王五" in text, kind  # 王五 let through
    privacy_finding_mask(actor=world.reviewer_a, finding=name)  # the override withdrawn
    for kind, text in received().items():
        assert planted_phone not in text and "王五" not in text, kind
        if kind != "xlsx":
            assert "联系王*" in text, kind
    draft.refresh_from_db()
    assert planted_phone in draft.narrative["other"]  # the agency's text stays as written


def test_files_a_publication_left_out_are_rendered_by_the_background_job_and_served(
    world, published, client, django_capture_on_commit_callbacks
):
    import hashlib

    from gongkai.apps.jobs.models import Job, JobStatus
    from gongkai.apps.jobs.services import job_run_inline
    from gongkai.apps.reporting import services
    from gongkai.apps.reporting.models import ReportFile

    ReportFile.objects.filter(report=published).exclude(kind="html").delete()  # as the demo
    with django_capture_on_commit_callbacks(execute=False):
        services.report_files_enqueue(actor=world.head_a, report=published)
    job = job_run_inline(Job.objects.get(kind=services.FILES_JOB).pk)
    assert job.status == JobStatus.DONE and job.result["生成"] == "docx、xlsx、pdf"
    stored = {f.kind: f for f in ReportFile.objects.filter(report=published)}
    assert set(stored) == {"html", "docx", "xlsx", "pdf"}
    for kind in ("docx", "xlsx", "pdf"):
        body = b"".join(client.get(f"/reports/depta/2025/download/{kind}/").streaming_content)
        assert hashlib.sha256(body).hexdigest() == stored[kind].sha256  # the stored file
    assert job_run_inline(job.pk).result["生成"] == "docx、xlsx、pdf"  # ran once, not again
