"""The task flow: create → freeze (commitment) → draw (record) → results → publish results."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from functools import partial
from itertools import combinations
from typing import Any

from django.db import transaction

from gongkai import clock
from gongkai.apps.accounts.models import Role, User, user_or_none
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import (
    AllocationMode,
    DrawDocumentKind,
    DrawSelection,
    EntityStatus,
    EntityType,
    Industry,
    InspectionItem,
    InspectionRuleSet,
    InspectionTask,
    Inspector,
    InspectorConflict,
    MarketEntity,
    ResultCategory,
    RiskClass,
    TaskStatus,
    TeamMember,
)
from gongkai.apps.inspections.publicform import public_masker
from gongkai.apps.inspections.selectors import task_substitutions
from gongkai.apps.inspections.services.deadlines import results_due_for, task_refresh_due
from gongkai.apps.inspections.services.documents import document_load
from gongkai.apps.inspections.services.drawing import (
    TASK,
    commitment_store,
    draw_cancel,
    draw_step,
    next_seq,
    previous_record_hash,
    record_build,
    record_store,
    require_draft,
    require_frozen,
    require_sources_ahead,
)
from gongkai.apps.inspections.services.importing import read_rows
from gongkai.apps.notifications.services import notify
from gongkai.documents.tabular import csv_writer
from gongkai.domain.draws.allocation import AllocationError
from gongkai.domain.draws.assignment import AssignmentError, InspectorSpec
from gongkai.domain.draws.canonical import nfc
from gongkai.domain.draws.inspection import (
    Candidate,
    DrawInputError,
    InspectionRules,
    build_inspection_commitment,
)
from gongkai.domain.draws.sources import SourceKind, SourceSpec
from gongkai.domain.draws.substitution import (
    SUBSTITUTIONS_SCHEMA,
    StandbyExhausted,
    SubstitutionError,
    SubstitutionState,
)
from gongkai.domain.inspections import InspectionAction
from gongkai.registry import DueSource

TASK_FIELDS = (
    "title",
    "ruleset",
    "mode",
    "count",
    "filter_districts",
    "filter_industries",
    "filter_types",
    "filter_risks",
    "check_start",
    "check_end",
)
CHUNK = 5000


def _locked(task: InspectionTask) -> InspectionTask:
    return (
        InspectionTask.objects.select_for_update()
        .select_related("agency", "ruleset")
        .get(pk=task.pk)
    )


def _agency_officers(agency_ids: Sequence[int]) -> list[User]:
    return list(
        User.objects.filter(
            agency_id__in=agency_ids,
            is_active=True,
            role_grants__role__in=[Role.OFFICER, Role.HEAD],
        ).distinct()
    )


def _clean_filters(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    allowed = {
        "filter_industries": set(Industry.values),
        "filter_types": set(EntityType.values),
        "filter_risks": set(RiskClass.values),
    }
    for key, values in allowed.items():
        if key in data:
            items = sorted({str(v) for v in data[key] or []})
            bad = [v for v in items if v not in values]
            if bad:
                raise InspectionError(f"筛选条件含有无法识别的值：{'、'.join(bad)}")
            clean[key] = items
    if "filter_districts" in data:
        clean["filter_districts"] = sorted(
            {nfc(str(v)) for v in data["filter_districts"] or [] if nfc(str(v))}
        )
    return clean


def _validate_task(task: InspectionTask) -> None:
    if not nfc(task.title):
        raise InspectionError("任务名称不能为空")
    if task.check_end < task.check_start:
        raise InspectionError("检查结束日期不能早于开始日期")
    if task.mode == AllocationMode.COUNT and not task.count:
        raise InspectionError("按总数抽取时请填写抽取总数")
    if task.mode == AllocationMode.RATIO:
        task.count = None
    rs = task.ruleset
    if rs.valid_from > task.check_start or (rs.valid_to and rs.valid_to < task.check_start):
        raise InspectionError(f"细则“{rs.name}”在检查开始日期不在施行期内")
    if rs.agency_id not in (None, task.agency_id):
        raise InspectionError("只能选用本部门或全市通用的细则")


def task_create(
    *,
    actor: Actor,
    agency: Any,
    title: str,
    year: int,
    items: Sequence[InspectionItem],
    ruleset: InspectionRuleSet,
    check_start: dt.date,
    check_end: dt.date,
    joint_agencies: Sequence[Any] = (),
    mode: str = AllocationMode.RATIO,
    count: int | None = None,
    **filters: Any,
) -> InspectionTask:
    if not items:
        raise InspectionError("请至少选择一项抽查事项")
    departments = {agency.pk} | {a.pk for a in joint_agencies}
    foreign = [i.name for i in items if i.agency_id not in departments or not i.is_active]
    if foreign:
        raise InspectionError(f"抽查事项不属于参加检查的部门或已停用：{'、'.join(foreign)}")
    with transaction.atomic():
        task = InspectionTask(
            agency=agency,
            year=year,
            seq=next_seq(InspectionTask, agency=agency, year=year),
            title=nfc(title),
            ruleset=ruleset,
            mode=mode,
            count=count,
            check_start=check_start,
            check_end=check_end,
            created_by=user_or_none(actor),
            **_clean_filters(filters),
        )
        _validate_task(task)
        task.save()
        task.items.set(items)
        task.joint_agencies.set([a for a in joint_agencies if a.pk != agency.pk])
        audit_record(
            actor=actor,
            action=InspectionAction.TASK_CREATE,
            obj=task,
            agency_id=agency.pk,
            after={
                "number": task.number,
                "title": task.title,
                "items": sorted(i.code for i in items),
                "joint": sorted(a.code for a in joint_agencies),
                "ruleset": ruleset.pk,
            },
        )
    return task


def task_update(
    *,
    actor: Actor,
    task: InspectionTask,
    items: Sequence[InspectionItem] | None = None,
    joint_agencies: Sequence[Any] | None = None,
    **data: Any,
) -> InspectionTask:
    with transaction.atomic():
        task = _locked(task)
        if task.status != TaskStatus.DRAFT:
            raise InspectionError("任务已固化，不能再修改；如需更正，请使用“更正抽取”")
        before = {k: getattr(task, k if k != "ruleset" else "ruleset_id") for k in TASK_FIELDS}
        clean = _clean_filters(data)
        for key in ("title", "mode", "count", "check_start", "check_end", "ruleset"):
            if key in data:
                clean[key] = data[key]
        for key, value in clean.items():
            setattr(task, key, value)
        _validate_task(task)
        task.save()
        if joint_agencies is not None:
            task.joint_agencies.set([a for a in joint_agencies if a.pk != task.agency_id])
        if items is not None:
            departments = {task.agency_id} | set(task.joint_agencies.values_list("pk", flat=True))
            if not items or any(i.agency_id not in departments for i in items):
                raise InspectionError("抽查事项应至少一项，且属于参加检查的部门")
            task.items.set(items)
        after = {k: getattr(task, k if k != "ruleset" else "ruleset_id") for k in TASK_FIELDS}
        audit_record(
            actor=actor,
            action=InspectionAction.TASK_UPDATE,
            obj=task,
            agency_id=task.agency_id,
            before=before,
            after=after,
        )
    return task


def _departments(task: InspectionTask) -> list[Any]:
    joint = sorted(task.joint_agencies.all(), key=lambda a: (a.sort_order, a.pk))
    return [task.agency, *joint]


def _rules(task: InspectionTask) -> InspectionRules:
    rs = task.ruleset
    return InspectionRules(
        mode=task.mode,
        ratios=rs.ratios,
        count=task.count,
        by_industry=rs.by_industry,
        standby_ratio=rs.standby_ratio,
        min_inspectors=rs.min_inspectors,
        recuse_same_residence=rs.recuse_same_residence,
        avoid_repeat_pairs=rs.avoid_repeat_pairs,
    )


def task_candidates(task: InspectionTask) -> Any:
    """The population the filter selects now: active entities only (存续)."""
    qs = MarketEntity.objects.filter(status=EntityStatus.ACTIVE)
    if task.filter_districts:
        qs = qs.filter(district__in=task.filter_districts)
    if task.filter_industries:
        qs = qs.filter(industry__in=task.filter_industries)
    if task.filter_types:
        qs = qs.filter(entity_type__in=task.filter_types)
    if task.filter_risks:
        qs = qs.filter(risk_class__in=task.filter_risks)
    return qs


def _inspector_specs(
    task: InspectionTask, departments: list[Any]
) -> tuple[list[InspectorSpec], list[Inspector]]:
    code_of = {a.pk: a.code for a in departments}
    rows = list(
        Inspector.objects.filter(agency_id__in=list(code_of), is_active=True).order_by(
            "certificate_no"
        )
    )
    specs = []
    for insp in rows:
        recused = set(insp.extra_recusal_districts or [])
        if task.ruleset.recuse_same_residence and insp.residence_district:
            recused.add(insp.residence_district)
        specs.append(
            InspectorSpec(
                id=insp.certificate_no,
                name=insp.name,
                department=code_of[insp.agency_id],
                districts=tuple(insp.districts or ()),
                recused_districts=tuple(sorted(recused)),
            )
        )
    return specs, rows


def _history_pairs(inspector_ids: list[int], candidate_ids: set[str]) -> list[tuple[str, str, str]]:
    members: dict[int, tuple[str, list[str]]] = {}
    rows = TeamMember.objects.filter(
        inspector_id__in=inspector_ids,
        selection__task__status__in=[TaskStatus.DRAWN, TaskStatus.PUBLISHED],
    ).values_list("selection_id", "selection__entity__uscc", "inspector__certificate_no")
    for selection_id, uscc, cert in rows.iterator(chunk_size=CHUNK):
        if uscc in candidate_ids:
            members.setdefault(selection_id, (uscc, []))[1].append(cert)
    pairs = set()
    for uscc, certs in members.values():
        for a, b in combinations(sorted(certs), 2):
            pairs.add((uscc, a, b))
    return sorted(pairs)


def _header(task: InspectionTask, departments: list[Any], frozen_at: dt.datetime) -> dict[str, Any]:
    return {
        "number": nfc(task.number),
        "title": task.title,
        "agency": task.agency.name,
        "departments": [{"code": a.code, "name": a.name} for a in departments],
        "items": [
            {"code": i.code, "name": nfc(i.name), "level": i.get_level_display()}
            for i in task.items.order_by("code")
        ],
        "check_period": {"start": task.check_start.isoformat(), "end": task.check_end.isoformat()},
        "population": {
            "status": EntityStatus.ACTIVE.label,
            "districts": task.filter_districts,
            "industries": task.filter_industries,
            "types": task.filter_types,
            "risks": task.filter_risks,
        },
        "ruleset": task.ruleset.name,
        "frozen_at": clock.localtime(frozen_at).isoformat(timespec="seconds"),
    }


def source_specs_from(rows: Sequence[dict[str, Any]]) -> list[SourceSpec]:
    """Announced sources from form rows; raise InspectionError on anything unclear."""
    specs = []
    names: set[str] = set()
    for row in rows:
        name = nfc(str(row.get("name", "")))
        if not name:
            continue
        if name in names:
            raise InspectionError(f"随机源“{name}”重复")
        names.add(name)
        expected = row.get("expected_on")
        if isinstance(expected, str):
            try:
                expected = dt.date.fromisoformat(expected)
            except ValueError as exc:
                raise InspectionError(f"随机源“{name}”的公布日期格式不对") from exc
        if not isinstance(expected, dt.date):
            raise InspectionError(f"请填写随机源“{name}”的公布日期")
        kind = SourceKind(row.get("kind") or SourceKind.NUMBERS)
        count = row.get("count") or None
        specs.append(
            SourceSpec(
                name=name,
                description=nfc(str(row.get("description", ""))) or name,
                expected_on=expected.isoformat(),
                kind=kind,
                count=int(count) if count and kind is SourceKind.NUMBERS else None,
                minimum=int(row["minimum"]) if row.get("minimum") not in (None, "") else None,
                maximum=int(row["maximum"]) if row.get("maximum") not in (None, "") else None,
            )
        )
    if not specs:
        raise InspectionError("请至少指明一个将来公开的随机源（如某期彩票开奖号码）")
    return specs


def task_freeze(
    *,
    actor: Actor,
    task: InspectionTask,
    sources: Sequence[SourceSpec],
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> InspectionTask:
    """Freeze the candidate list, inspectors and rules; publish the commitment naming sources
    that do not exist yet."""
    now = now or clock.now()
    today = today or clock.local_date(now)
    require_sources_ahead(sources, today)
    with draw_step(
        actor, task, TASK.freeze, lock=_locked, check=lambda o: require_draft(TASK, o)
    ) as step:
        task = step.obj
        departments = _departments(task)
        rows = task_candidates(task).values_list("uscc", "district", "industry", "risk_class")
        candidates = [Candidate(*row) for row in rows.iterator(chunk_size=CHUNK)]
        candidate_ids = {c.id for c in candidates}
        specs, inspectors = _inspector_specs(task, departments)
        conflicts = [
            (cert, uscc)
            for cert, uscc in InspectorConflict.objects.filter(
                inspector__in=inspectors
            ).values_list("inspector__certificate_no", "entity__uscc")
            if uscc in candidate_ids
        ]
        history = (
            _history_pairs([i.pk for i in inspectors], candidate_ids)
            if task.ruleset.avoid_repeat_pairs
            else []
        )
        frozen_at = now
        try:
            commitment = build_inspection_commitment(
                header=_header(task, departments, frozen_at),
                candidates=candidates,
                rules=_rules(task),
                inspectors=specs,
                departments=[a.code for a in departments],
                sources=list(sources),
                conflicts=conflicts,
                history_pairs=history,
                previous_record_hash=previous_record_hash(task),
            )
        except (DrawInputError, AllocationError, AssignmentError) as exc:
            raise InspectionError(str(exc)) from exc
        if not any(s["seats"] for s in commitment["strata"]):
            raise InspectionError("按细则比例计算，本次抽取数为零：请检查比例或筛选条件")
        commitment_store(TASK, task, commitment=commitment, sources=sources, frozen_at=frozen_at)
        task.candidate_count = len(candidates)
        task.selected_count = sum(s["seats"] for s in commitment["strata"])
        step.extra.update(
            commitment_hash=task.commitment_hash,
            candidates=task.candidate_count,
            seats=task.selected_count,
            inspectors=len(specs),
            sources=[s.name for s in sources],
        )
    return task


def _in_chunks(values: list[str]) -> list[list[str]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def draw_execute(
    *,
    actor: Actor,
    task: InspectionTask,
    observed: Sequence[str],
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> InspectionTask:
    """Enter the published source values, run the draw once, publish the record."""
    now = now or clock.now()
    today = today or clock.local_date(now)
    with draw_step(
        actor, task, TASK.draw, lock=_locked, check=lambda o: require_frozen(TASK, o)
    ) as step:
        task = step.obj
        drawn_at = now
        record = record_build(TASK, task, observed, today=today, drawn_at=drawn_at)
        record_store(TASK, task, record=record, drawn_at=drawn_at)
        _store_selection(task, record)
        task.set_due(results_due_for(task))
        step.extra.update(
            observed=record["observed"],
            key_string=record["key_string"],
            record_hash=task.record_hash,
            selected=task.selected_count,
            due_date=task.due_date,
        )
        recipients = _agency_officers(
            [task.agency_id, *task.joint_agencies.values_list("pk", flat=True)]
        )
        url = task.get_backoffice_url()
        title = f"{task.number}已抽取：{task.selected_count} 户，结果应于{task.due_date or '（待定）'}前公示"
        step.after_commit.append(
            lambda: notify(recipients, title=title, url=url, kind="inspections")
        )
    return task


def _store_selection(task: InspectionTask, record: dict[str, Any]) -> None:
    result = record["result"]
    wanted = [i for s in result["strata"] for i, _t in s["selected"] + s["standby"]]
    entity_ids: dict[str, int] = {}
    for chunk in _in_chunks(wanted):
        entity_ids.update(MarketEntity.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
    missing = [u for u in wanted if u not in entity_ids]
    if missing:
        raise InspectionError(f"名录库中找不到抽中的市场主体：{'、'.join(missing[:5])}")
    order = {a["entity"]: n for n, a in enumerate(result["assignments"], start=1)}
    teams = {a["entity"]: a for a in result["assignments"]}
    rows = []
    for stratum in result["strata"]:
        for rank, (uscc, ticket) in enumerate(stratum["selected"], start=1):
            rows.append(
                DrawSelection(
                    task=task,
                    entity_id=entity_ids[uscc],
                    stratum=stratum["id"],
                    rank=rank,
                    draw_order=order[uscc],
                    ticket=ticket,
                    unfilled="、".join(teams[uscc]["unfilled"]),
                )
            )
        for rank, (uscc, ticket) in enumerate(
            stratum["standby"], start=len(stratum["selected"]) + 1
        ):
            rows.append(
                DrawSelection(
                    task=task,
                    entity_id=entity_ids[uscc],
                    stratum=stratum["id"],
                    rank=rank,
                    ticket=ticket,
                    is_standby=True,
                )
            )
    DrawSelection.objects.bulk_create(rows, batch_size=CHUNK)
    selection_ids = dict(
        DrawSelection.objects.filter(task=task, is_standby=False).values_list("entity__uscc", "id")
    )
    certs = {c for a in result["assignments"] for c in a["inspectors"]}
    inspector_ids = dict(
        Inspector.objects.filter(certificate_no__in=certs).values_list("certificate_no", "id")
    )
    members = [
        TeamMember(
            selection_id=selection_ids[a["entity"]], inspector_id=inspector_ids[c], slot=slot
        )
        for a in result["assignments"]
        for slot, c in enumerate(a["inspectors"], start=1)
    ]
    TeamMember.objects.bulk_create(members, batch_size=CHUNK)


def _clean_result(result: str) -> str:
    text = nfc(result)
    for value, label in ResultCategory.choices:
        if text in (value, label) or (label.startswith(text) and len(text) >= 4):
            return value
    raise InspectionError(f"无法识别的检查结果“{result}”")


def task_result_record(
    *,
    actor: Actor,
    selection: DrawSelection,
    result: str,
    note: str = "",
    checked_on: dt.date | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> DrawSelection:
    now = now or clock.now()
    today = today or clock.local_date(now)
    value = _clean_result(result)
    with transaction.atomic():
        task = _locked(selection.task)
        if task.status not in (TaskStatus.DRAWN, TaskStatus.PUBLISHED):
            raise InspectionError("只有已抽取的任务可以录入检查结果")
        selection = DrawSelection.objects.select_for_update().get(pk=selection.pk, task=task)
        if selection.is_standby:
            raise InspectionError("候补对象未被抽中，不能录入检查结果")
        if checked_on and (checked_on > today or checked_on < task.check_start):
            raise InspectionError("检查日期应在检查开始日期之后、且不晚于今天")
        before = {
            "result": selection.result,
            "note": selection.result_note,
            "checked_on": selection.checked_on,
        }
        selection.result = value
        selection.result_note = nfc(note)[:500]
        selection.public_note = public_masker()(selection.result_note)[:500]
        selection.checked_on = checked_on
        selection.result_recorded_at = now
        selection.save()
        audit_record(
            actor=actor,
            action=InspectionAction.RESULT_CORRECT
            if task.status == TaskStatus.PUBLISHED
            else InspectionAction.RESULT_RECORD,
            obj=selection,
            object_label=f"{task.number} {selection.entity.name}",
            agency_id=task.agency_id,
            before=before,
            after={"result": value, "note": selection.result_note, "checked_on": checked_on},
        )
    return selection


def task_results_record_many(
    *,
    actor: Actor,
    task: InspectionTask,
    rows: Sequence[tuple[str, str, str, dt.date | None]],
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Many results at once — (uscc, result, note, checked_on) — in one transaction with one
    audit event listing them: all are stored or none (imports, the API, large tasks)."""
    now = now or clock.now()
    today = today or clock.local_date(now)
    clean = [(nfc(u).upper(), _clean_result(r), nfc(n)[:500], c) for u, r, n, c in rows]
    with transaction.atomic():
        task = _locked(task)
        if task.status not in (TaskStatus.DRAWN, TaskStatus.PUBLISHED):
            raise InspectionError("只有已抽取的任务可以录入检查结果")
        selections = {
            s.entity.uscc: s
            for s in task.selections.filter(is_standby=False).select_related("entity")
        }
        unknown = [uscc for uscc, *_rest in clean if uscc not in selections]
        if unknown:
            raise InspectionError(f"不是本任务抽中的对象：{'、'.join(unknown[:10])}")
        changed = []
        mask = public_masker()
        for uscc, value, note, checked_on in clean:
            if checked_on and (checked_on > today or checked_on < task.check_start):
                raise InspectionError(f"{uscc} 的检查日期应在检查开始日期之后、且不晚于今天")
            selection = selections[uscc]
            selection.result, selection.result_note = value, note
            selection.public_note = mask(note)[:500]
            selection.checked_on, selection.result_recorded_at = checked_on, now
            changed.append(selection)
        DrawSelection.objects.bulk_update(
            changed,
            ["result", "result_note", "public_note", "checked_on", "result_recorded_at"],
            batch_size=CHUNK,
        )
        audit_record(
            actor=actor,
            action=InspectionAction.RESULT_RECORD_MANY,
            obj=task,
            agency_id=task.agency_id,
            after={"count": len(changed), "results": [list(row) for row in clean]},
        )
    return len(changed)


