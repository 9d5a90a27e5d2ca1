"""条例第四十四条: information released to several applicants can become 主动公开.

The selector finds groups of cases (released files with the same content, or descriptions
that read alike, asked by different applicants); here one click turns a group into a draft
in the 主动公开 catalogue carrying the released files, or records that it was not taken up.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.apps.accounts.models import staff_user
from gongkai.apps.applications.casefacts import suggestion_key
from gongkai.apps.applications.errors import InvalidInput, NotAllowed
from gongkai.apps.applications.models import (
    Application,
    CaseDocument,
    DocumentKind,
    ProactiveSuggestion,
)
from gongkai.apps.applications.permissions import can_intake
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.catalog.errors import CatalogError
from gongkai.apps.catalog.services import document_draft_create
from gongkai.domain.casestates import ApplicationAction


def _cases(agency: Any, application_ids: list[int]) -> list[Application]:
    cases = list(
        Application.objects.filter(
            agency=agency, pk__in=application_ids, decision__in=["disclosed", "partial"]
        ).order_by("received_on", "id")
    )
    if len(cases) != len(set(application_ids)) or len(cases) < 2:
        raise InvalidInput("所选申请不属于本机关，或未予公开，不能据此建议主动公开")
    return cases


def proactive_create_draft(
    *, actor: Actor, agency: Any, application_ids: list[int], title: str
) -> ProactiveSuggestion:
    """Create a catalogue draft from the released files of these cases."""
    if not can_intake(actor, agency.pk):
        raise NotAllowed("您没有权限为本机关建议主动公开")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写主动公开信息的标题", {"title": "请填写标题"})
    with transaction.atomic():
        cases = _cases(agency, application_ids)
        key = suggestion_key([c.pk for c in cases])
        if ProactiveSuggestion.objects.select_for_update().filter(agency=agency, key=key).exists():
            raise NotAllowed("这组申请已处理过")
        documents = list(
            CaseDocument.objects.filter(
                application__in=cases, kind=DocumentKind.RELEASED, withdrawn=False
            ).order_by("id")
        )
        attachments: list[tuple[str, bytes]] = []
        seen: set[str] = set()
        for document in documents:
            if document.sha256 in seen:
                continue
            seen.add(document.sha256)
            with document.file.open("rb") as handle:
                attachments.append((document.original_name, handle.read()))
        numbers = "、".join(c.number for c in cases)
        try:
            draft = document_draft_create(
                actor=actor,
                agency=agency,
                title=title[:200],
                body_html="<p>本信息曾依申请向多名申请人公开，根据《中华人民共和国政府信息公开条例》"
                "第四十四条转为主动公开。</p>",
                attachments=attachments,
                source_note=f"依申请公开转主动公开（登记号：{numbers}）"[:300],
            )
        except CatalogError as exc:
            raise NotAllowed(f"生成目录草稿失败：{exc}") from exc
        suggestion = ProactiveSuggestion.objects.create(
            agency=agency,
            key=key,
            title=title[:200],
            application_ids=[c.pk for c in cases],
            status="created",
            catalog_ref=str(getattr(draft, "pk", "")),
            decided_by=staff_user(actor),
        )
        audit_record(
            actor=actor,
            action=ApplicationAction.PROACTIVE_DRAFT,
            obj=suggestion,
            agency_id=agency.pk,
            after={
                "applications": numbers,
                "catalog_ref": suggestion.catalog_ref,
                "files": len(attachments),
            },
            object_label=title[:200],
        )
    return suggestion


def proactive_dismiss(
    *, actor: Actor, agency: Any, application_ids: list[int], reason: str
) -> ProactiveSuggestion:
    if not can_intake(actor, agency.pk):
        raise NotAllowed("您没有权限处理主动公开建议")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写不予采纳的理由", {"reason": "请填写理由"})
    with transaction.atomic():
        cases = _cases(agency, application_ids)
        key = suggestion_key([c.pk for c in cases])
        if ProactiveSuggestion.objects.select_for_update().filter(agency=agency, key=key).exists():
            raise NotAllowed("这组申请已处理过")
        suggestion = ProactiveSuggestion.objects.create(
            agency=agency,
            key=key,
            title=reason[:200],
            application_ids=[c.pk for c in cases],
            status="dismissed",
            decided_by=staff_user(actor),
        )
        audit_record(
            actor=actor,
            action=ApplicationAction.PROACTIVE_DISMISS,
            obj=suggestion,
            agency_id=agency.pk,
            after={"applications": [c.number for c in cases], "reason": reason[:500]},
            object_label="不予采纳的主动公开建议",
        )
    return suggestion
