"""Configuration data only (templates, numbering, fee tiers, thresholds), every edit audited."""

from django.contrib import admin

from gongkai.apps.applications.models import CaseRules, FeeTierRow, LetterSettings, LetterTemplate
from gongkai.apps.audit.admin_support import AuditedModelAdmin


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedModelAdmin):
    list_display = ("kind", "variant", "title", "is_active", "updated_at")
    list_filter = ("kind", "is_active")
    search_fields = ("variant", "title", "body")


@admin.register(LetterSettings)
class LetterSettingsAdmin(AuditedModelAdmin):
    list_display = ("agency", "reply_prefix", "notice_prefix")
    search_fields = ("agency__name", "reply_prefix")


@admin.register(FeeTierRow)
class FeeTierRowAdmin(AuditedModelAdmin):
    list_display = (
        "method",
        "lower",
        "upper",
        "unit_price",
        "step",
        "step_increase",
        "valid_from",
        "valid_to",
    )
    list_filter = ("method",)


@admin.register(CaseRules)
class CaseRulesAdmin(AuditedModelAdmin):
    list_display = ("__str__", "repeat_similarity", "mass_threshold", "reminder_working_days")
