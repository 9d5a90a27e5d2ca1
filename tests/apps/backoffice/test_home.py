import pytest

from gongkai.apps.backoffice.workqueue import WorkItem, WorkSection
from gongkai.registry import register_workqueue, workqueue_providers


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("applicant", 403), ("norole_a", 200), ("officer_a", 200), ("supervisor", 200)],
)
def test_work_queue_permission_matrix(world, client_for, who, status):
    user = getattr(world, who) if who else None
    assert client_for(user).get("/backoffice/").status_code == status


@pytest.mark.django_db
def test_registered_sections_are_shown_per_user(world, client_for):
    def provider(user):
        if user.agency_id != world.dept_a.pk:
            return []
        return [
            WorkSection("due", "今日到期", 1, [WorkItem("YSQ-2026-000001", "/x/", note="测试")])
        ]

    register_workqueue(provider)
    try:
        assert "YSQ-2026-000001" in client_for(world.officer_a).get("/backoffice/").content.decode()
        assert (
            "YSQ-2026-000001"
            not in client_for(world.officer_b).get("/backoffice/").content.decode()
        )
    finally:
        workqueue_providers.remove(provider)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/backoffice/audit/", "/backoffice/jobs/", "/backoffice/notices/"]
)
def test_back_office_pages_refuse_the_public(world, client_for, path):
    assert client_for(None).get(path).status_code == 302
    assert client_for(world.applicant).get(path).status_code in (
        403,
        200 if "notices" in path else 403,
    )
    assert client_for(world.officer_a).get(path).status_code == 200


@pytest.mark.django_db
def test_audit_log_shows_only_own_agency(world, client_for):
    from django.db import transaction

    from gongkai.apps.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            actor=world.officer_a, action="t.a", object_label="甲局事件", agency_id=world.dept_a.pk
        )
        audit_record(
            actor=world.officer_b, action="t.b", object_label="乙局事件", agency_id=world.dept_b.pk
        )
    html = client_for(world.officer_a).get("/backoffice/audit/").content.decode()
    assert "甲局事件" in html and "乙局事件" not in html
    html = client_for(world.supervisor).get("/backoffice/audit/").content.decode()
    assert "甲局事件" in html and "乙局事件" in html
