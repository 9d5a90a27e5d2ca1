from django.contrib import admin
from django.core.exceptions import ValidationError

from gongkai.apps.audit.admin_support import AuditedModelAdmin
from gongkai.apps.organizations.models import Agency
from gongkai.apps.organizations.validation import clean_agency_codes


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "kind", "level", "parent", "uscc", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("name", "code", "short_name", "uscc")
    autocomplete_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        obj.uscc, obj.org_code = clean_agency_codes(obj.uscc, obj.org_code)
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class CheckedForm(form):
            def clean(self):
                cleaned = super().clean()
                try:
                    clean_agency_codes(cleaned.get("uscc"), cleaned.get("org_code", ""))
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        for error in errors:
                            self.add_error(field, error)
                return cleaned

        return CheckedForm
