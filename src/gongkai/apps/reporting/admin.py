from django.contrib import admin

from gongkai.apps.audit.admin_support import AuditedModelAdmin
from gongkai.apps.reporting.models import ReportDeadline


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(AuditedModelAdmin):
    list_display = (
        "agency_kind",
        "month",
        "day",
        "remind_month",
        "remind_day",
        "first_year",
        "last_year",
        "basis",
    )
    list_filter = ("agency_kind",)
