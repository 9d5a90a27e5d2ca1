"""Reads for 双随机一公开 and 保障房摇号 (portal, back office, API, work queue, statistics)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from gongkai import clock
from gongkai.apps.accounts.permissions import visible_agency_ids
from gongkai.apps.inspections.models import (
    PROBLEM_RESULTS,
    DrawDocument,
    DrawDocumentKind,
    DrawSelection,
    HousingLottery,
    InspectionItem,
    InspectionRuleSet,
    InspectionTask,
    Inspector,
    LotteryStatus,
    MarketEntity,
    ResultCategory,
    TaskStatus,
)
from gongkai.domain.draws.record import commitment_part_hashes
from gongkai.domain.draws.sources import SourceError, SourceSpec, key_string

PUBLIC_TASK_STATES = (
    TaskStatus.FROZEN,
    TaskStatus.DRAWN,
    TaskStatus.PUBLISHED,
    TaskStatus.CANCELLED,
)


def task_list_public(
    *, agency_code: str = "", year: int | None = None, status: str = "", q: str = ""
) -> QuerySet[InspectionTask]:
    """Every task once frozen (cancelled ones too: the public sees what was announced)."""
    qs = (
        InspectionTask.objects.filter(status__in=PUBLIC_TASK_STATES)
        .exclude(status=TaskStatus.CANCELLED, frozen_at__isnull=True)
        .select_related("agency")
        .order_by("-frozen_at", "-id")
    )
    if agency_code:
        qs = qs.filter(Q(agency__code=agency_code) | Q(joint_agencies__code=agency_code)).distinct()
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def task_get_public(pk: int) -> InspectionTask | None:
    return task_list_public().filter(pk=pk).first()


def task_list_for_user(
    user: Any, *, status: str = "", year: int | None = None
) -> QuerySet[InspectionTask]:
    """Back office: the user's agency's tasks (lead or joint); supervisors see all."""
    ids = visible_agency_ids(user)
    qs = InspectionTask.objects.select_related("agency", "ruleset").order_by("-year", "-id")
    if ids is not None:
        qs = qs.filter(Q(agency_id__in=ids) | Q(joint_agencies__in=ids)).distinct()
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs


def document_load(doc: DrawDocument) -> Any:
    """A draw document's JSON content."""
    return json.loads(doc.text_bytes())


def task_document(task: InspectionTask, kind: str) -> DrawDocument | None:
    return DrawDocument.objects.filter(task=task, kind=kind).first()


def lottery_document(lottery: HousingLottery, kind: str) -> DrawDocument | None:
    return DrawDocument.objects.filter(lottery=lottery, kind=kind).first()


def task_selections(task: InspectionTask, *, standby: bool = False) -> QuerySet[DrawSelection]:
    return (
        task.selections.filter(is_standby=standby)
        # a drawn row may be a substitute; a standby row may have been replaced
        .select_related("entity", "substituted_by__entity" if standby else "substitute_for__entity")
        .prefetch_related("team__inspector")
        .order_by("draw_order" if not standby else "stratum", "rank")
    )


def task_strata_with_standby(task: InspectionTask) -> set[str]:
    """Strata that still have an unused standby: where a drawn entity can be replaced."""
    return set(
        task.selections.filter(is_standby=True, replaced_reason="")
        .values_list("stratum", flat=True)
        .distinct()
    )


def task_substitutions(task: InspectionTask) -> QuerySet[DrawSelection]:
    """递补 in the order they were made: each substitute with the entity it replaced."""
    return (
        task.selections.filter(substitute_for__isnull=False)
        .select_related("entity", "substitute_for__entity")
        .order_by("substitute_for__replaced_at", "pk")
    )


@dataclass(frozen=True)
class StratumRow:
    id: str
    risk: str
    district: str
    industry: str
    size: int
    seats: int
    standby: int


