from django.contrib import admin

from gongkai.apps.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "actor_label", "action", "object_label", "chain", "seq")
    list_filter = ("action",)
    search_fields = ("object_label", "actor_label", "action")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
