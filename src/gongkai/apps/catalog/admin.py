"""Configuration data of the catalogue (per-site vocabularies and columns), audited.

Documents, gazette issues and tallies are never edited here: they have services and pages."""

from django import forms
from django.contrib import admin

from gongkai.apps.audit.admin_support import AuditedModelAdmin
from gongkai.apps.catalog.models import AgencyCatalogSettings, Column, Genre, Topic
from gongkai.apps.catalog.selectors.search import vocab_forget
from gongkai.domain.indexno import IndexNoPatternError, validate_pattern


class VocabularyAdmin(AuditedModelAdmin):
    """Edits show on the portal at once in this process (others refresh within a minute)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        vocab_forget()


@admin.register(Topic)
class TopicAdmin(VocabularyAdmin):
    list_display = ("path", "name", "parent", "sort_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("path", "name")


@admin.register(Genre)
class GenreAdmin(VocabularyAdmin):
    list_display = ("name", "is_official", "sort_order", "is_active")
    list_filter = ("is_official", "is_active")


@admin.register(Column)
class ColumnAdmin(VocabularyAdmin):
    list_display = ("name", "slug", "kind", "parent", "on_home", "sort_order", "is_active")
    list_filter = ("kind", "on_home", "is_active")
    search_fields = ("name", "slug")


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AgencyCatalogSettings
        fields = ("agency", "index_pattern")

    def clean_index_pattern(self):
        value = self.cleaned_data["index_pattern"].strip()
        try:
            return validate_pattern(value)
        except IndexNoPatternError as exc:
            raise forms.ValidationError(str(exc)) from exc


@admin.register(AgencyCatalogSettings)
class AgencyCatalogSettingsAdmin(AuditedModelAdmin):
    form = SettingsForm
    list_display = ("agency", "index_pattern")
    search_fields = ("agency__name",)
