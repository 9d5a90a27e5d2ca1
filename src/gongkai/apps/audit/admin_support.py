"""Django admin edits configuration data; this base class makes every admin edit audited."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from gongkai.apps.audit.services import audit_record, snapshot
from gongkai.domain.auditlog import AuditAction


def _fields(obj) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if f.name not in ("id", "password")]


def _agency_id(obj) -> int | None:
    if obj._meta.label_lower == "organizations.agency":
        return obj.pk
    return getattr(obj, "agency_id", None)


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = None
            if change and obj.pk:
                old = type(obj).objects.filter(pk=obj.pk).first()
                before = snapshot(old, _fields(old)) if old else None
            super().save_model(request, obj, form, change)
            after = snapshot(obj, _fields(obj))
            if before is not None:
                changed = [k for k in after if before.get(k) != after[k]]
                before = {k: before.get(k) for k in changed}
                after = {k: after[k] for k in changed}
            audit_record(
                actor=request.user,
                action=AuditAction.ADMIN_CHANGE if change else AuditAction.ADMIN_ADD,
                obj=obj,
                agency_id=_agency_id(obj),
                before=before,
                after=after,
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            before = snapshot(obj, _fields(obj))
            audit_record(
                actor=request.user,
                action=AuditAction.ADMIN_DELETE,
                obj=obj,
                agency_id=_agency_id(obj),
                before=before,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
