"""一单两库一细则: items, inspectors, declared conflicts and rule sets (every change audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db import IntegrityError, models, transaction

from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record, snapshot
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import (
    InspectionItem,
    InspectionRuleSet,
    Inspector,
    InspectorConflict,
    ItemLevel,
    MarketEntity,
)
from gongkai.domain.draws.allocation import AllocationError, parse_ratio, ratio_text
from gongkai.domain.draws.canonical import nfc
from gongkai.domain.inspections import InspectionAction

ITEM_FIELDS = ("code", "name", "legal_basis", "object_type", "ratio_text", "frequency", "level")
INSPECTOR_FIELDS = (
    "name",
    "certificate_no",
    "districts",
    "residence_district",
    "extra_recusal_districts",
    "is_active",
)
RULESET_FIELDS = (
    "name",
    "ratio_a",
    "ratio_b",
    "ratio_c",
    "ratio_d",
    "by_industry",
    "standby_ratio",
    "min_inspectors",
    "recuse_same_residence",
    "avoid_repeat_pairs",
    "results_days",
    "valid_from",
    "valid_to",
    "notes",
)


@dataclass(frozen=True)
class _Register:
    """A register whose rows each carry a unique number (事项编码, 执法证号)."""

    model: type[Any]
    fields: tuple[str, ...]  # what the audit log snapshots
    key: str  # the unique number's field
    taken: str  # the message when that number is already used; {} is the number
    create: InspectionAction
    update: InspectionAction


ITEMS = _Register(
    InspectionItem,
    ITEM_FIELDS,
    "code",
    "事项编码“{}”已存在",
    InspectionAction.ITEM_CREATE,
    InspectionAction.ITEM_UPDATE,
)
INSPECTORS = _Register(
    Inspector,
    INSPECTOR_FIELDS,
    "certificate_no",
    "执法证号“{}”已登记",
    InspectionAction.INSPECTOR_CREATE,
    InspectionAction.INSPECTOR_UPDATE,
)


def _register_create(
    register: _Register, *, actor: Actor, agency: Any, clean: dict[str, Any]
) -> Any:
    with transaction.atomic():
        if register.model.objects.filter(**{register.key: clean.get(register.key, "")}).exists():
            raise InspectionError(register.taken.format(clean[register.key]))
        obj = register.model.objects.create(agency=agency, **clean)
        audit_record(
            actor=actor,
            action=register.create,
            obj=obj,
            agency_id=agency.pk,
            after=snapshot(obj, register.fields),
        )
    return obj


def _register_update(register: _Register, *, actor: Actor, obj: Any, clean: dict[str, Any]) -> Any:
    key, objects = register.key, register.model.objects
    with transaction.atomic():
        obj = objects.select_for_update().get(pk=obj.pk)
        if key in clean and objects.filter(**{key: clean[key]}).exclude(pk=obj.pk).exists():
            raise InspectionError(register.taken.format(clean[key]))
        before = snapshot(obj, register.fields)
        for field, value in clean.items():
            setattr(obj, field, value)
        obj.save()
        audit_record(
            actor=actor,
            action=register.update,
            obj=obj,
            agency_id=obj.agency_id,
            before=before,
            after=snapshot(obj, register.fields),
        )
    return obj


def _district_list(values: Any, what: str) -> list[str]:
    out = []
    for value in values or []:
        text = nfc(str(value))
        if not text:
            continue
        if "/" in text or len(text) > 20:
            raise InspectionError(f"{what}“{text}”不能含有“/”且不超过20个字")
        if text not in out:
            out.append(text)
    return sorted(out)


def _clean_item(data: dict[str, Any]) -> dict[str, Any]:
    clean = {k: nfc(str(data[k])) for k in ITEM_FIELDS if k in data}
    for key in ("code", "name", "legal_basis", "object_type"):
        if key in clean and not clean[key]:
            field = cast(models.Field, InspectionItem._meta.get_field(key))
            raise InspectionError(f"{field.verbose_name}不能为空")
    if "level" in clean and clean["level"] not in ItemLevel.values:
        raise InspectionError("事项类别只能是重点检查事项或一般检查事项")
    return clean


def item_create(*, actor: Actor, agency: Any, **data: Any) -> InspectionItem:
    return _register_create(ITEMS, actor=actor, agency=agency, clean=_clean_item(data))


def item_update(*, actor: Actor, item: InspectionItem, **data: Any) -> InspectionItem:
    return _register_update(ITEMS, actor=actor, obj=item, clean=_clean_item(data))


def item_set_active(*, actor: Actor, item: InspectionItem, active: bool) -> InspectionItem:
    with transaction.atomic():
        item = InspectionItem.objects.select_for_update().get(pk=item.pk)
        before = {"is_active": item.is_active}
        item.is_active = active
        item.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            action=InspectionAction.ITEM_ACTIVATE if active else InspectionAction.ITEM_DEACTIVATE,
            obj=item,
            agency_id=item.agency_id,
            before=before,
            after={"is_active": active},
        )
    return item


def _clean_inspector(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "name" in data:
        clean["name"] = nfc(data["name"])
        if not clean["name"]:
            raise InspectionError("执法人员姓名不能为空")
    if "certificate_no" in data:
        clean["certificate_no"] = nfc(data["certificate_no"]).upper()
        if not clean["certificate_no"] or "/" in clean["certificate_no"]:
            raise InspectionError("执法证号不能为空，也不能含有“/”")
    if "districts" in data:
        clean["districts"] = _district_list(data["districts"], "负责区域")
    if "extra_recusal_districts" in data:
        clean["extra_recusal_districts"] = _district_list(
            data["extra_recusal_districts"], "回避区域"
        )
    if "residence_district" in data:
        clean["residence_district"] = nfc(data["residence_district"] or "")
    if "is_active" in data:
        clean["is_active"] = bool(data["is_active"])
    return clean


def inspector_create(*, actor: Actor, agency: Any, **data: Any) -> Inspector:
    return _register_create(INSPECTORS, actor=actor, agency=agency, clean=_clean_inspector(data))


def inspector_update(*, actor: Actor, inspector: Inspector, **data: Any) -> Inspector:
    return _register_update(INSPECTORS, actor=actor, obj=inspector, clean=_clean_inspector(data))


def conflict_declare(
    *, actor: Actor, inspector: Inspector, uscc: str, reason: str
) -> InspectorConflict:
    reason = nfc(reason)
    if not reason:
        raise InspectionError("请填写回避理由")
    entity = MarketEntity.objects.filter(uscc=nfc(uscc).upper()).first()
    if entity is None:
        raise InspectionError(f"名录库中没有统一社会信用代码为“{uscc}”的市场主体")
    try:
        with transaction.atomic():
            conflict = InspectorConflict.objects.create(
                inspector=inspector, entity=entity, reason=reason[:200]
            )
            audit_record(
                actor=actor,
                action=InspectionAction.CONFLICT_DECLARE,
                obj=conflict,
                agency_id=inspector.agency_id,
                after={
                    "inspector": inspector.certificate_no,
                    "entity": entity.uscc,
                    "reason": reason,
                },
            )
    except IntegrityError as exc:
        raise InspectionError(f"{inspector.name}与该市场主体的回避已申报") from exc
    return conflict


def conflict_withdraw(*, actor: Actor, conflict: InspectorConflict) -> None:
    with transaction.atomic():
        before = {
            "inspector": conflict.inspector.certificate_no,
            "entity": conflict.entity.uscc,
            "reason": conflict.reason,
        }
        audit_record(
            actor=actor,
            action=InspectionAction.CONFLICT_WITHDRAW,
            obj=conflict,
            agency_id=conflict.inspector.agency_id,
            before=before,
        )
        conflict.delete()


def clean_ruleset(data: dict[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    for key, label in (
        ("ratio_a", "A类抽查比例"),
        ("ratio_b", "B类抽查比例"),
        ("ratio_c", "C类抽查比例"),
        ("ratio_d", "D类抽查比例"),
        ("standby_ratio", "候补比例"),
    ):
        if key in clean:
            try:
                clean[key] = ratio_text(parse_ratio(str(clean[key]), what=label))
            except AllocationError as exc:
                raise InspectionError(str(exc)) from exc
    if "min_inspectors" in clean and int(clean["min_inspectors"]) < 2:
        raise InspectionError("每户至少应派两名执法人员")
    if "results_days" in clean and int(clean["results_days"]) < 1:
        raise InspectionError("结果公示时限应为正整数个工作日")
    if (
        clean.get("valid_to")
        and clean.get("valid_from")
        and clean["valid_to"] < clean["valid_from"]
    ):
        raise InspectionError("废止日期不能早于施行日期")
    if "name" in clean:
        clean["name"] = nfc(clean["name"])
        if not clean["name"]:
            raise InspectionError("细则名称不能为空")
    return clean


def ruleset_create(*, actor: Actor, agency: Any | None, **data: Any) -> InspectionRuleSet:
    clean = clean_ruleset(data)
    with transaction.atomic():
        ruleset = InspectionRuleSet.objects.create(agency=agency, **clean)
        audit_record(
            actor=actor,
            action=InspectionAction.RULESET_CREATE,
            obj=ruleset,
            agency_id=getattr(agency, "pk", None),
            after=snapshot(ruleset, RULESET_FIELDS),
        )
    return ruleset


def ruleset_update(*, actor: Actor, ruleset: InspectionRuleSet, **data: Any) -> InspectionRuleSet:
    """Rule sets are law-as-data: a draw freezes the values it used into its commitment, so
    later edits never change a published draw."""
    clean = clean_ruleset(data)
    with transaction.atomic():
        ruleset = InspectionRuleSet.objects.select_for_update().get(pk=ruleset.pk)
        before = snapshot(ruleset, RULESET_FIELDS)
        for key, value in clean.items():
            setattr(ruleset, key, value)
        if ruleset.valid_to and ruleset.valid_to < ruleset.valid_from:
            raise InspectionError("废止日期不能早于施行日期")
        ruleset.save()
        audit_record(
            actor=actor,
            action=InspectionAction.RULESET_UPDATE,
            obj=ruleset,
            agency_id=ruleset.agency_id,
            before=before,
            after=snapshot(ruleset, RULESET_FIELDS),
        )
    return ruleset
