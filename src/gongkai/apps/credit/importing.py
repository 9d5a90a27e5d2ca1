"""Import of decisions from departments' systems (CSV or XLSX, national column names), with a
row-level report (line, field, Chinese message).

Idempotent on 文号 + 决定机关: a row already stored with the same values changes nothing, a
changed one corrects the stored decision (services.record_save). New rows are checked in
Python and inserted in batches, each batch its own transaction with one audit event, so bad
rows never stop good ones and a failure loses nothing already stored.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connections, router, transaction
from django.db.models.base import ModelState

from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.credit import namesearch, services
from gongkai.apps.credit.errors import CreditError
from gongkai.apps.credit.models import Channel, CreditRecord
from gongkai.apps.workcalendar.errors import CalendarEmpty
from gongkai.apps.workcalendar.selectors import calendar_current
from gongkai.clock import local_date
from gongkai.documents.table import TableError, text_rows
from gongkai.documents.tabular import csv_writer
from gongkai.domain.credit import (
    FIELDS,
    CreditAction,
    CreditState,
    RecordKind,
    publicity_for,
)

BATCH = 5000


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, message)

    @property
    def failed(self) -> int:
        return len({line for line, _f, _m in self.errors})

    def error_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(["行号", "字段", "错误"])
        writer.writerows(self.errors)
        return out.getvalue().encode("utf-8-sig")

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "errors": [{"line": n, "field": f, "message": m} for n, f, m in self.errors[:500]],
        }


def read_rows(content: bytes, file_name: str) -> Iterator[list[str]]:
    """Rows of a CSV (UTF-8 or GBK) or XLSX file, header first, through the one table reader
    (documents.table: upload limits, encodings, line numbers)."""
    if not file_name.lower().endswith((".csv", ".txt", ".xlsx")):
        raise CreditError("只支持 CSV 或 XLSX 文件")
    try:
        yield from text_rows(file_name, content)
    except TableError as exc:
        raise CreditError(str(exc)) from exc


def header_map(header: list[str], kind: RecordKind) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for rule in FIELDS:
        if kind not in rule.kinds:
            continue
        for alias in (rule.label, rule.key, rule.code, *rule.aliases):
            if alias.lower() in names:
                found[rule.key] = names.index(alias.lower())
                break
    missing = [
        r.label
        for r in FIELDS
        if kind in r.kinds
        and r.need == "required"
        and r.key not in found
        and r.key not in ("authority_name", "authority_uscc", "source_name", "source_uscc")
    ]
    if missing:
        raise CreditError(f"表头缺少列：{'、'.join(missing)}（第一行应为列名）")
    return found


def import_rows(
    *,
    actor: Actor,
    agency: Any,
    kind: RecordKind | str,
    rows: Iterator[list[str]],
    now: dt.datetime,
    file_name: str = "",
) -> ImportReport:
    kind = RecordKind(kind)
    if actor.is_authenticated and not services.can_enter(actor, agency.pk):
        raise CreditError("您没有权限导入本机关的双公示信息")
    report = ImportReport()
    try:
        header = next(rows)
    except StopIteration:
        raise CreditError("文件为空") from None
    columns = header_map(header, kind)
    try:
        calendar = calendar_current()
    except CalendarEmpty:
        calendar = None
    batch: list[tuple[int, dict[str, str]]] = []
    for line, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        report.rows += 1
        batch.append((line, {k: cells[i] if i < len(cells) else "" for k, i in columns.items()}))
        if len(batch) >= BATCH:
            _batch(actor, agency, kind, batch, now, calendar, report, file_name)
            batch = []
    if batch:
        _batch(actor, agency, kind, batch, now, calendar, report, file_name)
    return report


def _batch(
    actor: Actor,
    agency: Any,
    kind: RecordKind,
    batch: list[tuple[int, dict[str, str]]],
    now: dt.datetime,
    calendar: Any,
    report: ImportReport,
    file_name: str,
) -> None:
    today = local_date(now)
    fresh: dict[tuple[str, str], tuple[int, Any]] = {}
    for line, raw in batch:
        checked = services.check(kind, raw, agency=agency, today=today)
        if not checked.ok:
            report.errors.extend((line, p.field, p.message) for p in checked.problems)
            continue
        key = (str(checked.values["authority_uscc"]), str(checked.values["doc_number"]))
        if key in fresh:
            report.errors.append((line, "决定文书号", f"与第{fresh[key][0]}行文号重复，本行未导入"))
            continue
        fresh[key] = (line, checked)
    if not fresh:
        return
    existing = set(
        CreditRecord.objects.filter(
            authority_uscc__in={k[0] for k in fresh}, doc_number__in={k[1] for k in fresh}
        )
        .exclude(state=CreditState.SUPERSEDED)
        .values_list("authority_uscc", "doc_number")
    )
    new_rows: list[CreditRecord] = []
    blank = _Blank(agency=agency, channel=Channel.IMPORT, created_at=now, updated_at=now)
    for key, (line, checked) in fresh.items():
        if key in existing:
            saved = services.record_save(
                actor=actor,
                agency=agency,
                kind=kind,
                raw=_raw_of(checked),
                channel=Channel.IMPORT,
                now=now,
                calendar=calendar,
            )
            if saved.outcome == "unchanged":
                report.unchanged += 1
            elif saved.outcome == "refused":
                report.errors.extend((line, p.field, p.message) for p in saved.problems)
            else:
                report.updated += 1
            continue
        record = blank()
        services._apply(record, kind, checked)
        if calendar is not None:
            services.refresh_due(record, calendar)
        publicity = publicity_for(
            kind,
            record.decided_on,
            record.severity or None,
            record.field or None,
            minor=record.minor,
            valid_to=record.valid_to,
        )
        if publicity.publish and not (publicity.until and publicity.until < today):
            record.state = CreditState.PUBLISHED
            record.published_at = now
        else:
            record.state = CreditState.WITHHELD
            record.withdraw_reason = (
                publicity.explanation if not publicity.publish else "公示期已届满，不再公示"
            )
        new_rows.append(record)
    if not new_rows:
        return
    with transaction.atomic():
        insert_records(new_rows)
        namesearch.index_names({r.public_name for r in new_rows})
        audit_record(
            actor=actor,
            action=CreditAction.IMPORT,
            obj=None,
            agency_id=agency.pk,
            after={
                "file": file_name[:200],
                "kind": kind.value,
                "created": len(new_rows),
                "published": sum(r.state == CreditState.PUBLISHED for r in new_rows),
                "withheld": sum(r.state == CreditState.WITHHELD for r in new_rows),
                "first_line": batch[0][0],
                "last_line": batch[-1][0],
            },
            object_label=f"导入{kind.label} {len(new_rows)}条",
        )
    report.created += len(new_rows)


class _Blank:
    """New records with the same starting values, made by copying one made by the model:
    ``Model.__init__`` looks up every field's default for every record, which cost more
    than checking the row. A field with a callable default (none today) gets its own."""

    def __init__(self, **values: Any) -> None:
        self.template = CreditRecord(**values).__dict__
        self.own = [
            f for f in CreditRecord._meta.concrete_fields if f.has_default() and callable(f.default)
        ]

    def __call__(self) -> CreditRecord:
        record = CreditRecord.__new__(CreditRecord)
        record.__dict__.update(self.template)
        record._state = ModelState()
        for f in self.own:
            setattr(record, f.attname, f.get_default())
        return record


def insert_records(rows: list[CreditRecord]) -> None:
    """Insert new records with one statement run for all of them (``executemany``).

    ``bulk_create`` compiles one statement per 18 records on SQLite (its limit of 999 bound
    variables) and spends most of an import building SQL. Every value still goes through its
    field's own ``get_db_prep_save``, so what is stored is what ``save`` would store; the
    callers have already checked each record and set every column (no ``auto_now`` here).
    The records' primary keys are not read back."""
    if not rows:
        return
    fields = [f for f in CreditRecord._meta.concrete_fields if not f.primary_key]
    db = connections[router.db_for_write(CreditRecord)]
    quote = db.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(CreditRecord._meta.db_table),
        ", ".join(quote(cast(str, f.column)) for f in fields),  # a concrete field has its column
        ", ".join(["%s"] * len(fields)),
    )
    # text columns hold checked str values already: their preparation is the identity
    plain = {f.attname for f in fields if f.get_internal_type() in ("CharField", "TextField")}
    # other values (dates, the import's moment, flags, amounts) repeat from row to row:
    # each distinct value of a column is prepared once
    prepared: dict[str, dict[Any, Any]] = {f.attname: {} for f in fields}

    def prepare(field: Any, value: Any) -> Any:
        known = prepared[field.attname]
        try:
            return known[value]
        except KeyError:
            known[value] = out = field.get_db_prep_save(value, db)
            return out
        except TypeError:  # not hashable (JSON)
            return field.get_db_prep_save(value, db)

    columns = [(f.attname, f.attname in plain, f) for f in fields]
    values = [
        tuple(
            value if is_plain and isinstance(value, str) else prepare(field, value)
            for name, is_plain, field in columns
            for value in (getattr(row, name),)
        )
        for row in rows
    ]
    with db.cursor() as cursor:
        cursor.executemany(sql, values)


def _raw_of(checked: Any) -> dict[str, object]:
    return {k: v for k, v in checked.values.items() if v is not None}


def import_file(
    *,
    actor: Actor,
    agency: Any,
    kind: RecordKind | str,
    content: bytes,
    file_name: str,
    now: dt.datetime,
) -> ImportReport:
    return import_rows(
        actor=actor,
        agency=agency,
        kind=kind,
        rows=read_rows(content, file_name),
        now=now,
        file_name=file_name,
    )
