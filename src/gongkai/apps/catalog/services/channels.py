"""Where else information went: per-document channel records and monthly channel tallies.

Both feed the annual report's 主动公开 figures (catalog_report_facts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai import clock
from gongkai.apps.accounts.models import Role
from gongkai.apps.accounts.permissions import can_act_for_agency, is_admin
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.catalog.errors import CatalogValidationError
from gongkai.apps.catalog.models import (
    AgencyCatalogSettings,
    ChannelRecord,
    ChannelTally,
    Document,
    DocumentState,
    PublicationChannelChoices,
)
from gongkai.apps.catalog.permissions import can_edit_for, can_enter_tallies_for, is_system
from gongkai.apps.catalog.services.common import require
from gongkai.domain.catalogue import CatalogAction
from gongkai.domain.indexno import IndexNoPatternError, validate_pattern

MAX_MONTHLY_COUNT = 1_000_000


def document_channel_set(
    *, actor: Actor, document: Document, channel: str, published_on: dt.date, note: str = ""
) -> ChannelRecord:
    """Record (or correct) that a published document also went out on ``channel``."""
    require(can_edit_for(actor, document.agency_id))
    if (
        channel not in PublicationChannelChoices.values
        or channel == PublicationChannelChoices.WEBSITE
    ):
        raise CatalogValidationError(
            {"channel": ["渠道应为政府公报、政务微博、政务微信、报刊、电视、电子显示屏或其他"]}
        )
    if published_on is None:
        raise CatalogValidationError({"published_on": ["请填写在该渠道发布的日期"]})
    if published_on > clock.today():
        raise CatalogValidationError({"published_on": ["发布日期不能晚于今天"]})
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=document.pk)
        if doc.state != DocumentState.PUBLISHED:
            raise CatalogValidationError("只有已发布的文件才能登记其他发布渠道")
        record = ChannelRecord.objects.filter(document=doc, channel=channel).first()
        before = (
            {"published_on": record.published_on, "note": record.note}
            if record is not None
            else None
        )
        if record is None:
            record = ChannelRecord(document=doc, channel=channel)
        record.published_on = published_on
        record.note = (note or "").strip()[:200]
        record.save()
        audit_record(
            actor=actor,
            action=CatalogAction.CHANNEL_SET,
            obj=doc,
            agency_id=doc.agency_id,
            before=before,
            after={"channel": channel, "published_on": published_on, "note": record.note},
        )
    return record


def document_channel_remove(*, actor: Actor, record: ChannelRecord) -> None:
    require(can_edit_for(actor, record.document.agency_id))
    with transaction.atomic():
        doc = record.document
        audit_record(
            actor=actor,
            action=CatalogAction.CHANNEL_REMOVE,
            obj=doc,
            agency_id=doc.agency_id,
            before={"channel": record.channel, "published_on": record.published_on},
        )
        record.delete()


def channel_tally_set(
    *,
    actor: Actor,
    agency: Any,
    year: int,
    month: int,
    channel: str,
    count: int,
    note: str = "",
) -> ChannelTally:
    """Enter how many items ``agency`` published on ``channel`` in a month outside the
    catalogue (门户网站 news and 动态, 微博, 微信, 报刊, 电视, 电子显示屏 …)."""
    require(can_enter_tallies_for(actor, agency.pk), "只有本机关工作人员才能填报渠道发布统计")
    errors: dict[str, list[str]] = {}
    today = clock.today()
    if channel not in PublicationChannelChoices.values:
        errors["channel"] = ["渠道无法识别"]
    if not 1 <= int(month) <= 12:
        errors["month"] = ["月份应为1至12"]
    if not 2000 <= int(year) <= today.year:
        errors["year"] = [f"年份应在2000年至{today.year}年之间"]
    elif (int(year), int(month)) > (today.year, today.month):
        errors["month"] = ["不能填报尚未到来的月份"]
    if not isinstance(count, int) or count < 0 or count > MAX_MONTHLY_COUNT:
        errors["count"] = [f"条数应为0至{MAX_MONTHLY_COUNT}之间的整数"]
    if errors:
        raise CatalogValidationError(errors)
    with transaction.atomic():
        tally = (
            ChannelTally.objects.select_for_update()
            .filter(agency=agency, year=year, month=month, channel=channel)
            .first()
        )
        before = {"count": tally.count, "note": tally.note} if tally else None
        if tally is None:
            tally = ChannelTally(agency=agency, year=year, month=month, channel=channel)
        tally.count = count
        tally.note = (note or "").strip()[:200]
        if before == {"count": tally.count, "note": tally.note}:
            return tally
        tally.save()
        audit_record(
            actor=actor,
            action=CatalogAction.CHANNEL_TALLY_SET,
            obj=tally,
            agency_id=agency.pk,
            before=before,
            after={
                "year": year,
                "month": month,
                "channel": channel,
                "count": count,
                "note": tally.note,
            },
        )
    return tally


def catalog_settings_set_pattern(
    *, actor: Actor, agency: Any, pattern: str
) -> AgencyCatalogSettings:
    """Change an agency's 索引号 pattern (numbers already given are kept)."""
    require(
        is_system(actor) or is_admin(actor) or can_act_for_agency(actor, agency.pk, Role.HEAD),
        "只有本机关公开办负责人或系统管理员才能修改索引号规则",
    )
    try:
        pattern = validate_pattern((pattern or "").strip())
    except IndexNoPatternError as exc:
        raise CatalogValidationError({"index_pattern": [str(exc)]}) from exc
    with transaction.atomic():
        setting, _ = AgencyCatalogSettings.objects.select_for_update().get_or_create(agency=agency)
        before = setting.index_pattern
        if before == pattern and setting.pk:
            return setting
        setting.index_pattern = pattern
        setting.save()
        audit_record(
            actor=actor,
            action=CatalogAction.PATTERN_SET,
            obj=setting,
            agency_id=agency.pk,
            before={"index_pattern": before},
            after={"index_pattern": pattern},
        )
    return setting
