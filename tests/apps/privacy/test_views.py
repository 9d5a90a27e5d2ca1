"""Back-office pages: who sees what, one-click mask (htmx and without JavaScript), override."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.backoffice.workqueue import WorkSection
from gongkai.apps.privacy.models import FindingStatus, PrivacyCheck, PrivacyFinding
from gongkai.apps.privacy.services import ReviewSource, privacy_review
from gongkai.apps.privacy.workqueue import privacy_workqueue

pytestmark = pytest.mark.django_db

TEXT = "申请人张伟，身份证号码110101199003074573，手机13812345678。"


@pytest.fixture
def review(world):
    return privacy_review(
        actor=world.officer_a,
        target=world.dept_a,
        agency_id=world.dept_a.pk,
        sources=[ReviewSource("正文", text=TEXT)],
    )


@pytest.mark.parametrize(
    ("who", "list_status", "sees_review", "detail_status"),
    [
        ("anonymous", 302, False, 302),
        ("applicant", 403, False, 403),
        ("officer_b", 200, False, 403),
        ("officer_a", 200, True, 200),
        ("norole_a", 200, True, 200),
        ("supervisor", 200, True, 200),
    ],
)
def test_who_sees_reviews(world, client_for, review, who, list_status, sees_review, detail_status):
    client = client_for(None if who == "anonymous" else getattr(world, who))
    response = client.get("/backoffice/privacy/")
    assert response.status_code == list_status
    if list_status == 200:
        link = f'href="/backoffice/privacy/{review.pk}/"'
        assert (link in response.content.decode()) is sees_review
    assert client.get(f"/backoffice/privacy/{review.pk}/").status_code == detail_status


def test_detail_shows_findings_masked_in_context(world, client_for, review):
    html = client_for(world.officer_a).get(f"/backoffice/privacy/{review.pk}/").content.decode()
    assert "<mark>110101********4573</mark>" in html
    assert "<mark>138****5678</mark>" in html
    assert "110101199003074573" not in html and "13812345678" not in html
    assert "3 处须处理" in html


@pytest.mark.parametrize(
    ("who", "status", "changed"),
    [
        ("officer_b", 403, False),
        ("supervisor", 403, False),
        ("norole_a", 403, False),
        ("officer_a", 200, True),
    ],
)
def test_mask_with_htmx(world, client_for, review, who, status, changed):
    finding = review.findings.get(kind="id_number")
    response = client_for(getattr(world, who)).post(
        f"/backoffice/privacy/findings/{finding.pk}/mask/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == status
    finding.refresh_from_db()
    assert (finding.status == FindingStatus.MASKED) is changed
    assert AuditEvent.objects.filter(action="privacy.finding_mask").exists() is changed
    if changed:
        body = response.content.decode()
        assert body.startswith(f'<tr id="finding-{finding.pk}"') and "已遮盖" in body


def test_mask_without_javascript_redirects_back(world, client_for, review):
    finding = review.findings.get(kind="mobile")
    response = client_for(world.officer_a).post(f"/backoffice/privacy/findings/{finding.pk}/mask/")
    assert response.status_code == 302
    assert response["Location"] == f"/backoffice/privacy/{review.pk}/#finding-{finding.pk}"


def test_override_needs_reviewer_and_reason(world, client_for, review):
    finding = review.findings.get(kind="name")
    url = f"/backoffice/privacy/findings/{finding.pk}/override/"
    assert client_for(world.officer_a).post(url, {"reason": "依法公开"}).status_code == 403
    response = client_for(world.reviewer_a).post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    assert "放行须写明理由" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN
    response = client_for(world.reviewer_a).post(url, {"reason": "来信人同意公开姓名"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OVERRIDDEN
    assert finding.override_reason == "来信人同意公开姓名"


def test_get_on_actions_is_refused(world, client_for, review):
    finding = review.findings.first()
    response = client_for(world.officer_a).get(f"/backoffice/privacy/findings/{finding.pk}/mask/")
    assert response.status_code == 405


def test_workqueue_section_for_the_agency_only(world, review):
    sections = privacy_workqueue(world.officer_a)
    assert [(s.title, s.count) for s in sections] == [("待处理的隐私审查", 1)]
    assert isinstance(sections[0], WorkSection)
    assert "身份证号 1 处" in sections[0].items[0].note
    assert privacy_workqueue(world.officer_b) == []
    assert privacy_workqueue(world.applicant) == []
    for finding in PrivacyFinding.objects.all():
        finding.status = FindingStatus.MASKED
        finding.save()
    assert privacy_workqueue(world.officer_a) == []


def test_list_page_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    for n in range(12):
        privacy_review(
            actor=world.officer_a,
            target=world.users[f"{'officer_a' if n % 2 else 'reviewer_a'}"]
            if n < 2
            else world.dept_b,
            agency_id=world.dept_a.pk,
            sources=[ReviewSource(f"正文{n}", text=TEXT)],
        )
    client = client_for(world.supervisor)
    with django_assert_max_num_queries(12):
        assert client.get("/backoffice/privacy/?show=all").status_code == 200


def _xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序号", "姓名", "身份证号码", "联系电话"])
    sheet.append([1, "赵敏", "11010519491231002X", "13812345678"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_self_check_upload_review_and_masked_download(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.officer_a)
    upload = SimpleUploadedFile("名单.xlsx", _xlsx())
    response = client.post("/backoffice/privacy/checks/new/", {"title": "救助名单", "file": upload})
    assert response.status_code == 302
    check = PrivacyCheck.objects.get()
    review_url = response["Location"]
    html = client.get(review_url).content.decode()
    assert "110105********002X" in html and "下载遮盖件" in html
    download = client.get(f"/backoffice/privacy/checks/{check.pk}/masked/")
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert [c.value for c in sheet[2]] == [1, "赵*", "110105********002X", "138****5678"]
    assert (
        client_for(world.officer_b)
        .get(f"/backoffice/privacy/checks/{check.pk}/masked/")
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": "", "text": "x"}, "这个字段是必填项"),
        ({"title": "无内容"}, "请粘贴文字或上传文件"),
    ],
)
def test_self_check_bad_input_keeps_nothing(world, client_for, data, error):
    response = client_for(world.officer_a).post("/backoffice/privacy/checks/new/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not PrivacyCheck.objects.exists()


def test_self_check_needs_agency_staff(world, client_for):
    assert client_for(world.supervisor).get("/backoffice/privacy/checks/new/").status_code == 403
    assert client_for(world.applicant).get("/backoffice/privacy/checks/new/").status_code == 403


def test_kind_filter_keeps_the_counts(world, client_for, review):
    response = client_for(world.officer_a).get("/backoffice/privacy/?kind=mobile")
    html = response.content.decode()
    link = f'href="/backoffice/privacy/{review.pk}/"'
    assert link in html and "3 处须处理" in html
    html = client_for(world.officer_a).get("/backoffice/privacy/?kind=passport").content.decode()
    assert link not in html


def test_mask_all_masks_the_blocking_findings_once_audited(world, client_for, review):
    url = f"/backoffice/privacy/{review.pk}/mask-all/"
    assert client_for(world.officer_b).post(url).status_code == 403
    assert not review.findings.exclude(status=FindingStatus.OPEN).exists()
    client = client_for(world.officer_a)
    response = client.post(url)
    assert response.status_code == 302
    assert review.findings.filter(status=FindingStatus.MASKED).count() == 3
    event = AuditEvent.objects.get(action="privacy.review_mask_all")
    assert '"kinds"' in event.after and event.agency_id == world.dept_a.pk
    html = client.get(f"/backoffice/privacy/{review.pk}/").content.decode()
    assert "已遮盖 3 处" in html and "已全部处理，可以公开" in html
