"""Import of decisions from departments' systems (CSV or XLSX, national column names), with a
row-level report (line, field, Chinese message).

Idempotent on 文号 + 决定机关: a row already stored with the same values changes nothing, a
changed one corrects the stored decision (services.record_save). New rows are checked in
Python and inserted in batches, each batch its own transaction with one audit event, so bad
rows never stop good ones and a failure loses nothing already stored. A file of more than
one batch is checked in forked processes while this one stores the batches in file order
(ADR 0191).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import io
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, connections, router, transaction
from django.db.models.base import ModelState

from gongkai import forked
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.credit import namesearch, services
from gongkai.apps.credit.errors import CreditError
from gongkai.apps.credit.models import Channel, CreditName, CreditNameSuffix, CreditRecord
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
)

# rows checked, and stored in one transaction with one audit event, at a time: a commit
# writes every index page the batch touched, so fewer and larger batches write less
BATCH = 20000


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
    workers: int | None = None,
) -> ImportReport:
    """Check and store ``rows`` (header first). A file of more than one batch is checked in
    ``workers`` forked processes (default: one per CPU) while this process stores the
    batches already checked, in file order (ADR 0191)."""
    kind = RecordKind(kind)
    if actor.is_authenticated and not services.can_enter(actor, agency.pk):
        raise CreditError("您没有权限导入本机关的双公示信息")
    report = ImportReport()
    try:
        header = next(rows)
    except StopIteration:
        raise CreditError("文件为空") from None
    try:
        calendar = calendar_current()
    except CalendarEmpty:
        calendar = None
    job = _Job(kind, agency, header_map(header, kind), now, calendar)
    analyzed = BATCH
    for batch, checked in _checked_batches(job, _batches(rows, report), workers):
        _store(actor, job, batch, checked, report, file_name)
        if report.created >= analyzed:
            _refresh_statistics()
            analyzed = 2 * report.created
    return report


@dataclass
class _Job:
    """What every batch is checked against: set before the checking processes are forked,
    which inherit it."""

    kind: RecordKind
    agency: Any
    columns: dict[str, int]
    now: dt.datetime
    calendar: Any

    def __post_init__(self) -> None:
        self.insert = _Insert(router.db_for_write(CreditRecord))
        self.blank = _Blank(
            agency=self.agency, channel=Channel.IMPORT, created_at=self.now, updated_at=self.now
        )

    def raw(self, cells: list[str]) -> dict[str, str]:
        return {k: cells[i] if i < len(cells) else "" for k, i in self.columns.items()}


# one new record ready to insert: line, (决定机关 code, 文号), the values of the insert in
# column order, public name, published
_Row = tuple[int, tuple[str, str], tuple[Any, ...], str, bool]


@dataclass
class _Checked:
    """One batch after checking: the rows' errors (in line order) and the new records."""

    errors: list[tuple[int, str, str]]
    rows: list[_Row]


