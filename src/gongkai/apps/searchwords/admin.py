from django.contrib import admin

from gongkai.apps.searchwords.models import QueryStat, SearchAlias


@admin.register(SearchAlias)
class SearchAliasAdmin(admin.ModelAdmin):
    list_display = ("__str__", "agency", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("words", "note")

    def has_add_permission(self, request):  # edits go through the audited back-office page
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QueryStat)
class QueryStatAdmin(admin.ModelAdmin):
    list_display = ("day", "query", "searches", "zero_results")
    date_hierarchy = "day"
    search_fields = ("query",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
