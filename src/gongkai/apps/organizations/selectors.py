from __future__ import annotations

from django.db.models import Q, QuerySet

from gongkai.apps.audit.selectors import chain_for_agency
from gongkai.apps.organizations.errors import AgencyNotFound
from gongkai.apps.organizations.models import Agency, AgencyKind


def agency_list_active() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("parent")


def agency_get(code_or_name: str) -> Agency:
    """Find an agency by code, full name or short name (CLI and API use this)."""
    value = code_or_name.strip()
    agency = Agency.objects.filter(Q(code=value) | Q(name=value)).first()
    if agency is None:
        matches = list(Agency.objects.filter(short_name=value)[:2])
        if len(matches) == 1:
            agency = matches[0]
    if agency is None:
        raise AgencyNotFound(f"找不到机关“{value}”（可用机关代码、全称或唯一的简称）")
    return agency


def agency_root() -> Agency | None:
    return (
        Agency.objects.filter(parent__isnull=True, kind=AgencyKind.GOVERNMENT)
        .order_by("id")
        .first()
    )


def agency_children_map() -> dict[int | None, list[Agency]]:
    children: dict[int | None, list[Agency]] = {}
    for agency in Agency.objects.filter(is_active=True).order_by("sort_order", "id"):
        children.setdefault(agency.parent_id, []).append(agency)
    return children


def agency_tree() -> list[tuple[Agency, int]]:
    """All active agencies depth-first with their depth, for indented lists."""
    children = agency_children_map()
    out: list[tuple[Agency, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for agency in children.get(parent_id, []):
            out.append((agency, depth))
            walk(agency.pk, depth + 1)

    walk(None, 0)
    return out


def agency_descendant_ids(agency: Agency, *, include_self: bool = True) -> list[int]:
    children = agency_children_map()
    ids = [agency.pk] if include_self else []
    stack = [agency.pk]
    while stack:
        current = stack.pop()
        for child in children.get(current, []):
            ids.append(child.pk)
            stack.append(child.pk)
    return ids


def agency_own_departments(government: Agency) -> list[Agency]:
    """本级: the government itself and its departments (not lower governments)."""
    return [government] + [
        child
        for child in agency_children_map().get(government.pk, [])
        if child.kind == AgencyKind.DEPARTMENT
    ]


def agency_audit_chains() -> dict[str, str]:
    """Every agency's audit chain, with a label: each agency has one from its creation."""
    return {
        chain_for_agency(pk): f"机关“{name}”（#{pk}）"
        for pk, name in Agency.objects.values_list("pk", "name")
    }
