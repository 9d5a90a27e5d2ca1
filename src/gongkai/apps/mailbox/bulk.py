"""Fast inserts for large batches of new rows (12345 imports, demo history).

Django's ``bulk_create`` resolves an expression per value and, on SQLite, sends about twenty
letters per statement; for 100,000 work orders that alone takes most of a minute. Here ids are
reserved first (the PostgreSQL sequence, or SQLite's AUTOINCREMENT counter under the write
lock the transaction already holds), each column gets one converter chosen from its field
type (dates and times adapted as Django's backend adapts them), and rows go in with one
``executemany``. Callers run inside ``transaction.atomic()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db import connection, models

from gongkai import clock
from gongkai.apps.mailbox.models import LetterCounter


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) FROM "{table}"')
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
    return list(range(start, start + count))


def _converter(field: models.Field) -> Callable[[Any], Any]:
    """How one column's Python value becomes a database parameter."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField | models.DecimalField | models.UUIDField):
        return lambda value: field.get_db_prep_save(value, connection)
    return lambda value: value


def fast_insert(model: type[models.Model], objs: Sequence[Any], *, chunk: int = 5000) -> None:
    """Insert new, unsaved instances of ``model``; sets their primary keys."""
    if not objs:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("fast_insert 必须在事务内调用")
    ids = _reserve_ids(model, len(objs))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    fields = list(model._meta.concrete_fields)
    now = clock.now()
    columns = []
    for field in fields:
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        columns.append((field.attname, _converter(field), stamped))
    names = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES ({marks})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objs), chunk):
            rows = []
            for obj in objs[start : start + chunk]:
                values = obj.__dict__
                row = []
                for attname, convert, stamped in columns:
                    if stamped:
                        values[attname] = now
                    row.append(convert(values[attname]))
                rows.append(row)
            cursor.executemany(sql, rows)


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows given as {attname: value} (other columns take their defaults); return ids.

    For the largest batches: no model instance is built per row."""
    if not rows:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("insert_rows 必须在事务内调用")
    ids = _reserve_ids(model, len(rows))
    fields = list(model._meta.concrete_fields)
    now = clock.now()
    plan = []
    for field in fields:
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        default = now if stamped else (None if field.primary_key else field.get_default())
        plan.append((field.attname, _converter(field), default, field.primary_key))
    names = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES ({marks})"
    )
    params = []
    for pk, row in zip(ids, rows, strict=True):
        params.append(
            [
                pk if is_pk else convert(row.get(attname, default))
                for attname, convert, default, is_pk in plan
            ]
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of a statement per row
            table = connection.ops.quote_name(model._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
        else:
            for start in range(0, len(params), 5000):
                cursor.executemany(sql, params[start : start + 5000])
    return ids


def reserve_numbers(counts: dict[Any, int]) -> dict[Any, int]:
    """For each day, the first of ``count`` consecutive letter sequence numbers, taken under
    a lock on the day's counter row (one statement per kind of work, not per day)."""
    if not counts:
        return {}
    days = sorted(counts)
    existing = dict(
        LetterCounter.objects.select_for_update().filter(day__in=days).values_list("day", "last")
    )
    missing = [d for d in days if d not in existing]
    if missing:
        LetterCounter.objects.bulk_create(
            [LetterCounter(day=d, last=0) for d in missing], ignore_conflicts=True
        )
        existing.update(
            LetterCounter.objects.select_for_update()
            .filter(day__in=missing)
            .values_list("day", "last")
        )
    table = connection.ops.quote_name(LetterCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET last = %s WHERE day = %s",
            [(existing[d] + counts[d], connection.ops.adapt_datefield_value(d)) for d in days],
        )
    return {d: existing[d] + 1 for d in days}
