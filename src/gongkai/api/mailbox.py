"""政府信箱 API: the 12345 hotline pushes work orders and reads replies (bearer token of a
dispatch-office account); anyone reads the public Q&A column and the monthly figures."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from gongkai import clock
from gongkai.api.auth import token_auth
from gongkai.api.paging import page_field
from gongkai.apps.mailbox import permissions, selectors
from gongkai.apps.mailbox.errors import MailboxError, MailboxPermissionDenied
from gongkai.apps.mailbox.models import Letter, LetterCategory, Satisfaction
from gongkai.apps.mailbox.services import hotline_order_receive, letter_rate, orders_take_in
from gongkai.apps.mailbox.services.hotline import EARLIEST, notify_taken_in
from gongkai.apps.organizations.models import Agency
from gongkai.domain.mailbox import RowError, parse_datetime, parse_hotline_record

PREFIX = "/mailbox/"
router = Router(tags=["政府信箱"])
BATCH_LIMIT = 1000


class Error(Schema):
    detail: str


class HotlineOrderIn(Schema):
    """One work order. Fields are checked by the mailbox, which answers in Chinese."""

    order_no: str = ""  # 工单编号 (required)
    called_at: str = ""  # 来电时间, ISO 8601 (required), e.g. 2026-10-09T09:30:00+08:00
    caller_name: str = ""
    caller_phone: str = ""
    content: str = ""  # 内容 (required)
    agency: str = ""  # 承办单位: agency code, full or short name; empty = the dispatcher routes it
    category: str = ""  # 咨询/建议/投诉/求助/其他 or consult/suggestion/…; empty = guessed
    subject: str = ""


class HotlineOrderOut(Schema):
    order_no: str
    number: str
    created: bool = False
    status: str
    status_label: str
    agency_code: str
    agency_name: str
    received_at: dt.datetime
    due_date: dt.date | None
    due_provisional: bool
    replied_at: dt.datetime | None
    reply: str
    satisfaction: str


class BatchIn(Schema):
    orders: list[HotlineOrderIn]


class BatchItemOut(Schema):
    index: int
    order_no: str
    result: str  # created | exists | error
    number: str = ""
    reason: str = ""


class BatchOut(Schema):
    created: int
    existing: int
    failed: int
    items: list[BatchItemOut]


class RatingIn(Schema):
    satisfaction: str  # satisfied | basic | unsatisfied (满意 / 基本满意 / 不满意)
    comment: str = ""


class PublicLetterOut(Schema):
    number: str
    category: str
    category_label: str
    agency_code: str
    agency_name: str
    subject: str
    content: str
    reply: str
    received_on: dt.date
    replied_on: dt.date
    published_at: dt.datetime
    url: str


class PublicLetterPage(Schema):
    total: int
    page: int
    page_size: int
    items: list[PublicLetterOut]


class MonthOut(Schema):
    month: int
    received: int
    answered: int
    answered_on_time: int
    reply_rate: float | None


class StatsOut(Schema):
    year: int
    received: int
    answered: int
    answered_on_time: int
    reply_rate: float | None
    satisfaction_rate: float | None
    average_handling_days: float | None
    months: list[MonthOut]


def _order_out(letter: Letter, created: bool = False) -> HotlineOrderOut:
    return HotlineOrderOut(
        order_no=letter.hotline_order_no or "",
        number=letter.number,
        created=created,
        status=letter.status,
        status_label=letter.get_status_display(),
        agency_code=letter.agency.code,
        agency_name=letter.agency.name,
        received_at=letter.received_at,
        due_date=letter.due_date,
        due_provisional=letter.due_provisional,
        replied_at=letter.replied_at,
        reply=letter.reply if letter.is_closed_with_reply else "",
        satisfaction=letter.satisfaction,
    )


def _record(order: HotlineOrderIn) -> dict:
    data = order.dict()
    called = parse_datetime(data["called_at"])
    if called is not None and timezone.is_aware(called):
        data["called_at"] = clock.localtime(called).replace(tzinfo=None)
    return data


def _require_hotline(request) -> None:
    if not permissions.can_import_hotline(request.user):
        raise HttpError(403, "该账户无权提交或查询12345工单（需为分办机关工作人员）")


@router.post(
    "/hotline/orders",
    auth=token_auth,
    response={200: HotlineOrderOut, 201: HotlineOrderOut, 400: Error, 403: Error},
    summary="推送一件12345工单（按工单编号幂等）",
)
def hotline_order_create(request, order: HotlineOrderIn):
    _require_hotline(request)
    try:
        letter, created = hotline_order_receive(actor=request.user, record=_record(order))
    except MailboxPermissionDenied as exc:
        raise HttpError(403, exc.message) from exc
    except MailboxError as exc:
        raise HttpError(400, exc.message) from exc
    letter = Letter.objects.select_related("agency").get(pk=letter.pk)
    return Status(201 if created else 200, _order_out(letter, created))


@router.post(
    "/hotline/orders/batch",
    auth=token_auth,
    response={200: BatchOut, 400: Error, 403: Error},
    summary="批量推送12345工单（每批不超过1000件；有误的件逐件说明原因，其余照常登记）",
)
def hotline_order_batch(request, batch: BatchIn):
    _require_hotline(request)
    if len(batch.orders) > BATCH_LIMIT:
        raise HttpError(400, f"每批最多 {BATCH_LIMIT} 件，本批 {len(batch.orders)} 件")
    latest = clock.localtime().replace(tzinfo=None)
    items: dict[int, BatchItemOut] = {}
    parsed = []
    for index, order in enumerate(batch.orders, start=1):
        item = parse_hotline_record(index, _record(order), earliest=EARLIEST, latest=latest)
        if isinstance(item, RowError):
            items[index] = BatchItemOut(
                index=index, order_no=order.order_no, result="error", reason=item.reason
            )
        else:
            parsed.append(item)
    result = orders_take_in(actor=request.user, orders=parsed)
    notify_taken_in(result.created)
    for error in result.errors:
        items[error.line] = BatchItemOut(
            index=error.line, order_no=error.order_no, result="error", reason=error.reason
        )
    numbers = {lt.hotline_order_no: lt.number for lt in result.created}
    existing = dict(
        Letter.objects.filter(hotline_order_no__in=result.skipped).values_list(
            "hotline_order_no", "number"
        )
    )
    for order in parsed:
        if order.line in items:
            continue
        if order.order_no in numbers:
            items[order.line] = BatchItemOut(
                index=order.line,
                order_no=order.order_no,
                result="created",
                number=numbers[order.order_no],
            )
        else:
            items[order.line] = BatchItemOut(
                index=order.line,
                order_no=order.order_no,
                result="exists",
                number=existing.get(order.order_no, ""),
            )
    ordered = [items[i] for i in sorted(items)]
    return BatchOut(
        created=sum(i.result == "created" for i in ordered),
        existing=sum(i.result == "exists" for i in ordered),
        failed=sum(i.result == "error" for i in ordered),
        items=ordered,
    )


def _hotline_letter(order_no: str) -> Letter:
    letter = Letter.objects.select_related("agency").filter(hotline_order_no=order_no).first()
    if letter is None:
        raise HttpError(404, f"没有工单编号为“{order_no}”的信件")
    return letter


@router.get(
    "/hotline/orders/{order_no}",
    auth=token_auth,
    response={200: HotlineOrderOut, 403: Error, 404: Error},
    summary="查询12345工单的办理状态和答复",
)
def hotline_order_get(request, order_no: str):
    _require_hotline(request)
    return _order_out(_hotline_letter(order_no))


@router.post(
    "/hotline/orders/{order_no}/rating",
    auth=token_auth,
    response={200: HotlineOrderOut, 400: Error, 403: Error, 404: Error},
    summary="回访满意度（满意 satisfied / 基本满意 basic / 不满意 unsatisfied）",
)
def hotline_order_rate(request, order_no: str, rating: RatingIn):
    _require_hotline(request)
    letter = _hotline_letter(order_no)
    if rating.satisfaction not in Satisfaction.values:
        raise HttpError(400, "satisfaction 应为 satisfied、basic 或 unsatisfied")
    try:
        letter_rate(
            letter=letter,
            satisfaction=rating.satisfaction,
            comment=rating.comment,
            actor=request.user,
        )
    except MailboxError as exc:
        raise HttpError(400, exc.message) from exc
    return _order_out(_hotline_letter(order_no))


def _public_out(letter) -> PublicLetterOut:
    return PublicLetterOut(
        number=letter.number,
        category=letter.category,
        category_label=letter.get_category_display(),
        agency_code=letter.agency.code,
        agency_name=letter.agency.name,
        subject=letter.subject,
        content=letter.content,
        reply=letter.reply,
        received_on=letter.received_on,
        replied_on=letter.replied_on,
        published_at=letter.published_at,
        url=letter.get_absolute_url(),
    )


class PublicFilter(Schema):
    page: int = page_field()
    agency: str = ""
    category: str = ""


@router.get("/letters", response=PublicLetterPage, summary="公开的信件及答复（个人信息已遮蔽）")
def public_letter_list(request, filters: Query[PublicFilter]):
    page_size = 20
    page = max(1, min(filters.page, 500))
    agency = Agency.objects.filter(code=filters.agency).first() if filters.agency else None
    if filters.agency and agency is None:
        raise HttpError(400, f"没有代码为“{filters.agency}”的机关")
    category = filters.category if filters.category in LetterCategory.values else ""
    if filters.category and not category:
        raise HttpError(400, "category 应为 consult、suggestion、complaint、help 或 other")
    query = {"agency_id": agency.pk if agency else None, "category": category}
    rows = selectors.public_letters(**query)[(page - 1) * page_size : page * page_size]
    return PublicLetterPage(
        total=selectors.public_letter_count(**query),
        page=page,
        page_size=page_size,
        items=[_public_out(row) for row in rows],
    )


@router.get(
    "/letters/{number}", response={200: PublicLetterOut, 404: Error}, summary="一封公开信件"
)
def public_letter_detail(request, number: str):
    letter = selectors.public_letter_get(number)
    if letter is None:
        raise HttpError(404, "没有这封公开信件")
    return _public_out(letter)


def _rate(value) -> float | None:
    return float(value) if value is not None else None


@router.get("/stats", response={200: StatsOut, 400: Error}, summary="某年全市政府信箱统计（按月）")
def public_stats(request, year: int):
    if not 2000 <= year <= clock.today().year:
        raise HttpError(400, "年份超出范围")
    total = selectors.mailbox_total(year=year)
    months = selectors.mailbox_figures(year=year, by="month")
    return StatsOut(
        year=year,
        received=total.received,
        answered=total.answered,
        answered_on_time=total.answered_on_time,
        reply_rate=_rate(total.reply_rate),
        satisfaction_rate=_rate(total.satisfaction_rate),
        average_handling_days=_rate(total.average_handling_days),
        months=[
            MonthOut(
                month=row.key,
                received=row.figures.received,
                answered=row.figures.answered,
                answered_on_time=row.figures.answered_on_time,
                reply_rate=_rate(row.figures.reply_rate),
            )
            for row in months
        ],
    )
