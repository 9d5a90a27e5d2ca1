"""双随机一公开 API: anyone reads tasks, commitments, records and published results, and can
have a record re-verified; inspecting departments push results (bearer token or a logged-in browser)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from gongkai.api.auth import session_or_token
from gongkai.api.paging import page_field
from gongkai.apps.inspections import selectors
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import DrawDocumentKind, InspectionTask, TaskStatus
from gongkai.apps.inspections.permissions import can_record_results
from gongkai.apps.inspections.services import task_results_record_many
from gongkai.domain.draws.record import verify_record

PREFIX = "/inspections/"
router = Router(tags=["双随机一公开"])
PAGE_SIZE = 50


class Error(Schema):
    detail: str


class SourceOut(Schema):
    name: str
    description: str
    expected_on: str
    kind: str
    value: str  # the published value, empty until the draw


class TaskOut(Schema):
    id: int
    number: str
    title: str
    agency_code: str
    agency_name: str
    status: str
    status_label: str
    check_start: dt.date
    check_end: dt.date
    commitment_hash: str
    record_hash: str
    candidate_count: int
    selected_count: int
    frozen_at: dt.datetime | None
    drawn_at: dt.datetime | None
    results_due: dt.date | None
    results_due_provisional: bool
    results_published_at: dt.datetime | None
    url: str


class TaskDetailOut(TaskOut):
    items: list[str]
    departments: list[str]
    sources: list[SourceOut]
    key_string: str
    cancel_reason: str
    commitment_url: str
    record_url: str


class TaskPage(Schema):
    count: int
    page: int
    pages: int
    results: list[TaskOut]


class ResultOut(Schema):
    order: int | None
    uscc: str
    name: str
    district: str
    inspectors: list[str]
    result: str
    result_label: str
    note: str
    checked_on: dt.date | None


class ResultIn(Schema):
    uscc: str
    result: str  # code (no_problem …) or the Chinese label (未发现问题 …)
    note: str = ""
    checked_on: dt.date | None = None


class ResultsIn(Schema):
    results: list[ResultIn]


class ResultsSaved(Schema):
    saved: int


class VerifyOut(Schema):
    ok: bool
    difference: str
    checks: list[str]


class TaskFilter(Schema):
    year: int | None = None
    agency: str = ""
    status: str = ""
    page: int = page_field()


def _task_out(task: InspectionTask) -> dict[str, Any]:
    return {
        "id": task.pk,
        "number": task.number,
        "title": task.title,
        "agency_code": task.agency.code,
        "agency_name": task.agency.name,
        "status": task.status,
        "status_label": task.get_status_display(),
        "check_start": task.check_start,
        "check_end": task.check_end,
        "commitment_hash": task.commitment_hash,
        "record_hash": task.record_hash,
        "candidate_count": task.candidate_count,
        "selected_count": task.selected_count,
        "frozen_at": task.frozen_at,
        "drawn_at": task.drawn_at,
        "results_due": task.due_date,
        "results_due_provisional": task.due_provisional,
        "results_published_at": task.results_published_at,
        "url": task.get_absolute_url(),
    }


def _public_task(task_id: int) -> InspectionTask:
    task = selectors.task_get_public(task_id)
    if task is None:
        raise HttpError(404, "没有这个抽查任务")
    return task


@router.get("/tasks", response=TaskPage, summary="抽查任务列表（固化后的任务均公开）")
def tasks(request, filters: Query[TaskFilter]):
    status = filters.status if filters.status in TaskStatus.values else ""
    qs = selectors.task_list_public(agency_code=filters.agency, year=filters.year, status=status)
    count = qs.count()
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    rows = qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {"count": count, "page": page, "pages": pages, "results": [_task_out(t) for t in rows]}


@router.get(
    "/tasks/{task_id}",
    response={200: TaskDetailOut, 404: Error},
    summary="抽查任务：承诺、随机源与记录哈希",
)
def task(request, task_id: int):
    task = _public_task(task_id)
    rows, key = selectors.source_rows(task.sources, task.observed)
    return {
        **_task_out(task),
        "items": [f"{i.code} {i.name}" for i in task.items.all()],
        "departments": [task.agency.name, *task.joint_agencies.values_list("name", flat=True)],
        "sources": [
            {
                "name": r["name"],
                "description": r["description"],
                "expected_on": r["expected_on"],
                "kind": r["kind"],
                "value": r["value"],
            }
            for r in rows
        ],
        "key_string": key,
        "cancel_reason": task.cancel_reason,
        "commitment_url": f"/inspections/tasks/{task.pk}/commitment.json",
        "record_url": f"/inspections/tasks/{task.pk}/record.json" if task.record_hash else "",
    }


@router.get("/tasks/{task_id}/record", summary="抽取记录全文（JSON；可用 verify_draw.py 复算）")
def task_record(request, task_id: int):
    task = _public_task(task_id)
    doc = selectors.task_document(task, DrawDocumentKind.RECORD)
    if doc is None:
        raise HttpError(404, "尚未抽取")
    return HttpResponse(doc.text_bytes(), content_type="application/json; charset=utf-8")


@router.get(
    "/tasks/{task_id}/results",
    response={200: list[ResultOut], 404: Error},
    summary="已公示的抽查结果",
)
def task_results(request, task_id: int):
    task = _public_task(task_id)
    if task.status != TaskStatus.PUBLISHED:
        raise HttpError(404, "检查结果尚未公示")
    return [
        {
            "order": s.draw_order,
            "uscc": s.entity.uscc,
            "name": s.entity.name,
            "district": s.entity.district,
            "inspectors": [
                f"{m.inspector.name}（{m.inspector.certificate_no}）" for m in s.team.all()
            ],
            "result": s.result,
            "result_label": s.get_result_display(),
            "note": s.public_note,
            "checked_on": s.checked_on,
        }
        for s in selectors.task_selections(task)
    ]


@router.post(
    "/tasks/{task_id}/results",
    response={200: ResultsSaved, 400: Error, 403: Error, 404: Error},
    auth=session_or_token,
    summary="录入检查结果（检查部门；全部成功或全部不录入）",
)
def task_results_push(request, task_id: int, payload: ResultsIn):
    task = InspectionTask.objects.filter(pk=task_id).select_related("agency").first()
    if task is None:
        raise HttpError(404, "没有这个抽查任务")
    if not can_record_results(request.user, task):
        raise HttpError(403, "无权录入本任务的检查结果")
    try:
        saved = task_results_record_many(
            actor=request.user,
            task=task,
            rows=[(r.uscc, r.result, r.note, r.checked_on) for r in payload.results],
        )
    except InspectionError as exc:
        raise HttpError(400, str(exc)) from exc
    return {"saved": saved}


class ApplicantOut(Schema):
    sequence: int | None
    application_no: str
    masked_name: str  # never the full name; identity numbers are never published
    group: str
    group_rank: int | None
    selected: bool


class LotteryOut(Schema):
    id: int
    number: str
    title: str
    project: str
    agency_name: str
    status: str
    status_label: str
    commitment_hash: str
    record_hash: str
    frozen_at: dt.datetime | None
    drawn_at: dt.datetime | None
    sources: list[SourceOut]
    commitment_url: str
    record_url: str


def _sources_out(
    sources: list[dict[str, Any]], observed: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    rows, _key = selectors.source_rows(sources, observed)
    keys = ("name", "description", "expected_on", "kind", "value")
    return [{k: r[k] for k in keys} for r in rows]


def _lottery_out(lottery: Any) -> dict[str, Any]:
    return {
        "id": lottery.pk,
        "number": lottery.number,
        "title": lottery.title,
        "project": lottery.project,
        "agency_name": lottery.agency.name,
        "status": lottery.status,
        "status_label": lottery.get_status_display(),
        "commitment_hash": lottery.commitment_hash,
        "record_hash": lottery.record_hash,
        "frozen_at": lottery.frozen_at,
        "drawn_at": lottery.drawn_at,
        "sources": _sources_out(lottery.sources, lottery.observed),
        "commitment_url": f"/inspections/lotteries/{lottery.pk}/commitment.json",
        "record_url": f"/inspections/lotteries/{lottery.pk}/record.json"
        if lottery.record_hash
        else "",
    }


@router.get("/lotteries", response=list[LotteryOut], summary="保障房摇号（固化后公开）")
def lotteries(request):
    return [_lottery_out(lottery) for lottery in selectors.lottery_list_public()[:200]]


@router.get(
    "/lotteries/{lottery_id}/applicants",
    response={200: list[ApplicantOut], 404: Error},
    summary="摇号申请人顺序（申请编号与隐去部分字的姓名）",
)
def lottery_applicants(request, lottery_id: int):
    lottery = selectors.lottery_list_public().filter(pk=lottery_id).first()
    if lottery is None:
        raise HttpError(404, "没有这次摇号")
    return [
        {
            "sequence": a.sequence,
            "application_no": a.application_no,
            "masked_name": a.masked_name,
            "group": a.group.name,
            "group_rank": a.group_rank,
            "selected": a.is_selected,
        }
        for a in lottery.applicants.select_related("group").order_by("sequence", "application_no")
    ]


@router.post(
    "/verify",
    response={200: VerifyOut, 400: Error},
    summary="复算一份抽取记录（请求体为记录 JSON）",
)
def verify(request, commitment_hash: str = ""):
    try:
        record = json.loads(request.body.decode("utf-8"))
        outcome = verify_record(record, expected_commitment_hash=commitment_hash or None)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HttpError(400, "请求体不是抽取记录 JSON") from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise HttpError(400, f"记录缺少字段或格式不对：{exc}") from exc
    return {"ok": outcome.ok, "difference": outcome.difference, "checks": outcome.checks}
