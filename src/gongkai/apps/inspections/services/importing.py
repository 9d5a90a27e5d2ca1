"""Bulk import of the entity directory (检查对象名录库) from CSV or XLSX, with a row-level
error report. A million rows take about a minute: rows are validated in Python and upserted
in batches, each batch its own transaction, so a long import never blocks other writers.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai.apps.accounts.models import user_or_none
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.inspections.errors import InspectionError
from gongkai.apps.inspections.models import (
    EntityImport,
    EntityStatus,
    EntityType,
    Industry,
    MarketEntity,
    RiskClass,
)
from gongkai.apps.jobs.imports import RowErrors, batch_fail, batch_finish, batch_running
from gongkai.apps.jobs.services import job_enqueue
from gongkai.documents.table import TableError
from gongkai.documents.table import read_rows as read_table_rows
from gongkai.documents.tabular import csv_writer
from gongkai.domain.codes import CodeError, normalize_uscc
from gongkai.domain.draws.canonical import nfc
from gongkai.domain.inspections import InspectionAction

BATCH = 5000
MAX_ERRORS_SHOWN = 200
COLUMNS = ("uscc", "name", "entity_type", "district", "industry", "risk_class", "status")
HEADERS: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "信用代码", "uscc"),
    "name": ("名称", "主体名称", "企业名称", "name"),
    "entity_type": ("主体类型", "类型", "entity_type", "type"),
    "district": ("所属区县", "区县", "district"),
    "industry": ("行业门类", "行业", "industry"),
    "risk_class": ("信用风险分类", "风险等级", "风险分类", "risk_class", "risk"),
    "status": ("登记状态", "状态", "status"),
}
LABELS = {key: names[0] for key, names in HEADERS.items()}


def _choices(enum: Any, *extra: tuple[str, str]) -> dict[str, str]:
    table = {}
    for value, label in enum.choices:
        table[value.lower()] = value
        table[label] = value
    for alias, value in extra:
        table[alias] = value
    return table


TYPE_VALUES = _choices(
    EntityType, ("个体", EntityType.INDIVIDUAL), ("合作社", EntityType.COOPERATIVE)
)
INDUSTRY_VALUES = _choices(Industry)
RISK_VALUES = {
    **_choices(RiskClass),
    **{f"{c}类": c for c in "ABCD"},
    **{c.lower(): c for c in "ABCD"},
}
STATUS_VALUES = _choices(
    EntityStatus,
    ("在业", EntityStatus.ACTIVE),
    ("开业", EntityStatus.ACTIVE),
    ("吊销未注销", EntityStatus.REVOKED),
)


@dataclass
class ImportStats:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, message)

    @property
    def failed(self) -> int:
        return len({line for line, _c, _m in self.errors})

    def error_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(["行号", "列", "错误"])
        writer.writerows(self.errors)
        return out.getvalue().encode("utf-8-sig")


def read_rows(content: bytes, file_name: str) -> Iterator[list[str]]:
    """Rows of a CSV (UTF-8 or GBK, as Excel saves it) or XLSX file, header first, read by
    gongkai.documents.table; a blank row is yielded as ``[]`` so that a row's position is
    its line number."""
    if not file_name.lower().endswith((".csv", ".txt", ".xlsx")):
        raise InspectionError("只支持 CSV 或 XLSX 文件")
    expected = 1
    try:
        for row in read_table_rows(file_name, content):
            while expected < row.line:
                yield []
                expected += 1
            yield ["" if v is None else str(v) for v in row.cells]
            expected += 1
    except TableError as exc:
        raise InspectionError(str(exc)) from exc


def header_map(header: list[str]) -> dict[str, int]:
    names = [nfc(h).lower() for h in header]
    found: dict[str, int] = {}
    for key, aliases in HEADERS.items():
        for alias in aliases:
            if alias.lower() in names:
                found[key] = names.index(alias.lower())
                break
    missing = [LABELS[k] for k in COLUMNS if k not in found]
    if missing:
        raise InspectionError(f"表头缺少列：{'、'.join(missing)}（第一行应为列名）")
    return found


def parse_row(
    cells: list[str], columns: dict[str, int]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """One entity's fields, and the problems found (column label, message)."""
    problems: list[tuple[str, str]] = []

    def cell(key: str) -> str:
        index = columns[key]
        return nfc(cells[index]) if index < len(cells) else ""

    values: dict[str, str] = {}
    raw = cell("uscc")
    try:
        values["uscc"] = normalize_uscc(raw)
    except CodeError as exc:
        problems.append((LABELS["uscc"], str(exc)))
    name = cell("name")
    if not name or len(name) > 200:
        problems.append((LABELS["name"], "名称不能为空，且不超过200个字"))
    values["name"] = name
    district = cell("district")
    if not district or "/" in district or len(district) > 20:
        problems.append((LABELS["district"], "区县不能为空、不能含有“/”、不超过20个字"))
    values["district"] = district
    for key, table in (
        ("entity_type", TYPE_VALUES),
        ("industry", INDUSTRY_VALUES),
        ("risk_class", RISK_VALUES),
        ("status", STATUS_VALUES),
    ):
        text = cell(key)
        value = table.get(text) or table.get(text.lower()) or table.get(text.upper())
        if value is None:
            if key == "industry" and text[:1].upper() in Industry.values:
                value = text[:1].upper()
            else:
                problems.append((LABELS[key], f"无法识别“{text}”"))
                continue
        values[key] = value
    return values, problems


