"""Letter wording and fee tiers are configuration an administrator edits (audited)."""

import pytest

from gongkai.apps.applications import services as svc
from gongkai.apps.applications.models import FeeTierRow, LetterTemplate
from gongkai.apps.audit.models import AuditEvent
from tests.apps.applications.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world, client_for):
    world.admin.is_staff = True
    world.admin.is_superuser = True
    world.admin.save()
    return client_for(world.admin)


def test_seeded_configuration(world):
    from gongkai.domain.decisions import DECISIONS

    drafted = {d.code for d in DECISIONS} - {"other.withdrawn"}  # withdrawal has no reply
    assert (
        set(LetterTemplate.objects.filter(kind="reply").values_list("variant", flat=True))
        == drafted
    )
    assert FeeTierRow.objects.filter(method="per_item").count() == 3


def test_edited_wording_is_used_by_the_next_letter_and_audited(world, admin_client):
    row = LetterTemplate.objects.get(kind="correction", variant="")
    url = f"/admin/applications/lettertemplate/{row.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "kind": "correction",
            "variant": "",
            "title": "补正告知书",
            "body": "{申请人}：请补正以下事项：\n{补正事项}\n期限：{补正期限}。",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(row.pk)).exists()
    app = svc.application_accept(actor=world.officer_a, application=register(world))
    app = svc.application_correction_request(actor=world.officer_a, application=app, items="文号")
    letter = app.letters.get(kind="correction")
    assert letter.title == "补正告知书"
    assert letter.body.startswith("王小明：请补正以下事项：")


def test_fee_tier_admin_lists_the_2020_tiers(admin_client):
    html = admin_client.get("/admin/applications/feetierrow/").content.decode()
    assert "按件计收" in html and "按量计收" in html
