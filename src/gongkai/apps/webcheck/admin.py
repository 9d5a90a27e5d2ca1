from django.contrib import admin

from gongkai.apps.webcheck.models import IndicatorSet, MediaAccount, Site, WordEntry


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("site_code", "name", "domain", "status")
    search_fields = ("site_code", "name", "domain")


@admin.register(MediaAccount)
class MediaAccountAdmin(admin.ModelAdmin):
    list_display = ("platform", "name", "sponsor", "status")


@admin.register(WordEntry)
class WordEntryAdmin(admin.ModelAdmin):
    list_display = ("wrong", "right", "serious", "active")


@admin.register(IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    list_display = ("year", "updated_at")
