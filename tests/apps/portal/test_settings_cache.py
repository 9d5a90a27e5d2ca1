import pytest

from gongkai.apps.organizations.models import PortalSettings

pytestmark = pytest.mark.django_db


def test_site_settings_come_from_the_cache_until_saved(django_assert_num_queries):
    row = PortalSettings.objects.create(site_name="甲市人民政府")
    assert PortalSettings.current().site_name == "甲市人民政府"
    with django_assert_num_queries(0):
        assert PortalSettings.current().site_name == "甲市人民政府"
    row.site_name = "乙市人民政府"
    row.save()
    assert PortalSettings.current().site_name == "乙市人民政府"
    row.delete()
    assert PortalSettings.current().site_name == "示例市人民政府"  # the defaults
