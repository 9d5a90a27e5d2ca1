"""The site's identity moved from the portal to the organizations context (ADR 0185): the
migration keeps the row and its content type, forward and back."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.apps.organizations.models import PortalSettings

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("organizations", "0002_agency_review_body"), ("portal", "0001_initial")]
AFTER = [
    ("organizations", "0003_portalsettings"),
    ("portal", "0002_portalsettings_moves_to_organizations"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_site_settings_row_and_its_content_type_move_to_organizations():
    old = _migrate(BEFORE)
    ContentType.objects.filter(model="portalsettings").delete()
    ContentType.objects.clear_cache()
    old_type = ContentType.objects.create(app_label="portal", model="portalsettings")
    row = old.get_model("portal", "PortalSettings").objects.create(
        site_name="甲市人民政府", site_id_code="1399000001", icp="甲ICP备1号"
    )

    new = _migrate(AFTER)
    moved = new.get_model("organizations", "PortalSettings").objects.get()
    assert (moved.pk, moved.site_name, moved.site_id_code, moved.icp) == (
        row.pk,
        "甲市人民政府",
        "1399000001",
        "甲ICP备1号",
    )
    assert ContentType.objects.get(pk=old_type.pk).app_label == ("organizations")
    assert "portal_portalsettings" not in connection.introspection.table_names()

    back = _migrate(BEFORE)
    restored = back.get_model("portal", "PortalSettings").objects.get()
    assert (restored.pk, restored.site_name) == (row.pk, "甲市人民政府")
    assert ContentType.objects.get(pk=old_type.pk).app_label == ("portal")

    _migrate(AFTER)  # leave the database at the latest state
    assert PortalSettings.current().site_name == "甲市人民政府"
