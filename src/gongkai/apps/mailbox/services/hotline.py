"""12345 work orders: taken in from files (as a job with progress) and through the API.

The work-order number (工单编号) is the key: an order already taken in is skipped, so sending
or importing the same orders again changes nothing. Good rows are imported and every bad row
is reported with its line and reason. Orders are written in chunks with ``bulk_create``; each
chunk is one transaction with one audit event per agency listing the letters it received.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai import clock
from gongkai.apps.accounts.models import user_or_none
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.jobs.imports import RowErrors, batch_fail, batch_finish, batch_running
from gongkai.apps.jobs.services import job_enqueue
from gongkai.apps.mailbox import integration, permissions
from gongkai.apps.mailbox.bulk import insert_rows, reserve_numbers
from gongkai.apps.mailbox.errors import MailboxError, MailboxPermissionDenied
from gongkai.apps.mailbox.importing import line_word, read_records
from gongkai.apps.mailbox.models import (
    HotlineImport,
    Letter,
    LetterSource,
    LetterStatus,
)
from gongkai.apps.mailbox.selectors import dispatch_agency, time_limit_table
from gongkai.apps.mailbox.services.letters import notify_agency_staff, notify_dispatchers
from gongkai.apps.organizations.models import Agency
from gongkai.domain.mailbox import (
    HotlineOrder,
    LetterAction,
    RowError,
    format_letter_number,
    guess_category,
    parse_hotline_record,
    subject_from_content,
)

CHUNK = 10_000
MAX_STORED_ERRORS = 2000
EARLIEST = dt.date(2000, 1, 1)
JOB_KIND = "mailbox.hotline_import"


class AgencyResolver:
    """承办单位 as the hotline writes it -> agency: code, full name or an unambiguous short name."""

    def __init__(self) -> None:
        self.by_key: dict[str, Agency] = {}
        short: dict[str, list[Agency]] = defaultdict(list)
        for agency in Agency.objects.filter(is_active=True):
            self.by_key[agency.code.lower()] = agency
            self.by_key[agency.name] = agency
            if agency.short_name:
                short[agency.short_name].append(agency)
        for name, agencies in short.items():
            if len(agencies) == 1:
                self.by_key.setdefault(name, agencies[0])

    def resolve(self, value: str) -> Agency | None:
        value = value.strip()
        return self.by_key.get(value) or self.by_key.get(value.lower())


@dataclass(frozen=True)
class TakenIn:
    """What a caller needs of a letter just taken in (no model instance per row)."""

    pk: int
    number: str
    hotline_order_no: str
    agency_id: int
    status: str


@dataclass
class BatchResult:
    created: list[TakenIn] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # order numbers already taken in
    errors: list[RowError] = field(default_factory=list)

    def letters(self) -> list[Letter]:
        """The letters created, loaded (in the order they were created)."""
        found = Letter.objects.select_related("agency").in_bulk([t.pk for t in self.created])
        return [found[t.pk] for t in self.created]


def _aware(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def orders_take_in(
    *,
    actor: Actor,
    orders: Sequence[HotlineOrder],
    hotline_import: HotlineImport | None = None,
    resolver: AgencyResolver | None = None,
    calendar: Any = None,
    limits: dict[dt.date, dict[str, int]] | None = None,
) -> BatchResult:
    """Take in parsed orders in one transaction; returns what was created, skipped and refused."""
    result = BatchResult()
    if not orders:
        return result
    resolver = resolver or AgencyResolver()
    calendar = calendar if calendar is not None else integration.working_calendar()
    office = dispatch_agency()
    first_line: dict[str, int] = {}
    accepted: list[tuple[HotlineOrder, Agency | None]] = []
    for order in orders:
        if order.order_no in first_line:
            result.errors.append(
                RowError(
                    order.line, f"工单编号与第 {first_line[order.order_no]} 处重复", order.order_no
                )
            )
            continue
        first_line[order.order_no] = order.line
        agency = resolver.resolve(order.agency) if order.agency else None
        if order.agency and agency is None:
            result.errors.append(
                RowError(order.line, f"承办单位“{order.agency[:50]}”不存在或已停用", order.order_no)
            )
            continue
        if agency is None and office is None:
            result.errors.append(
                RowError(order.line, "未填写承办单位，且尚未设置分办机关", order.order_no)
            )
            continue
        accepted.append((order, agency))
    with transaction.atomic():
        existing = set(
            Letter.objects.filter(
                hotline_order_no__in=[o.order_no for o, _ in accepted]
            ).values_list("hotline_order_no", flat=True)
        )
        fresh = [(o, a) for o, a in accepted if o.order_no not in existing]
        result.skipped = [o.order_no for o, _ in accepted if o.order_no in existing]
        by_day: dict[dt.date, list[tuple[HotlineOrder, Agency | None, dt.datetime]]] = defaultdict(
            list
        )
        for order, agency in fresh:
            received_at = _aware(order.called_at)
            by_day[clock.local_date(received_at)].append((order, agency, received_at))
        now = clock.now()
        limits = limits if limits is not None else {}
        rows: list[dict[str, Any]] = []
        first_numbers = reserve_numbers({day: len(group) for day, group in by_day.items()})
        import_id = hotline_import.pk if hotline_import else None
        for day in sorted(by_day):
            table = limits.get(day)
            if table is None:
                table = limits[day] = time_limit_table(day)
            for offset, (order, agency, received_at) in enumerate(by_day[day]):
                category = (order.category or guess_category(order.content)).value
                days = table.get(category)
                if days is None:
                    raise MailboxError(f"类别“{category}”没有有效的答复时限，请先在后台配置")
                due = integration.due_columns(day, days, calendar)
                handler = agency or office
                rows.append(
                    {
                        "number": format_letter_number(day, first_numbers[day] + offset),
                        "source": LetterSource.HOTLINE.value,
                        "hotline_order_no": order.order_no,
                        "hotline_import_id": import_id,
                        "category": category,
                        "subject": order.subject or subject_from_content(order.content),
                        "content": order.content,
                        "writer_name": order.caller_name,
                        "writer_phone": order.caller_phone,
                        "status": (
                            LetterStatus.HANDLING if agency else LetterStatus.RECEIVED
                        ).value,
                        "agency_id": handler.pk,
                        "received_at": received_at,
                        "received_on": day,
                        "time_limit_days": days,
                        **due,
                        "assigned_at": now if agency else None,
                    }
                )
        ids = insert_rows(Letter, rows)
        taken = [
            TakenIn(pk, row["number"], row["hotline_order_no"], row["agency_id"], row["status"])
            for pk, row in zip(ids, rows, strict=True)
        ]
        per_agency: dict[int, list[TakenIn]] = defaultdict(list)
        for item in taken:
            per_agency[item.agency_id].append(item)
        for agency_id, group in per_agency.items():
            audit_record(
                actor=actor,
                action=LetterAction.HOTLINE_TAKE_IN,
                agency_id=agency_id,
                object_type="mailbox.letter",
                object_id=str(import_id or ""),
                object_label=f"12345工单 {len(group)} 件",
                after={
                    "import": import_id,
                    "letters": [[t.number, t.hotline_order_no] for t in group],
                },
            )
    result.created = taken
    return result


def notify_taken_in(letters: Iterable[TakenIn]) -> None:
    """One notice per agency (and one to the dispatchers) after orders were taken in."""
    per_agency: dict[int, int] = defaultdict(int)
    waiting = 0
    for letter in letters:
        if letter.status == LetterStatus.RECEIVED:
            waiting += 1
        else:
            per_agency[letter.agency_id] += 1
    with transaction.atomic():
        for agency_id, count in per_agency.items():
            notify_agency_staff(
                agency_id,
                permissions.HANDLER_ROLES,
                title=f"收到12345热线工单 {count} 件",
                url="/backoffice/mailbox/letters/?status=handling",
            )
        if waiting:
            notify_dispatchers(
                title=f"12345热线工单 {waiting} 件待分办", url="/backoffice/mailbox/dispatch/"
            )


def hotline_order_receive(*, actor: Actor, record: dict[str, Any]) -> tuple[Letter, bool]:
    """The 12345 platform sends one order through the API; (letter, created)."""
    if not permissions.can_import_hotline(actor):
        raise MailboxPermissionDenied("该账户无权提交12345工单")
    parsed = parse_hotline_record(
        1, record, earliest=EARLIEST, latest=clock.localtime().replace(tzinfo=None)
    )
    if isinstance(parsed, RowError):
        raise MailboxError(parsed.reason)
    result = orders_take_in(actor=actor, orders=[parsed])
    if result.errors:
        raise MailboxError(result.errors[0].reason)
    if result.created:
        notify_taken_in(result.created)
        return result.letters()[0], True
    return Letter.objects.get(hotline_order_no=parsed.order_no), False


def hotline_import_create(
    *, actor: Actor, file_name: str, content: bytes, enqueue: bool = True
) -> HotlineImport:
    """Store an uploaded file and queue its import as a background job (progress page)."""
    if not permissions.can_import_hotline(actor):
        raise MailboxPermissionDenied("只有分办人员可以导入12345工单")
    if not content:
        raise MailboxError("文件是空的")
    user = user_or_none(actor)
    with transaction.atomic():
        record = HotlineImport(
            file_name=file_name[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            created_by=user,
            agency=getattr(user, "agency", None),
        )
        record.file.save(file_name[-100:] or "orders", ContentFile(content), save=False)
        record.save()
        audit_record(
            actor=actor,
            action=LetterAction.HOTLINE_IMPORT_CREATE,
            obj=record,
            agency_id=record.agency_id,
            after={"file_name": record.file_name, "sha256": record.sha256, "bytes": len(content)},
        )
        if enqueue:
            job = job_enqueue(
                kind=JOB_KIND,
                title=f"导入12345工单：{record.file_name}",
                params={"import_id": record.pk},
                actor=actor,
                agency=record.agency,
            )
            HotlineImport.objects.filter(pk=record.pk).update(job=job)
            record.job = job
    return record


def hotline_import_run(
    import_id: int, report: Callable[..., None] | None = None, *, actor: Actor | None = None
) -> dict[str, Any]:
    """Read the stored file and take in its orders chunk by chunk. Safe to run again."""
    record = HotlineImport.objects.select_related("created_by").get(pk=import_id)
    actor = actor or record.created_by or SYSTEM
    batch_running(record)
    with record.file.open("rb") as fh:
        content = fh.read()
    try:
        outcome = import_content(
            actor=actor,
            file_name=record.file_name,
            content=content,
            hotline_import=record,
            report=report,
        )
    except MailboxError as exc:
        batch_fail(
            record, actor=actor, action=LetterAction.HOTLINE_IMPORT_FAIL, message=exc.message
        )
        return {"error": exc.message}
    batch_finish(
        record,
        actor=actor,
        action=LetterAction.HOTLINE_IMPORT_FINISH,
        counts={k: outcome[k] for k in ("rows", "created", "skipped", "failed")},
        errors=outcome["errors"][:MAX_STORED_ERRORS],
        message=outcome["message"],
    )
    return {k: outcome[k] for k in ("rows", "created", "skipped", "failed", "message")}


def import_content(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    hotline_import: HotlineImport | None = None,
    report: Callable[..., None] | None = None,
) -> dict[str, Any]:
    """Parse and take in a whole file; raises MailboxError only when the file is unreadable."""
    fmt, records = read_records(file_name, content)
    latest = clock.localtime().replace(tzinfo=None)
    parsed: list[HotlineOrder] = []
    errors: list[RowError] = []
    rows = 0
    for line, record in records:
        rows += 1
        item = parse_hotline_record(line, record, earliest=EARLIEST, latest=latest)
        if isinstance(item, RowError):
            errors.append(item)
        else:
            parsed.append(item)
    if report:
        report(0, len(parsed), f"已读取 {rows} {line_word(fmt)}，开始导入")
    resolver = AgencyResolver()
    calendar = integration.working_calendar()
    limits: dict[dt.date, dict[str, int]] = {}
    created: list[TakenIn] = []
    skipped = 0
    seen: dict[str, int] = {}
    for start in range(0, len(parsed), CHUNK):
        chunk = []
        for order in parsed[start : start + CHUNK]:
            if order.order_no in seen:  # duplicates across chunks of the same file
                errors.append(
                    RowError(
                        order.line, f"工单编号与第 {seen[order.order_no]} 处重复", order.order_no
                    )
                )
                continue
            seen[order.order_no] = order.line
            chunk.append(order)
        result = orders_take_in(
            actor=actor,
            orders=chunk,
            hotline_import=hotline_import,
            resolver=resolver,
            calendar=calendar,
            limits=limits,
        )
        created.extend(result.created)
        skipped += len(result.skipped)
        errors.extend(result.errors)
        if report:
            done = min(start + CHUNK, len(parsed))
            report(done, len(parsed), f"已处理 {done}/{len(parsed)} 件")
    notify_taken_in(created)
    errors.sort(key=lambda e: e.line)
    row_errors = RowErrors(limit=len(errors))
    for error in errors:
        row_errors.add(error.line, "", error.reason, ref=error.order_no)
    word = line_word(fmt)
    message = f"共 {rows} {word}：新增 {len(created)} 件，已存在跳过 {skipped} 件，有误 {len(errors)} {word}"
    return {
        "format": fmt,
        "rows": rows,
        "created": len(created),
        "skipped": skipped,
        "failed": len(errors),
        "errors": row_errors.items,
        "message": message,
    }
