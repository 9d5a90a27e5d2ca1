from django.contrib import admin

from gongkai.apps.audit.admin_support import AuditedModelAdmin
from gongkai.apps.portal.models import PortalSettings


@admin.register(PortalSettings)
class PortalSettingsAdmin(AuditedModelAdmin):
    list_display = ("site_name", "site_domain", "site_id_code")
