from typing import Any

from django.db.models import QuerySet

from gongkai.apps.audit.models import AuditEvent, AuditHeadPublication

SYSTEM_CHAIN = "system"


def chain_for_agency(agency_id: int | None) -> str:
    """The audit chain an agency's events are appended to (one per agency, from its creation)."""
    return f"agency:{agency_id}" if agency_id else SYSTEM_CHAIN


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


def audit_heads_published() -> QuerySet[AuditHeadPublication]:
    return AuditHeadPublication.objects.order_by("-on")


def audit_publication_latest(before: Any = None) -> AuditHeadPublication | None:
    """The last publication (on or before the date ``before``, when given)."""
    qs = audit_heads_published()
    if before is not None:
        qs = qs.filter(on__lte=before)
    return qs.first()


def audit_publication_json(publication: AuditHeadPublication) -> dict[str, Any]:
    return {
        "on": publication.on.isoformat(),
        "published_at": publication.published_at.isoformat(),
        "heads": publication.heads,
        "sha256": publication.digest,
        "sm3": publication.digest_sm3,
    }
