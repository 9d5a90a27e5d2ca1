"""The daily exchange with the provincial credit platform (ADR 0150).

One batch per day: the records published (新增), corrected (变更: the correcting record, with
the 文号 it replaces) and taken down (撤下: expired, repaired, revoked or replaced) that day, in
CSV, JSON and XML with the national field names. The rows are frozen in the batch when it is
first made, so a re-export of the day is byte-identical whatever happened since. Personal
data leaves the platform masked, as on the public site.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from xml.sax.saxutils import escape

from django.db import transaction
from django.db.models import Q

from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.credit.errors import CreditError
from gongkai.apps.credit.models import CreditRecord, ExchangeBatch
from gongkai.clock import at_local, local_date
from gongkai.documents.tabular import csv_cell
from gongkai.domain.credit import FIELDS, CreditAction, CreditState

ADDED, CHANGED, WITHDRAWN = "I", "U", "D"
OPERATION_LABELS = {ADDED: "新增", CHANGED: "变更", WITHDRAWN: "撤下"}
# (code, national name) of every column, in order: the operation, the record's national
# fields (masked where the public sees them masked), the publicity end and the replaced 文号
EXCLUDED = {"legal_rep_id_number", "legal_rep_id_type", "severity", "field"}
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("CZLX", "操作类型", "op"),
    ("XXLX", "信息类别", "kind"),
    *((f.code, f.label, f.key) for f in FIELDS if f.key not in EXCLUDED),
    ("GSJZQ", "公示截止期", "public_until"),
    ("YWSH", "原决定文书号", "replaces"),
    ("CXYY", "撤下原因", "withdraw_reason"),
)
KIND_CODES = {"licence": "XK", "penalty": "CF", "coercion": "QZ"}


def _value(record: CreditRecord, key: str) -> str:
    if key == "party_name":
        return record.public_name
    if key == "id_number":
        return record.public_id_number
    if key == "kind":
        return KIND_CODES[record.kind]
    if key == "replaces":
        return record.replaces.doc_number if record.replaces is not None else ""
    value = getattr(record, key)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if key == "party_kind":
        return record.get_party_kind_display()
    if key == "id_type":
        return record.get_id_type_display()
    return str(value)


def _rows_for(day: dt.date) -> list[dict[str, str]]:
    start = at_local(day, 0, 0)
    end = start + dt.timedelta(days=1)
    published = Q(published_at__gte=start, published_at__lt=end)
    withdrawn = Q(withdrawn_at__gte=start, withdrawn_at__lt=end) & Q(
        state__in=[
            CreditState.EXPIRED,
            CreditState.REPAIRED,
            CreditState.REVOKED,
            CreditState.SUPERSEDED,
        ]
    )
    rows = []
    for record in (
        CreditRecord.objects.filter(published | withdrawn, minor=False)
        .select_related("replaces")
        .order_by("pk")
    ):
        ops = []
        if record.published_at and start <= record.published_at < end:
            ops.append(CHANGED if record.replaces_id else ADDED)
        if (
            record.withdrawn_at
            and start <= record.withdrawn_at < end
            and record.state
            in (
                CreditState.EXPIRED,
                CreditState.REPAIRED,
                CreditState.REVOKED,
            )
        ):
            ops.append(WITHDRAWN)
        for op in ops:
            row = {key: _value(record, key) for _c, _n, key in COLUMNS if key != "op"}
            row["op"] = op
            if op != WITHDRAWN:
                row["withdraw_reason"] = ""
            rows.append(row)
    rows.sort(key=lambda r: (r["op"], r["authority_uscc"], r["doc_number"]))
    return rows


def exchange_batch(*, day: dt.date, now: dt.datetime, actor: Actor = SYSTEM) -> ExchangeBatch:
    """The day's batch: made (and logged) once, then always the same."""
    if day >= local_date(now):
        raise CreditError("只能生成已结束日期的交换批次")
    with transaction.atomic():
        batch = ExchangeBatch.objects.select_for_update().filter(day=day).first()
        if batch is not None:
            return batch
        rows = _rows_for(day)
        batch = ExchangeBatch(
            day=day,
            records=len(rows),
            rows=rows,
            created_at=now,
            added=sum(r["op"] == ADDED for r in rows),
            changed=sum(r["op"] == CHANGED for r in rows),
            withdrawn=sum(r["op"] == WITHDRAWN for r in rows),
        )
        batch.sha256 = hashlib.sha256(render(batch, "json")).hexdigest()
        batch.save()
        audit_record(
            actor=actor,
            action=CreditAction.EXCHANGE,
            obj=batch,
            after={
                "day": day.isoformat(),
                "records": batch.records,
                "added": batch.added,
                "changed": batch.changed,
                "withdrawn": batch.withdrawn,
                "sha256": batch.sha256,
            },
        )
    return batch


def render(batch: ExchangeBatch, fmt: str) -> bytes:
    rows = [[str(row.get(key, "")) for _c, _n, key in COLUMNS] for row in batch.rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([name for _c, name, _k in COLUMNS])
        for row in rows:
            writer.writerow([csv_cell(v) for v in row])
        return out.getvalue().encode("utf-8")
    if fmt == "json":
        document = {
            "batch": batch.day.isoformat(),
            "count": len(rows),
            "fields": [{"code": c, "name": n} for c, n, _k in COLUMNS],
            "records": [dict(zip([c for c, _n, _k in COLUMNS], row, strict=True)) for row in rows],
        }
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "xml":
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<XYXX PC="{batch.day.isoformat()}" SL="{len(rows)}">',
        ]
        for row in rows:
            lines.append("  <JL>")
            for (code, _n, _k), value in zip(COLUMNS, row, strict=True):
                lines.append(f"    <{code}>{escape(value)}</{code}>")
            lines.append("  </JL>")
        lines.append("</XYXX>")
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(fmt)


def exchange_yesterday(now: dt.datetime) -> ExchangeBatch:
    return exchange_batch(day=local_date(now) - dt.timedelta(days=1), now=now)
