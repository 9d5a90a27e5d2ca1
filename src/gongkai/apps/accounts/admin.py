from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from gongkai.apps.accounts.models import ApiToken, RoleGrant, User
from gongkai.apps.audit.admin_support import AuditedModelAdmin


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class GongkaiUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ("username", "display_name", "agency", "is_active")
    list_filter = ("is_active", "agency__level")
    search_fields = ("username", "display_name", "email", "phone")
    autocomplete_fields = ("agency",)
    inlines = [RoleGrantInline]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("机关与联系方式", {"fields": ("display_name", "phone", "agency")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # tokens are created with `gongkai token create`, which shows the key once
