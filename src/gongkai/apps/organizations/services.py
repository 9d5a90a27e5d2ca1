from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record, snapshot
from gongkai.apps.organizations.models import Agency
from gongkai.apps.organizations.validation import clean_agency_codes
from gongkai.domain.organizations import AgencyAction

AGENCY_AUDIT_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "level",
    "parent",
    "region_code",
    "uscc",
    "org_code",
    "site_id_code",
    "office_name",
    "office_address",
    "office_postcode",
    "office_hours",
    "office_phone",
    "office_fax",
    "office_email",
    "office_website",
    "guide_notes",
    "review_body",
    "sort_order",
    "is_active",
)


def _validate(agency: Agency) -> None:
    agency.uscc, agency.org_code = clean_agency_codes(agency.uscc, agency.org_code)
    agency.full_clean()


def agency_create(*, actor: Actor, **fields: Any) -> Agency:
    with transaction.atomic():
        agency = Agency(**fields)
        _validate(agency)
        agency.save()
        audit_record(
            actor=actor,
            action=AgencyAction.CREATE,
            obj=agency,
            agency_id=agency.pk,
            after=snapshot(agency, AGENCY_AUDIT_FIELDS),
        )
    return agency


def agency_update(*, actor: Actor, agency: Agency, **changes: Any) -> Agency:
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        before = snapshot(locked, AGENCY_AUDIT_FIELDS)
        for name, value in changes.items():
            setattr(locked, name, value)
        _validate(locked)
        after = snapshot(locked, AGENCY_AUDIT_FIELDS)
        if before == after:
            return locked
        locked.save()
        changed = [k for k in after if before[k] != after[k]]
        audit_record(
            actor=actor,
            action=AgencyAction.UPDATE,
            obj=locked,
            agency_id=locked.pk,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return locked