def _write_batch(batch: dict[str, dict[str, str]], stats: ImportStats) -> None:
    with transaction.atomic():
        existing = set(
            MarketEntity.objects.filter(uscc__in=list(batch)).values_list("uscc", flat=True)
        )
        MarketEntity.objects.bulk_create(
            [MarketEntity(**values) for values in batch.values()],
            update_conflicts=True,
            unique_fields=["uscc"],
            update_fields=[c for c in COLUMNS if c != "uscc"] + ["updated_at"],
        )
    stats.created += len(batch) - len(existing)
    stats.updated += len(existing)


def import_entities(
    rows: Iterable[list[str]],
    *,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportStats:
    """Validate every row and upsert the good ones (``strict``: nothing is stored if any row is
    bad — the rows are then read twice). Line numbers count the header as line 1."""
    stats = ImportStats()
    iterator = iter(rows)
    try:
        header = next(iterator)
    except StopIteration as exc:
        raise InspectionError("文件是空的") from exc
    columns = header_map(header)
    pending: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    buffered: list[dict[str, str]] | None = [] if strict else None
    for line, cells in enumerate(iterator, start=2):
        if not any(c.strip() for c in cells):
            continue
        stats.rows += 1
        values, problems = parse_row(cells, columns)
        uscc = values.get("uscc")
        if uscc and uscc in first_line:
            problems.append((LABELS["uscc"], f"与第 {first_line[uscc]} 行重复"))
        if problems:
            stats.errors.extend((line, column, message) for column, message in problems)
        else:
            first_line[values["uscc"]] = line
            if buffered is not None:
                buffered.append(values)
            else:
                pending[values["uscc"]] = values
                if len(pending) >= BATCH:
                    _write_batch(pending, stats)
                    pending = {}
        if progress is not None and stats.rows % 1000 == 0:
            progress(stats.rows)
    if buffered is not None:
        if stats.errors:
            return stats
        for start in range(0, len(buffered), BATCH):
            _write_batch({v["uscc"]: v for v in buffered[start : start + BATCH]}, stats)
    elif pending:
        _write_batch(pending, stats)
    if progress is not None:
        progress(stats.rows)
    return stats


def entity_import_start(
    *, actor: Actor, agency: Any, file_name: str, content: bytes, strict: bool = False
) -> EntityImport:
    """Queue an import as a background job (progress on /backoffice/jobs/<id>/)."""
    if not content:
        raise InspectionError("上传的文件是空的")
    if not file_name.lower().endswith((".csv", ".txt", ".xlsx")):
        raise InspectionError("只支持 CSV 或 XLSX 文件")
    with transaction.atomic():
        run = EntityImport.objects.create(
            file_name=file_name[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            content=gzip.compress(content, compresslevel=3),
            created_by=user_or_none(actor),
            agency=agency,
        )
        audit_record(
            actor=actor,
            action=InspectionAction.ENTITY_IMPORT_START,
            obj=run,
            agency_id=getattr(agency, "pk", None),
            after={"file_name": file_name, "bytes": len(content), "strict": strict},
        )
        job = job_enqueue(
            kind="inspections.entity_import",
            title=f"导入检查对象名录库：{file_name}",
            params={"import_id": run.pk, "strict": strict},
            actor=actor,
            agency=agency,
        )
        EntityImport.objects.filter(pk=run.pk).update(job=job)
        run.job = job
    return run


def entity_import_finish(
    run: EntityImport, stats: ImportStats, *, actor: Actor, strict: bool
) -> None:
    if strict and stats.errors:
        message = f"有 {stats.failed} 行错误，按要求整批未导入"
    else:
        message = f"新增 {stats.created} 户，更新 {stats.updated} 户，{stats.failed} 行有错误未导入"
    errors = RowErrors()
    for line, column, text in stats.errors:
        errors.add(line, column, text)
    with transaction.atomic():
        run.error_report = gzip.compress(stats.error_csv()) if stats.errors else b""
        run.save(update_fields=["error_report"])
        batch_finish(
            run,
            actor=actor,
            action=InspectionAction.ENTITY_IMPORT_FINISH,
            counts={
                "rows": stats.rows,
                "created": stats.created,
                "updated": stats.updated,
                "failed": stats.failed,
            },
            errors=errors.items,
            message=message,
        )


def run_entity_import_job(job: Any, report: Callable[..., None]) -> dict[str, Any]:
    """Job handler ``inspections.entity_import``."""
    run = EntityImport.objects.get(pk=job.params["import_id"])
    strict = bool(job.params.get("strict"))
    batch_running(run)
    content = gzip.decompress(bytes(run.content))
    total = (
        max(content.count(b"\n") - 1, 0) if not run.file_name.lower().endswith(".xlsx") else None
    )
    report(0, total, "正在校验并导入")
    actor = job.created_by or SYSTEM
    try:
        stats = import_entities(
            read_rows(content, run.file_name),
            strict=strict,
            progress=lambda done: report(done, total, f"已处理 {done} 行"),
        )
    except InspectionError as exc:  # the file as a whole is unreadable: the job fails too
        batch_fail(run, actor=actor, action=InspectionAction.ENTITY_IMPORT_FAIL, message=str(exc))
        raise
    entity_import_finish(run, stats, actor=actor, strict=strict)
    return {
        "rows": stats.rows,
        "created": stats.created,
        "updated": stats.updated,
        "failed": stats.failed,
        "errors": [
            {"line": line, "column": column, "message": message}
            for line, column, message in stats.errors[:MAX_ERRORS_SHOWN]
        ],
    }