def task_results_import(
    *,
    actor: Actor,
    task: InspectionTask,
    content: bytes,
    file_name: str,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Results from a CSV/XLSX (统一社会信用代码, 检查结果, 结果说明, 检查日期): all or nothing."""
    now = now or clock.now()
    today = today or clock.local_date(now)
    rows = list(read_rows(content, file_name))
    if len(rows) < 2:
        raise InspectionError("文件中没有数据行")
    header = [nfc(h) for h in rows[0]]
    try:
        col_uscc = header.index("统一社会信用代码")
        col_result = header.index("检查结果")
    except ValueError as exc:
        raise InspectionError("表头应包含“统一社会信用代码”和“检查结果”两列") from exc
    col_note = header.index("结果说明") if "结果说明" in header else None
    col_date = header.index("检查日期") if "检查日期" in header else None
    selections = {
        s.entity.uscc: s for s in task.selections.filter(is_standby=False).select_related("entity")
    }
    parsed: list[tuple[DrawSelection, str, str, dt.date | None]] = []
    errors: list[str] = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        uscc = nfc(cells[col_uscc]).upper()
        selection = selections.get(uscc)
        if selection is None:
            errors.append(f"第 {line} 行：{uscc or '（空）'} 不是本任务抽中的对象")
            continue
        try:
            value = _clean_result(cells[col_result])
        except InspectionError as exc:
            errors.append(f"第 {line} 行：{exc}")
            continue
        checked = None
        if col_date is not None and cells[col_date].strip():
            try:
                checked = dt.date.fromisoformat(cells[col_date].strip()[:10])
            except ValueError:
                errors.append(f"第 {line} 行：检查日期应写成 2026-11-27 的格式")
                continue
        note = cells[col_note] if col_note is not None else ""
        parsed.append((selection, value, note, checked))
    if errors:
        raise InspectionError(
            "导入未执行，文件有错误：" + "；".join(errors[:10]) + ("……" if len(errors) > 10 else "")
        )
    return task_results_record_many(
        actor=actor,
        task=task,
        rows=[(s.entity.uscc, value, note, checked) for s, value, note, checked in parsed],
        today=today,
        now=now,
    )


def _replaced(substitute: DrawSelection) -> DrawSelection:
    """The selection a substitute replaced (task_substitutions holds only substitutes)."""
    assert substitute.substitute_for is not None
    return substitute.substitute_for


def _substitution_state(task: InspectionTask) -> SubstitutionState:
    """The record replayed through the substitutions already made."""
    record = document_load(task.documents.get(kind=DrawDocumentKind.RECORD))
    state = SubstitutionState(record)
    for done in task_substitutions(task):
        conflicts = [(a, b) for a, b in done.substitution.get("conflicts", [])]
        state.next(_replaced(done).entity.uscc, conflicts)
    return state


def task_substitutions_document(task: InspectionTask) -> dict[str, Any]:
    """What anyone needs, with the record, to recompute the task's substitutions."""
    return {
        "schema": SUBSTITUTIONS_SCHEMA,
        "task": task.number,
        "record_hash": task.record_hash,
        "substitutions": [
            {
                "replaced": _replaced(s).entity.uscc,
                "reason": _replaced(s).public_replaced_reason,
                "at": clock.localtime(_replaced(s).replaced_at).isoformat(timespec="seconds"),
                "substitute": s.entity.uscc,
                "stratum": s.stratum,
                "rank": s.rank,
                "team": s.substitution.get("team", []),
                "unfilled": s.substitution.get("unfilled", []),
                "conflicts": s.substitution.get("conflicts", []),
            }
            for s in task_substitutions(task)
        ],
    }


def task_substitute(
    *,
    actor: Actor,
    selection: DrawSelection,
    reason: str,
    now: dt.datetime | None = None,
) -> DrawSelection:
    """递补: a selected entity that cannot be inspected (已注销, 已迁出 …) is replaced by the first
    unused standby of its stratum, in the order the record published. The replaced team's
    members stay where the rules allow; other slots are filled from the draw's own inputs.
    Computed by replaying the record (``domain.draws.substitution``), so anyone holding the
    record and substitutions.json recomputes it. Returns the substitute."""
    now = now or clock.now()
    reason = nfc(reason).strip()
    if not reason:
        raise InspectionError("请填写替换原因，如：已注销、已迁出本辖区")
    if len(reason) > 200:
        raise InspectionError("替换原因不超过 200 字")
    with transaction.atomic():
        task = _locked(selection.task)
        if task.status != TaskStatus.DRAWN:
            raise InspectionError("只有已抽取、结果尚未公示的任务可以递补候补对象")
        selection = (
            DrawSelection.objects.select_for_update()
            .select_related("entity")
            .get(pk=selection.pk, task=task)
        )
        if selection.is_standby:
            raise InspectionError("候补对象不在抽中名单中，无需替换")
        if selection.result:
            raise InspectionError("已录入检查结果的对象不能替换")
        state = _substitution_state(task)
        try:
            upcoming = state.upcoming(selection.entity.uscc)
        except StandbyExhausted as exc:
            raise InspectionError(
                f"{exc}：请录入该对象的检查结果（如“已注销或被吊销营业执照”）"
            ) from exc
        except SubstitutionError as exc:
            raise InspectionError(f"抽中名单与抽取记录不一致，已停止递补：{exc}") from exc
        standby = (
            task.selections.select_for_update()
            .select_related("entity")
            .filter(is_standby=True, replaced_reason="", entity__uscc=upcoming)
            .first()
        )
        previous = list(
            selection.team.order_by("slot").values_list("inspector__certificate_no", flat=True)
        )
        out_of_step = "候补名单与抽取记录不一致，已停止递补：请联系系统管理员"
        if standby is None:
            raise InspectionError(out_of_step)
        declared = sorted(
            (cert, upcoming)
            for cert in InspectorConflict.objects.filter(entity=standby.entity).values_list(
                "inspector__certificate_no", flat=True
            )
        )
        made = state.next(selection.entity.uscc, declared)
        if made.rank != standby.rank:
            raise InspectionError(out_of_step)
        inspector_ids = dict(
            Inspector.objects.filter(certificate_no__in=made.team).values_list(
                "certificate_no", "id"
            )
        )
        selection.team.all().delete()
        TeamMember.objects.bulk_create(
            TeamMember(selection=standby, inspector_id=inspector_ids[cert], slot=slot)
            for slot, cert in enumerate(made.team, start=1)
        )
        draw_order = selection.draw_order
        selection.is_standby, selection.draw_order = True, None
        selection.replaced_reason, selection.replaced_at = reason, now
        selection.public_replaced_reason = public_masker()(reason)[:200]
        selection.save()
        standby.is_standby, standby.draw_order = False, draw_order
        standby.substitute_for = selection
        standby.substitution = {
            "conflicts": [list(c) for c in declared],
            "team": list(made.team),
            "unfilled": list(made.unfilled),
        }
        standby.unfilled = "、".join(made.unfilled)
        standby.save()
        audit_record(
            actor=actor,
            action=InspectionAction.TASK_SUBSTITUTE,
            obj=task,
            object_label=f"{task.number} {selection.entity.name} → {standby.entity.name}",
            agency_id=task.agency_id,
            before={"entity": selection.entity.uscc, "team": previous},
            after={
                "entity": standby.entity.uscc,
                "stratum": standby.stratum,
                "rank": standby.rank,
                "reason": reason,
                "team": list(made.team),
                "unfilled": list(made.unfilled),
            },
        )
    return standby


def task_finish_checks(
    *,
    actor: Actor,
    task: InspectionTask,
    finished_on: dt.date,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> InspectionTask:
    """Record the day the checks actually ended; the results deadline runs from it."""
    now = now or clock.now()
    today = today or clock.local_date(now)

    def check(found: InspectionTask) -> None:
        if found.status != TaskStatus.DRAWN:
            raise InspectionError("只有已抽取、结果未公示的任务可以登记检查结束")
        if finished_on > today or finished_on < found.check_start:
            raise InspectionError("检查结束日期应不早于检查开始日期、不晚于今天")

    with draw_step(
        actor,
        task,
        InspectionAction.TASK_FINISH_CHECKS,
        lock=_locked,
        check=check,
        fields=("check_finished_on", "due_date"),
    ) as step:
        task = step.obj
        task.check_finished_on = finished_on
        task.set_due(results_due_for(task))
        task.reminder_stage = ""
    return task


def task_results_publish(
    *, actor: Actor, task: InspectionTask, now: dt.datetime | None = None
) -> InspectionTask:

    def check(found: InspectionTask) -> None:
        if found.status != TaskStatus.DRAWN:
            raise InspectionError("只有已抽取、结果未公示的任务可以公示结果")
        missing = found.selections.filter(is_standby=False, result="").count()
        if missing:
            raise InspectionError(f"还有 {missing} 户未录入检查结果，不能公示")

    with draw_step(
        actor, task, InspectionAction.TASK_PUBLISH_RESULTS, lock=_locked, check=check
    ) as step:
        task = step.obj
        task.results_published_at = now or clock.now()
        on_time = (
            task.due_date is None or clock.local_date(task.results_published_at) <= task.due_date
        )
        step.extra.update(due_date=task.due_date, on_time=on_time)
    return task


def task_cancel(*, actor: Actor, task: InspectionTask, reason: str) -> InspectionTask:
    return draw_cancel(
        TASK,
        task,
        actor=actor,
        reason=reason,
        lock=_locked,
        refused="已抽取的任务不能撤销；如抽取有误，请使用“更正抽取”",
    )


def task_correct(*, actor: Actor, task: InspectionTask, reason: str) -> InspectionTask:
    """A drawn task found wrong (e.g. a source value entered wrongly) is replaced by a new draft
    whose commitment will name the old record; the old record stays public."""
    reason = nfc(reason)
    if not reason:
        raise InspectionError("请填写更正理由（将公开显示）")

    def check(found: InspectionTask) -> None:
        if found.status != TaskStatus.DRAWN:
            raise InspectionError("只有已抽取、结果未公示的任务可以更正")
        if found.selections.exclude(result="").exists():
            raise InspectionError("已有检查结果录入，不能再更正抽取")

    with draw_step(actor, task, InspectionAction.TASK_CORRECT, lock=_locked, check=check) as step:
        old = step.obj
        old.cancel_reason = f"抽取更正：{reason}"[:300]
        new = task_create(
            actor=actor,
            agency=old.agency,
            title=old.title,
            year=old.year,
            items=list(old.items.all()),
            ruleset=old.ruleset,
            check_start=old.check_start,
            check_end=old.check_end,
            joint_agencies=list(old.joint_agencies.all()),
            mode=old.mode,
            count=old.count,
            filter_districts=old.filter_districts,
            filter_industries=old.filter_industries,
            filter_types=old.filter_types,
            filter_risks=old.filter_risks,
        )
        new.replaces = old
        new.save(update_fields=["replaces"])
        step.extra.update(reason=reason, replaced_by=new.pk)
    return new


def tasks_tell_moved(rows: list[tuple[InspectionTask, Any]], actor: Actor) -> None:
    """After a calendar change: reminders start again for the new date; the lead officers are told."""
    InspectionTask.objects.filter(pk__in=[t.pk for t, _ in rows]).update(reminder_stage="")
    for task, _old in rows:
        recipients = _agency_officers([task.agency_id])
        title = f"工作日历调整：{task.number}结果公示期限变为{task.due.label if task.due else '—'}"
        url = task.get_backoffice_url()
        transaction.on_commit(partial(notify, recipients, title=title, url=url, kind="inspections"))


TASK_DUES = DueSource(
    name="inspections",
    open_rows=lambda: InspectionTask.objects.filter(status=TaskStatus.DRAWN).select_related(
        "ruleset"
    ),
    refresh=task_refresh_due,
    action=InspectionAction.TASK_DEADLINE_RECOMPUTE,
    moved=tasks_tell_moved,
)


def task_send_reminders(*, actor: Actor, today: dt.date | None = None, soon_days: int = 5) -> int:
    """Notices to the lead department before the results deadline and once it has passed.
    Idempotent: each task gets each reminder once (reminder_stage)."""
    today = today or clock.today()
    sent = 0
    for task in InspectionTask.objects.filter(
        status=TaskStatus.DRAWN, due_date__isnull=False
    ).select_related("agency"):
        stage = ""
        due_date = task.due_date
        assert due_date is not None  # (filtered above)
        if due_date < today:
            stage = "overdue"
        elif (due_date - today).days <= soon_days:
            stage = "soon"
        if (
            not stage
            or task.reminder_stage == stage
            or (stage == "soon" and task.reminder_stage == "overdue")
        ):
            continue
        missing = task.selections.filter(is_standby=False, result="").count()
        with transaction.atomic():
            InspectionTask.objects.filter(pk=task.pk).update(reminder_stage=stage)
            title = (
                f"{task.number}检查结果已逾期未公示（期限{task.due_date}）"
                if stage == "overdue"
                else f"{task.number}检查结果应于{task.due_date}前公示"
            )
            notify(
                _agency_officers([task.agency_id]),
                title=title,
                body=f"尚有 {missing} 户未录入结果。",
                url=task.get_backoffice_url(),
                kind="inspections",
            )
            audit_record(
                actor=actor,
                action=InspectionAction.TASK_REMIND,
                obj=task,
                agency_id=task.agency_id,
                after={"stage": stage, "due_date": task.due_date},
            )
        sent += 1
    return sent


def results_csv(task: InspectionTask) -> bytes:
    """The public results table as CSV (UTF-8 with BOM so Excel opens it)."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(
        ["序号", "统一社会信用代码", "名称", "所属区县", "检查结果", "结果说明", "检查日期", "备注"]
    )
    for n, s in enumerate(
        task.selections.filter(is_standby=False)
        .select_related("entity", "substitute_for__entity")
        .order_by("draw_order"),
        start=1,
    ):
        replaced = s.substitute_for
        writer.writerow(
            [
                n,
                s.entity.uscc,
                s.entity.name,
                s.entity.district,
                s.get_result_display(),
                s.public_note,
                s.checked_on.isoformat() if s.checked_on else "",
                f"递补，替代{replaced.entity.name}（{replaced.entity.uscc}，{replaced.public_replaced_reason}）"
                if replaced
                else "",
            ]
        )
    return out.getvalue().encode("utf-8-sig")
