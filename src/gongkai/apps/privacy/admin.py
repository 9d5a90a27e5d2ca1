from django.contrib import admin

from gongkai.apps.audit.admin_support import AuditedModelAdmin
from gongkai.apps.privacy.models import PrivacySettings


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(AuditedModelAdmin):
    """The one settings row: threshold and masking style (every change is audited)."""

    list_display = ("threshold", "report_floor", "name_style", "address_style", "updated_at")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PrivacySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
