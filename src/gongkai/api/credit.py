"""双公示 API: anyone searches published records (masked, within their period) and reads an
entity's records by 统一社会信用代码; deciding departments' business systems push decisions
with their agency's bearer token (or a logged-in browser with the CSRF token). A push is
idempotent on 文号 + 决定机关: the same record again changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from gongkai import clock
from gongkai.api.auth import session_or_token
from gongkai.api.paging import page_field
from gongkai.apps.credit import selectors, services
from gongkai.apps.credit.errors import CreditError
from gongkai.apps.credit.models import Channel
from gongkai.apps.credit.permissions import can_enter
from gongkai.domain.codes import is_valid_uscc
from gongkai.domain.credit import FIELDS, RecordKind

PREFIX = "/credit/"
router = Router(tags=["双公示"])
PAGE_SIZE = 50


class Error(Schema):
    detail: str


class RecordOut(Schema):
    id: int
    kind: str
    kind_label: str
    party_name: str  # masked for natural persons
    party_kind: str
    uscc: str
    id_number: str  # masked
    doc_name: str
    doc_number: str
    category: str
    content: str
    fine_wan: Decimal | None
    confiscated_wan: Decimal | None
    decided_on: dt.date
    valid_from: dt.date | None
    valid_to: dt.date | None
    authority_name: str
    authority_uscc: str
    public_until: dt.date | None
    url: str


class RecordPage(Schema):
    count: int
    page: int
    pages: int
    results: list[RecordOut]


def _out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "kind_label": RecordKind(r.kind).label,
        "party_name": r.public_name,
        "party_kind": r.party_kind,
        "uscc": r.uscc,
        "id_number": r.public_id_number,
        "doc_name": r.doc_name,
        "doc_number": r.doc_number,
        "category": r.category,
        "content": r.content,
        "fine_wan": r.fine_wan,
        "confiscated_wan": r.confiscated_wan,
        "decided_on": r.decided_on,
        "valid_from": r.valid_from,
        "valid_to": r.valid_to,
        "authority_name": r.authority_name,
        "authority_uscc": r.authority_uscc,
        "public_until": r.public_until,
        "url": r.get_absolute_url(),
    }


class RecordFilter(Schema):
    q: str = ""  # 名称（自然人为遮蔽后的姓名）或统一社会信用代码
    kind: str = ""  # licence / penalty / coercion
    page: int = page_field()


@router.get(
    "/records", response=RecordPage, summary="查询公示中的双公示信息（名称或统一社会信用代码）"
)
def records(request, filters: Query[RecordFilter]):
    page = filters.page
    rows = selectors.public_search(today=clock.today(), q=filters.q[:100], kind=filters.kind)
    count = rows.count()
    pages = max(1, -(-count // PAGE_SIZE))
    start = (page - 1) * PAGE_SIZE
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "results": [_out(r) for r in rows[start : start + PAGE_SIZE]],
    }


@router.get(
    "/entities/{uscc}",
    response={200: list[RecordOut], 404: Error},
    summary="某一主体公示中的许可、处罚、强制信息",
)
def entity(request, uscc: str):
    code = uscc.upper()
    if not is_valid_uscc(code):
        raise HttpError(404, "统一社会信用代码无效")
    return [_out(r) for r in selectors.entity_records(uscc=code, today=clock.today())]


class ProblemOut(Schema):
    field: str
    message: str


class RecordIn(Schema):
    kind: str  # licence / penalty / coercion
    fields: dict[str, str]  # national field names (行政相对人名称 …) or field keys


class SavedOut(Schema):
    id: int | None
    outcome: str  # created / updated / corrected / unchanged / refused
    state: str
    due: dt.date | None
    problems: list[ProblemOut]


_BY_NAME = {alias: f.key for f in FIELDS for alias in (f.key, f.label, f.code, *f.aliases)}


@router.post(
    "/records",
    response={200: SavedOut, 400: SavedOut, 403: Error},
    auth=session_or_token,
    summary="报送一条行政许可、行政处罚或行政强制决定（按文号与决定机关去重）",
)
def push(request, payload: RecordIn):
    agency = getattr(request.user, "agency", None)
    if agency is None or not can_enter(request.user, agency.pk):
        raise HttpError(403, "该令牌所属用户无权报送本机关的双公示信息")
    raw: dict[str, str] = {}
    unknown = []
    if payload.kind not in {k.value for k in RecordKind}:
        problem = {"field": "kind", "message": "类型应为 licence、penalty 或 coercion"}
        return Status(
            400,
            {"id": None, "outcome": "refused", "state": "", "due": None, "problems": [problem]},
        )
    for name, value in payload.fields.items():
        key = _BY_NAME.get(name)
        if key is None:
            unknown.append(name)
        else:
            raw[key] = value
    if unknown:
        problems = [{"field": n, "message": "不是双公示字段"} for n in unknown]
        return Status(
            400, {"id": None, "outcome": "refused", "state": "", "due": None, "problems": problems}
        )
    try:
        saved = services.record_save(
            actor=request.user,
            agency=agency,
            kind=payload.kind,
            raw=raw,
            channel=Channel.API,
            now=clock.now(),
        )
    except CreditError as exc:
        raise HttpError(403, str(exc)) from exc
    body = {
        "id": saved.record.pk if saved.record else None,
        "outcome": saved.outcome,
        "state": saved.record.state if saved.record else "",
        "due": saved.record.due_date if saved.record else None,
        "problems": [{"field": p.field, "message": p.message} for p in saved.problems],
    }
    return Status(400 if saved.outcome == "refused" else 200, body)
