"""Configuration data of the mailbox, edited in the admin (every change audited)."""

from django.contrib import admin

from gongkai.apps.audit.admin_support import AuditedModelAdmin
from gongkai.apps.mailbox.models import MailboxSettings, RoutingRule, TimeLimit


@admin.register(MailboxSettings)
class MailboxSettingsAdmin(AuditedModelAdmin):
    list_display = ("__str__", "dispatch_agency", "unanswered_alert_months", "publish_default_on")

    def has_add_permission(self, request):
        return not MailboxSettings.objects.exists() and super().has_add_permission(request)


@admin.register(TimeLimit)
class TimeLimitAdmin(AuditedModelAdmin):
    list_display = ("category", "working_days", "valid_from", "valid_to", "source")
    list_filter = ("category",)


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedModelAdmin):
    list_display = ("name", "keywords", "category", "agency", "weight", "is_active")
    list_filter = ("is_active", "category")
    search_fields = ("name", "keywords")
    autocomplete_fields = ()
