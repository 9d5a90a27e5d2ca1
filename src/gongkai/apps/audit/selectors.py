from django.db.models import QuerySet

from gongkai.apps.audit.models import AuditEvent


def audit_events_for_object(obj) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("created_at", "id")


def audit_events_visible(user, *, agency_ids: set[int] | None) -> QuerySet[AuditEvent]:
    """Events a staff member may read: their agencies' chains, or all for supervisors."""
    qs = AuditEvent.objects.all().order_by("-id")
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    return qs
