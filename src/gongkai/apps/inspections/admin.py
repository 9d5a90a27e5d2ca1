"""Configuration data in the Django admin (every edit audited): the item list and the rules.
Tasks, draws, results and lotteries change only through their services."""

from django.contrib import admin

from gongkai.apps.audit.admin_support import AuditedModelAdmin
from gongkai.apps.inspections.models import InspectionItem, InspectionRuleSet


@admin.register(InspectionItem)
class InspectionItemAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "agency", "level", "ratio_text", "frequency", "is_active")
    list_filter = ("level", "is_active", "agency")
    search_fields = ("code", "name", "legal_basis")


@admin.register(InspectionRuleSet)
class InspectionRuleSetAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "agency",
        "ratio_a",
        "ratio_b",
        "ratio_c",
        "ratio_d",
        "min_inspectors",
        "results_days",
        "valid_from",
        "valid_to",
    )
    list_filter = ("agency",)
