"""Configuration data in the Django admin (every edit audited): the item list and the rules.
Tasks, draws, results and lotteries change only through their services."""

from django import forms
from django.contrib import admin

from gongkai.apps.audit.admin_support import AuditedModelAdmin
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import InspectionItem, InspectionRuleSet
from gongkai.apps.inspections.services.directory import RULESET_FIELDS, clean_ruleset


class RuleSetAdminForm(forms.ModelForm):
    """The same checks as the back-office form: exact ratios in [0, 1], at least two inspectors."""

    class Meta:
        model = InspectionRuleSet
        fields = ("agency", *RULESET_FIELDS)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        try:
            clean = clean_ruleset({k: v for k, v in data.items() if k in RULESET_FIELDS})
        except InspectionError as exc:
            raise forms.ValidationError(str(exc)) from exc
        data.update(clean)
        return data


@admin.register(InspectionItem)
class InspectionItemAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "agency", "level", "ratio_text", "frequency", "is_active")
    list_filter = ("level", "is_active", "agency")
    search_fields = ("code", "name", "legal_basis")


@admin.register(InspectionRuleSet)
class InspectionRuleSetAdmin(AuditedModelAdmin):
    form = RuleSetAdminForm
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
