"""依申请公开 API: online intake and status query for the public; the case list, case view and
every staff action for the agencies' staff (browser session with CSRF, or a bearer token).

The same permission checks as the pages apply: staff see and act on their own agency's cases
with the role each step needs; supervisors read every agency's cases. Personal data of
applicants is never returned by the public endpoints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.utils import check_csrf

from gongkai import ratelimit
from gongkai.api.auth import session_or_token
from gongkai.api.paging import MAX_PAGE
from gongkai.apps.applications import limits
from gongkai.apps.applications import selectors as sel
from gongkai.apps.applications import services as svc
from gongkai.apps.applications.actions import API_ACTIONS, CaseActionSpec
from gongkai.apps.applications.errors import ApplicationError, NotAllowed, NotFound
from gongkai.apps.applications.models import Application
from gongkai.apps.applications.permissions import can_act, can_intake, can_use_case_office
from gongkai.apps.audit.middleware import client_ip
from gongkai.apps.organizations.models import Agency
from gongkai.domain.casestates import PUBLIC_STATE_LABELS, CaseState

PREFIX = "/applications/"
router = Router(tags=["依申请公开"])


class Error(Schema):
    detail: str
    errors: dict[str, str] = {}


class ApplicantIn(Schema):
    type: (
        str  # natural_person | commercial | research | public_interest | legal_service | other_org
    )
    name: str
    id_type: str = "id_card"  # id_card | passport | hk_mo_tw | other (organisations: USCC)
    id_number: str  # 身份证件号码, or 统一社会信用代码 for organisations
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""


class ApplyIn(Schema):
    agency: str  # agency code
    applicant: ApplicantIn
    description: str
    purpose: str = ""
    form: str = "electronic"  # paper | electronic | inspect
    delivery: str = "online"  # post | email | pickup | online


class ApplyOut(Schema):
    number: str
    query_code: str
    agency: str
    received_on: dt.date
    due_date: dt.date | None
    due_provisional: bool
    due_note: str
    status_url: str


class StatusIn(Schema):
    number: str
    query_code: str


class LetterOut(Schema):
    title: str
    number: str
    issued_on: dt.date


class StatusOut(Schema):
    number: str
    agency: str
    status: str
    status_label: str
    received_on: dt.date
    due_date: dt.date | None
    due_provisional: bool
    due_note: str
    closed_on: dt.date | None
    letters: list[LetterOut]


class CaseRow(Schema):
    id: int
    number: str
    agency: str
    state: str
    state_label: str
    channel: str
    received_on: dt.date
    due_date: dt.date | None
    due_provisional: bool
    officer: str
    decision: str
    closed_on: dt.date | None


class CasePage(Schema):
    count: int
    page: int
    pages: int
    items: list[CaseRow]


class CaseDetail(CaseRow):
    description: str
    applicant_type: str
    applicant_name: str
    applicant_id_masked: str
    extension_status: str
    correction_until: dt.date | None
    fee_amount: int
    reasons_until: dt.date | None = None  # 第三十五条: the applicant's time to give reasons
    deferred_until: dt.date | None = None  # 第三十五条: the later answer date the agency set
    on_time: bool | None
    allowed_actions: list[str]
    deadline_explanation: list[str]
    letters: list[LetterOut]


class StaffIntakeIn(ApplyIn):
    channel: str  # in_person | letter | fax | email
    letter_kind: str = ""  # registered | ordinary (letters)
    submitted_on: dt.date
    signed_for_on: dt.date | None = None
    confirmed_on: dt.date | None = None


def _raise(exc: ApplicationError) -> None:
    if isinstance(exc, NotFound):
        raise HttpError(404, exc.message)
    if isinstance(exc, NotAllowed):
        raise HttpError(403, exc.message)
    raise HttpError(400, exc.message)


def _agency(code: str):
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise HttpError(400, f"找不到机关“{code}”（请使用机关代码）")
    return agency


def _user(request) -> Any:
    user = getattr(request, "auth", None) or request.user
    if not can_use_case_office(user):
        raise HttpError(403, "您没有依申请公开的办理权限")
    return user


def _case(request, case_id: int) -> tuple[Any, Application]:
    user = _user(request)
    try:
        return user, sel.application_get_for_staff(user, case_id)
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc


def _row(app: Application) -> dict[str, Any]:
    return {
        "id": app.pk,
        "number": app.number,
        "agency": app.agency.code,
        "state": app.state,
        "state_label": app.get_state_display(),
        "channel": app.channel,
        "received_on": app.received_on,
        "due_date": app.due_date,
        "due_provisional": app.due_provisional,
        "officer": app.officer.username if app.officer_id else "",
        "decision": app.decision,
        "closed_on": app.closed_on,
    }


def _letters(app: Application, applicant: bool) -> list[dict[str, Any]]:
    return [
        {"title": letter.title, "number": letter.number, "issued_on": letter.issued_on}
        for letter in sel.application_letters(app, applicant=applicant)
    ]


def _detail(user: Any, app: Application) -> dict[str, Any]:
    deadline = sel.application_deadline(app) if app.is_open else None
    explanation: list[str] = []
    if deadline is not None:
        explanation = deadline.explain()
    return {
        **_row(app),
        "description": app.description,
        "applicant_type": app.applicant_type,
        "applicant_name": app.applicant_name,
        "applicant_id_masked": sel.mask_id(app.applicant_id_number),
        "extension_status": app.extension_status,
        "correction_until": app.correction_until,
        "fee_amount": app.fee_amount,
        "reasons_until": app.reasons_until,
        "deferred_until": app.deferred_until,
        "on_time": app.on_time,
        "allowed_actions": [a.value for a in sel.application_actions(user, app)],
        "deadline_explanation": explanation,
        "letters": _letters(app, applicant=False),
    }


# ── public ───────────────────────────────────────────────────────────────────────────────


@router.post(
    "",
    response={201: ApplyOut, 400: Error, 403: Error, 429: Error},
    summary="在线提交政府信息公开申请（返回登记号和查询码，查询码只返回这一次）",
    auth=None,
)
def apply(request, payload: ApplyIn):
    # anyone may apply; a signed-in applicant's request is filed under the account, so a
    # request carrying the session must carry the CSRF token too (ADR 0085)
    if request.user.is_authenticated and check_csrf(request) is not None:
        return Status(403, {"detail": "CSRF 校验失败：请刷新页面后重试"})
    if not ratelimit.check(limits.APPLY, client_ip(request)).allowed:
        return Status(429, {"detail": "提交过于频繁，请稍后再试"})
    user = request.user if request.user.is_authenticated else None
    try:
        app = svc.application_register(
            actor=user,
            agency=_agency(payload.agency),
            channel="online",
            applicant=payload.applicant.dict(),
            description=payload.description,
            purpose=payload.purpose,
            form=payload.form,
            delivery=payload.delivery,
            applicant_user=user,
        )
    except ApplicationError as exc:
        return Status(400, {"detail": exc.message, "errors": exc.field_errors})
    ratelimit.hit(limits.APPLY, client_ip(request))
    return Status(
        201,
        {
            "number": app.number,
            "query_code": app.query_code,
            "agency": app.agency.code,
            "received_on": app.received_on,
            "due_date": app.due_date,
            "due_provisional": app.due_provisional,
            "due_note": app.due_reason,
            "status_url": f"/track/{app.public_id}/",
        },
    )


@router.post(
    "status",
    response={200: StatusOut, 404: Error, 429: Error},
    summary="凭登记号和查询码查询办理状态（不含申请人个人信息）",
    auth=None,
)
def status(request, payload: StatusIn):
    if not ratelimit.check(limits.TRACK, client_ip(request)).allowed:
        return Status(429, {"detail": f"查询失败次数过多，请{limits.TRACK.minutes}分钟后再试"})
    app = sel.application_find_by_code(payload.number, payload.query_code)
    if app is None:
        ratelimit.hit(limits.TRACK, client_ip(request))
        return Status(404, {"detail": "登记号或查询码不正确"})
    return {
        "number": app.number,
        "agency": app.agency.name,
        "status": app.state,
        "status_label": PUBLIC_STATE_LABELS[CaseState(app.state)],
        "received_on": app.received_on,
        "due_date": app.due_date if app.is_open else None,
        "due_provisional": app.is_open and app.due_provisional,
        "due_note": app.due_reason if app.is_open and app.due_provisional else "",
        "closed_on": app.closed_on,
        "letters": _letters(app, applicant=True),
    }


# ── staff ────────────────────────────────────────────────────────────────────────────────


@router.get(
    "cases",
    response={200: CasePage, 403: Error},
    summary="工作队列：本机关的申请（市公开办可查看全部机关），按答复期限排序，分页",
    auth=session_or_token,
)
def cases(
    request,
    state: str = "",
    due: str = "",
    agency: str = "",
    q: str = "",
    mine: bool = False,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(50, ge=1, le=200),
):
    user = _user(request)
    agency_id = None
    if agency:
        agency_id = _agency(agency).pk
    filters = sel.QueueFilters(
        state=state,
        due=due if due in sel.DUE_FILTERS else "",
        mine=mine,
        agency_id=agency_id,
        q=q[:50],
    )
    paginator = Paginator(sel.application_queue(user, filters), page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": [_row(app) for app in current.object_list],
    }


@router.post(
    "cases",
    response={201: CaseDetail, 400: Error, 403: Error},
    summary="登记当面、信函、传真、电子邮件申请（收到日期按条例第三十一条确定）",
    auth=session_or_token,
)
def intake(request, payload: StaffIntakeIn):
    user = _user(request)
    if not user.agency_id or not can_intake(user, user.agency_id):
        raise HttpError(403, "只有本机关的公开专员或负责人可以登记申请")
    try:
        app = svc.application_register(
            actor=user,
            agency=user.agency,
            channel=payload.channel,
            applicant=payload.applicant.dict(),
            description=payload.description,
            purpose=payload.purpose,
            form=payload.form,
            delivery=payload.delivery,
            submitted_on=payload.submitted_on,
            letter_kind=payload.letter_kind,
            signed_for_on=payload.signed_for_on,
            confirmed_on=payload.confirmed_on
            or (payload.submitted_on if payload.channel == "in_person" else None),
        )
    except ApplicationError as exc:
        return Status(400, {"detail": exc.message, "errors": exc.field_errors})
    return Status(201, _detail(user, sel.application_get_for_staff(user, app.pk)))


@router.get(
    "cases/{case_id}",
    response={200: CaseDetail, 403: Error, 404: Error},
    summary="一件申请：状态、期限及其计算说明、可办理的下一步、文书",
    auth=session_or_token,
)
def case(request, case_id: int):
    user, app = _case(request, case_id)
    return _detail(user, app)


def _act(request, case_id: int, spec: CaseActionSpec, payload: Schema) -> dict[str, Any]:
    """Run one registered action: the step's roles first (as on the case page), then its
    service with the payload's fields."""
    user, app = _case(request, case_id)
    if not can_act(user, app, spec.step):
        raise HttpError(403, f"您没有权限{spec.step.label}")
    try:
        spec.run(actor=user, application=app, **spec.fields(payload, app))
    except ApplicationError as exc:
        _raise(exc)
    return _detail(user, sel.application_get_for_staff(user, app.pk))


ACT = {200: CaseDetail, 400: Error, 403: Error, 404: Error}


def _case_action(spec: CaseActionSpec) -> None:
    """A staff step on one case: ``POST cases/{case_id}/<path>``, answered with the case."""

    def endpoint(request, case_id: int, payload):  # type: ignore[no-untyped-def]
        return _act(request, case_id, spec, payload)

    endpoint.__name__ = endpoint.__qualname__ = spec.path.replace("-", "_")
    endpoint.__doc__ = None
    endpoint.__annotations__ = {"case_id": int, "payload": spec.schema}
    router.post(
        f"cases/{{case_id}}/{spec.path}", response=ACT, summary=spec.summary, auth=session_or_token
    )(endpoint)


for _spec in API_ACTIONS.values():
    _case_action(_spec)
