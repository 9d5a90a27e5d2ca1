import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.mailbox.models import TimeLimit

pytestmark = pytest.mark.django_db


def test_administrators_edit_time_limits_in_the_admin_and_it_is_audited(client_for, world):
    admin = world.admin  # as staff_create makes administrators: Django admin for configuration
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = client_for(admin)
    for path in ("timelimit", "routingrule", "mailboxsettings"):
        assert client.get(f"/admin/mailbox/{path}/").status_code == 200
    row = TimeLimit.objects.get(category="consult")
    response = client.post(
        f"/admin/mailbox/timelimit/{row.pk}/change/",
        {"category": "consult", "working_days": "7", "valid_from": "2000-01-01", "source": "测试"},
    )
    assert response.status_code == 302
    assert TimeLimit.objects.get(pk=row.pk).working_days == 7
    event = AuditEvent.objects.filter(action="admin.change", object_type="mailbox.timelimit").get()
    assert '"working_days":7' in event.after.replace(" ", "")
    assert client_for(world.officer_a).get("/admin/mailbox/timelimit/").status_code == 302
