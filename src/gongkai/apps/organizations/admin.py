from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from gongkai.apps.audit.admin_support import AuditedModelAdmin
from gongkai.apps.organizations.models import Agency, PortalSettings
from gongkai.apps.organizations.validation import clean_agency_codes


class AgencyAdminForm(forms.ModelForm):
    """The admin's agency form: the codes checked as on the platform's own pages."""

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        try:
            clean_agency_codes(cleaned.get("uscc"), cleaned.get("org_code", ""))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    self.add_error(field, error)
        return cleaned


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    form = AgencyAdminForm
    list_display = ("name", "code", "kind", "level", "parent", "uscc", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("name", "code", "short_name", "uscc")
    autocomplete_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        obj.uscc, obj.org_code = clean_agency_codes(obj.uscc, obj.org_code)
        super().save_model(request, obj, form, change)


@admin.register(PortalSettings)
class PortalSettingsAdmin(AuditedModelAdmin):
    list_display = ("site_name", "site_domain", "site_id_code")