def _commitment_summary(task: InspectionTask) -> dict[str, Any]:
    """The allocation table and the part hashes of a commitment. A commitment never changes, so
    the summary is cached by its hash: a million-entity document is parsed once."""
    from django.core.cache import cache

    if not task.commitment_hash:
        return {"strata": [], "parts": {}}
    key = f"inspections:commitment:{task.commitment_hash}"
    summary = cache.get(key)
    if summary is None:
        doc = task_document(task, DrawDocumentKind.COMMITMENT)
        if doc is None:
            return {"strata": [], "parts": {}}
        commitment = document_load(doc)
        summary = {
            "strata": [
                (
                    s["id"],
                    s["risk"],
                    s["district"],
                    s["industry"],
                    s["size"],
                    s["seats"],
                    s["standby"],
                )
                for s in commitment.get("strata", [])
            ],
            "parts": commitment_part_hashes(commitment),
        }
        cache.set(key, summary, timeout=None)
    return summary


def commitment_strata(task: InspectionTask) -> list[StratumRow]:
    """The allocation table of the commitment (without the candidate lists)."""
    return [StratumRow(*row) for row in _commitment_summary(task)["strata"]]


def commitment_parts(task: InspectionTask) -> list[tuple[str, str]]:
    """(label, hash) of the candidate list, inspectors with recusals, rules and sources."""
    labels = {
        "candidates": "候选名单（各分层）",
        "inspectors": "执法人员名单及回避",
        "rules": "细则",
        "sources": "随机源说明",
    }
    parts = _commitment_summary(task)["parts"]
    return [(labels[k], parts[k]) for k in labels if k in parts]


def task_result_counts(task: InspectionTask) -> list[tuple[str, str, int]]:
    counts = dict(
        task.selections.filter(is_standby=False)
        .exclude(result="")
        .values_list("result")
        .annotate(n=Count("id"))
        .values_list("result", "n")
    )
    return [
        (value, label, counts[value])
        for value, label in ResultCategory.choices
        if counts.get(value)
    ]


@dataclass(frozen=True)
class Progress:
    total: int
    recorded: int

    @property
    def missing(self) -> int:
        return self.total - self.recorded


def task_progress(task: InspectionTask) -> Progress:
    return tasks_progress([task])[task.pk]


def tasks_progress(tasks: list[InspectionTask]) -> dict[int, Progress]:
    """Selected (not standby) entities and recorded results of each task, in one grouped
    query (a work-queue list shows many)."""
    rows = (
        DrawSelection.objects.filter(task__in=tasks, is_standby=False)
        .values("task_id")
        .annotate(total=Count("id"), recorded=Count("id", filter=~Q(result="")))
    )
    found = {r["task_id"]: Progress(r["total"], r["recorded"]) for r in rows}
    return {t.pk: found.get(t.pk, Progress(0, 0)) for t in tasks}


def task_on_time(task: InspectionTask) -> bool | None:
    """True/False once results are published with a known deadline; None otherwise."""
    if task.results_published_at is None or task.due_date is None:
        return None
    return clock.local_date(task.results_published_at) <= task.due_date


def item_list(
    *, agency_code: str = "", level: str = "", q: str = "", active_only: bool = True
) -> QuerySet[InspectionItem]:
    qs = InspectionItem.objects.select_related("agency")
    if active_only:
        qs = qs.filter(is_active=True)
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(legal_basis__icontains=q))
    return qs.order_by("agency__sort_order", "code")


def item_agencies() -> list[tuple[str, str, int]]:
    """(code, name, count) of every agency with active items, for the list's filter."""
    rows = (
        InspectionItem.objects.filter(is_active=True)
        .values_list("agency__code", "agency__name", "agency__sort_order")
        .annotate(n=Count("id"))
        .order_by("agency__sort_order")
    )
    return [(code, name, n) for code, name, _order, n in rows]


def ruleset_list(*, agency_id: int | None = None) -> QuerySet[InspectionRuleSet]:
    qs = InspectionRuleSet.objects.select_related("agency")
    if agency_id is not None:
        qs = qs.filter(Q(agency_id=agency_id) | Q(agency__isnull=True))
    return qs


def rulesets_in_force(agency_id: int, on: dt.date) -> QuerySet[InspectionRuleSet]:
    return (
        ruleset_list(agency_id=agency_id)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    )


def inspector_list(*, agency_ids: set[int] | None, q: str = "") -> QuerySet[Inspector]:
    qs = Inspector.objects.select_related("agency")
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(certificate_no__icontains=q))
    return qs