def _batches(
    rows: Iterator[list[str]], report: ImportReport
) -> Iterator[list[tuple[int, list[str]]]]:
    batch: list[tuple[int, list[str]]] = []
    for line, cells in enumerate(rows, start=2):
        if not "".join(cells).strip():  # a blank row
            continue
        report.rows += 1
        batch.append((line, cells))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _checked_batches(
    job: _Job, batches: Iterator[list[tuple[int, list[str]]]], workers: int | None
) -> Iterator[tuple[list[tuple[int, list[str]]], _Checked]]:
    """Each batch with its checked rows, in file order. A file of one batch is checked here;
    a longer one in forked processes (they only check rows: no database, no files), a
    bounded window of batches ahead of the one being stored."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    first = next(batches, None)
    if first is None:
        return
    if workers <= 1 or len(first) < BATCH:
        yield first, _check(job, first)
        for batch in batches:
            yield batch, _check(job, batch)
        return
    for batch, checked in forked.ordered_map(
        functools.partial(_check, job),
        ((batch, batch) for batch in itertools.chain([first], batches)),
        workers=workers,
        ahead=workers,
        # the objects inherited from this process (the whole application) are left out of
        # the checkers' garbage collections, which otherwise walk them again and again while
        # millions of values are made
        initializer=gc.freeze,
    ):
        assert checked is not None  # every batch is sent
        yield batch, checked


def _check(job: _Job, batch: list[tuple[int, list[str]]]) -> _Checked:
    """Check a batch's rows and build the new records' values; reads nothing stored."""
    today = local_date(job.now)
    errors: list[tuple[int, str, str]] = []
    fresh: dict[tuple[str, str], tuple[int, Any]] = {}
    for line, cells in batch:
        checked = services.check(job.kind, job.raw(cells), agency=job.agency, today=today)
        if not checked.ok:
            errors.extend((line, p.field, p.message) for p in checked.problems)
            continue
        key = (str(checked.values["authority_uscc"]), str(checked.values["doc_number"]))
        if key in fresh:
            errors.append((line, "决定文书号", f"与第{fresh[key][0]}行文号重复，本行未导入"))
            continue
        fresh[key] = (line, checked)
    rows: list[_Row] = []
    for key, (line, checked) in fresh.items():
        record = job.blank()
        publicity = services._apply(record, job.kind, checked)
        if job.calendar is not None:
            services.refresh_due(record, job.calendar)
        if publicity.publish and not (publicity.until and publicity.until < today):
            record.state = CreditState.PUBLISHED
            record.published_at = job.now
        else:
            record.state = CreditState.WITHHELD
            record.withdraw_reason = (
                publicity.explanation if not publicity.publish else "公示期已届满，不再公示"
            )
        published = record.state == CreditState.PUBLISHED
        rows.append((line, key, job.insert.values(record), record.public_name, published))
    return _Checked(errors, rows)


def _store(
    actor: Actor,
    job: _Job,
    batch: list[tuple[int, list[str]]],
    checked: _Checked,
    report: ImportReport,
    file_name: str,
) -> None:
    """Store a checked batch: rows already stored go through ``record_save`` (unchanged or
    corrected), the new ones are inserted with their names indexed and one audit event, in
    one transaction."""
    report.errors.extend(checked.errors)
    if not checked.rows:
        return
    existing = _stored_keys([row[1] for row in checked.rows])
    cells = dict(batch) if existing else {}
    today = local_date(job.now)
    new_rows: list[_Row] = []
    for row in checked.rows:
        line, key = row[0], row[1]
        if key in existing:
            again = services.check(job.kind, job.raw(cells[line]), agency=job.agency, today=today)
            saved = services.record_save(
                actor=actor,
                agency=job.agency,
                kind=job.kind,
                raw=_raw_of(again),
                channel=Channel.IMPORT,
                now=job.now,
                calendar=job.calendar,
            )
            if saved.outcome == "unchanged":
                report.unchanged += 1
            elif saved.outcome == "refused":
                report.errors.extend((line, p.field, p.message) for p in saved.problems)
            else:
                report.updated += 1
            continue
        new_rows.append(row)
    if not new_rows:
        return
    published = sum(row[4] for row in new_rows)
    with transaction.atomic():
        job.insert.run([row[2] for row in new_rows])
        namesearch.index_names({row[3] for row in new_rows})
        audit_record(
            actor=actor,
            action=CreditAction.IMPORT,
            obj=None,
            agency_id=job.agency.pk,
            after={
                "file": file_name[:200],
                "kind": job.kind.value,
                "created": len(new_rows),
                "published": published,
                "withheld": len(new_rows) - published,
                "first_line": batch[0][0],
                "last_line": batch[-1][0],
            },
            object_label=f"导入{job.kind.label} {len(new_rows)}条",
        )
    report.created += len(new_rows)


def _refresh_statistics() -> None:
    """PostgreSQL: the planner's statistics of the tables a large import fills, after its
    first batch and each time it has doubled what it added. Without them (a table filled
    since the last ``ANALYZE``, before autovacuum comes by) the planner takes the look-ups of
    the next batches for reads of a few rows and scans whole tables instead."""
    if connection.vendor != "postgresql":
        return
    tables = (CreditRecord, CreditName, CreditNameSuffix)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE " + ", ".join(connection.ops.quote_name(t._meta.db_table) for t in tables)
        )


def _stored_keys(keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of ``keys`` (决定机关 code, 文号) a record not superseded holds already, looked up
    on the unique index of the two (its condition written as the index's, so that the index
    serves it) without building a query per key.

    On PostgreSQL the keys are joined as two arrays: with ``IN`` lists and no statistics yet
    (a table filled by this import), the planner reads every record of the agency's code and
    filters the 文号, a read of the whole table per batch."""
    quote = connection.ops.quote_name
    column = {f.name: quote(cast(str, f.column)) for f in CreditRecord._meta.concrete_fields}
    code, number = column["authority_uscc"], column["doc_number"]
    table = quote(CreditRecord._meta.db_table)
    current = f"NOT (r.{column['state']} = '{CreditState.SUPERSEDED.value}')"
    found: set[tuple[str, str]] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 1000):
            part = keys[start : start + 1000]
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT r.{code}, r.{number} FROM {table} r"
                    " JOIN unnest(%s::varchar[], %s::varchar[]) AS k(code, number)"
                    f" ON r.{code} = k.code AND r.{number} = k.number WHERE {current}",
                    [[k[0] for k in part], [k[1] for k in part]],
                )
            else:
                codes = sorted({k[0] for k in part})
                numbers = sorted({k[1] for k in part})
                cursor.execute(
                    f"SELECT r.{code}, r.{number} FROM {table} r"
                    f" WHERE r.{code} IN ({', '.join(['%s'] * len(codes))})"
                    f" AND r.{number} IN ({', '.join(['%s'] * len(numbers))}) AND {current}",
                    [*codes, *numbers],
                )
            found.update((c, n) for c, n in cursor.fetchall())
    return found


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


class _Insert:
    """One ``INSERT`` of new records run for all of them: on PostgreSQL a ``COPY``, elsewhere
    one statement with ``executemany``.

    ``bulk_create`` compiles one statement per 18 records on SQLite (its limit of 999 bound
    variables) and spends most of an import building SQL. Every value still goes through its
    field's own ``get_db_prep_save``, so what is stored is what ``save`` would store; the
    callers have already checked each record and set every column (no ``auto_now`` here).
    The records' primary keys are not read back."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.fields = [f for f in CreditRecord._meta.concrete_fields if not f.primary_key]
        db = connections[alias]
        quote = db.ops.quote_name
        table = quote(CreditRecord._meta.db_table)
        # a concrete field has its column
        names = ", ".join(quote(cast(str, f.column)) for f in self.fields)
        self.copy = f"COPY {table} ({names}) FROM STDIN" if db.vendor == "postgresql" else ""
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            table, names, ", ".join(["%s"] * len(self.fields))
        )
        # text columns hold checked str values already: their preparation is the identity
        plain = {
            f.attname for f in self.fields if f.get_internal_type() in ("CharField", "TextField")
        }
        self.columns = [(f.attname, f.attname in plain, f) for f in self.fields]
        # other values (dates, the import's moment, flags, amounts) repeat from row to row:
        # each distinct value of a column is prepared once
        self.prepared: dict[str, dict[Any, Any]] = {f.attname: {} for f in self.fields}

    def prepare(self, field: Any, value: Any) -> Any:
        known = self.prepared[field.attname]
        try:
            return known[value]
        except KeyError:
            known[value] = out = field.get_db_prep_save(value, connections[self.alias])
            return out
        except TypeError:  # not hashable (JSON)
            return field.get_db_prep_save(value, connections[self.alias])

    def values(self, record: CreditRecord) -> tuple[Any, ...]:
        """The record's values in column order, ready for the database (reads nothing)."""
        return tuple(
            value if is_plain and isinstance(value, str) else self.prepare(field, value)
            for name, is_plain, field in self.columns
            for value in (getattr(record, name),)
        )

    def run(self, values: list[tuple[Any, ...]]) -> None:
        if not values:
            return
        with connections[self.alias].cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(self.copy) as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, values)


def insert_records(rows: list[CreditRecord]) -> None:
    """Insert new records, already checked and with every column set, in one statement."""
    insert = _Insert(router.db_for_write(CreditRecord))
    insert.run([insert.values(row) for row in rows])


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