def entity_search(q: str) -> QuerySet[MarketEntity]:
    q = q.strip()
    qs = MarketEntity.objects.all()
    if not q:
        return qs.none()
    if len(q) == 18 and q.isalnum():
        return qs.filter(uscc=q.upper())
    return qs.filter(name__icontains=q).order_by("name")[:200]


def entity_results(entity: MarketEntity) -> QuerySet[DrawSelection]:
    """An entity's published inspections (the 公示 of its results), and the published tasks
    that drew it and replaced it by a standby (递补), with the reason."""
    return (
        entity.selections.filter(task__status=TaskStatus.PUBLISHED)
        .filter(Q(is_standby=False) | ~Q(replaced_reason=""))
        .select_related("task", "task__agency")
        .order_by("-task__results_published_at")
    )


def lottery_list_public() -> QuerySet[HousingLottery]:
    return (
        HousingLottery.objects.exclude(status=LotteryStatus.DRAFT)
        .exclude(status=LotteryStatus.CANCELLED, frozen_at__isnull=True)
        .select_related("agency")
        .order_by("-frozen_at", "-id")
    )


def lottery_list_for_user(user: Any) -> QuerySet[HousingLottery]:
    ids = visible_agency_ids(user)
    qs = HousingLottery.objects.select_related("agency").order_by("-year", "-id")
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    return qs


@dataclass(frozen=True)
class YearStats:
    year: int
    tasks: int  # draws run (抽查次数)
    entities: int  # entities checked (抽查市场主体户数)
    published: int  # tasks whose results are published
    published_on_time: int
    problems: int  # entities with a problem found


def inspection_year_stats(year: int, *, agency_ids: list[int] | None = None) -> YearStats:
    """Figures for the annual report and the public overview: draws run in ``year`` (by draw
    date), entities drawn in them, results published and on time."""
    tasks = InspectionTask.objects.filter(
        status__in=[TaskStatus.DRAWN, TaskStatus.PUBLISHED], drawn_at__year=year
    )
    if agency_ids is not None:
        tasks = tasks.filter(agency_id__in=agency_ids)
    selections = DrawSelection.objects.filter(task__in=tasks, is_standby=False)
    published = tasks.filter(status=TaskStatus.PUBLISHED)
    on_time = sum(
        1
        for t in published.only("results_published_at", "due_date")
        if task_on_time(t) is not False
    )
    return YearStats(
        year=year,
        tasks=tasks.count(),
        entities=selections.count(),
        published=published.count(),
        published_on_time=on_time,
        problems=selections.filter(result__in=[r.value for r in PROBLEM_RESULTS]).count(),
    )


def tasks_due(user: Any, *, today: dt.date) -> QuerySet[InspectionTask]:
    """Drawn tasks whose results are not published yet, earliest deadline first."""
    return task_list_for_user(user, status=TaskStatus.DRAWN).order_by("due_date", "id")


def tasks_awaiting_source(user: Any) -> QuerySet[InspectionTask]:
    return task_list_for_user(user, status=TaskStatus.FROZEN).order_by("frozen_at")


def source_rows(
    sources: list[dict[str, Any]], observed: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], str]:
    """Announced sources with their observed values, and the RFC 3797 key string once drawn."""
    values = {o["name"]: o["value"] for o in observed or []}
    rows = [{**s, "value": values.get(s["name"], "")} for s in sources or []]
    key = ""
    if observed:
        try:
            key = key_string([SourceSpec.from_json(s) for s in sources], [r["value"] for r in rows])
        except SourceError:
            key = ""
    return rows, key


def inspection_years() -> list[int]:
    """Years with at least one draw, newest first."""
    years = InspectionTask.objects.filter(drawn_at__isnull=False).dates(
        "drawn_at", "year", order="DESC"
    )
    return [d.year for d in years]


def result_distribution(year: int) -> list[tuple[str, int]]:
    """Published results of ``year``'s draws by category (label, entities)."""
    counts = dict(
        DrawSelection.objects.filter(
            is_standby=False, task__status=TaskStatus.PUBLISHED, task__drawn_at__year=year
        )
        .values_list("result")
        .annotate(n=Count("id"))
        .values_list("result", "n")
    )
    return [(label, counts[value]) for value, label in ResultCategory.choices if counts.get(value)]
