"""Bulk import from a legacy CMS export (CSV, JSON, JSON Lines or XLSX).

Columns are matched by their Chinese names (the same names the export writes, so an export
re-imports cleanly) or English aliases. Each row is checked on its own: a bad row is reported
with its line number and field and nothing of it is stored; good rows go in. Importing the
same file again changes nothing (rows are keyed by 原编号, else 索引号, else a hash of title,
文号 and date; unchanged rows are skipped, changed ones become a new version).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai import clock
from gongkai.apps.accounts.models import user_or_none
from gongkai.apps.audit.frame import Actor
from gongkai.apps.audit.services import SYSTEM, audit_record
from gongkai.apps.catalog import privacy_gate
from gongkai.apps.catalog.errors import CatalogError, CatalogValidationError, ImportFileError
from gongkai.apps.catalog.models import (
    Document,
    DocumentOrigin,
    DocumentState,
    DocumentVersion,
    ImportBatch,
)
from gongkai.apps.catalog.permissions import can_edit_for
from gongkai.apps.catalog.richtext import text_to_html
from gongkai.apps.catalog.search.indexing import schedule_index
from gongkai.apps.catalog.services.common import (
    apply_fields,
    audit_view,
    clean_fields,
    count_keys,
    counts_apply,
    joint_ids,
    require,
    snapshot_document,
)
from gongkai.apps.catalog.services.documents import allocate_index_no
from gongkai.apps.catalog.services.rendition import rendition_build
from gongkai.apps.jobs.imports import WHOLE_ROW, RowErrors, batch_finish, batch_running
from gongkai.apps.jobs.services import job_enqueue
from gongkai.documents import table
from gongkai.domain.catalogue import CatalogAction
from gongkai.domain.indexno import looks_like_index_no, normalise_index_no

IMPORT_JOB = "catalog.import"
CHUNK = 200
NOTE = "提示"  # the field of a note on a row that was taken in

# canonical column → accepted header names (first is the one the export writes)
COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("原编号", "编号", "id", "external_id"),
    "title": ("标题", "名称", "title"),
    "index_no": ("索引号", "index_no"),
    "agency": ("发布机构", "发文机关", "agency"),
    "joint_agencies": ("联合发布机构", "joint_agencies"),
    "doc_number": ("发文字号", "文号", "doc_number"),
    "column": ("栏目", "column"),
    "topic": ("主题分类", "topic"),
    "genre": ("体裁", "体裁分类", "genre"),
    "legal_kind": ("文件属性", "legal_kind"),
    "written_on": ("成文日期", "written_on"),
    "published_at": ("发布日期", "published_at"),
    "validity": ("有效性", "validity"),
    "validity_on": ("失效或废止日期", "失效日期", "废止日期", "validity_on"),
    "keywords": ("主题词", "keywords"),
    "summary": ("内容概述", "摘要", "summary"),
    "body": ("正文", "内容", "body", "body_html"),
    "disclosure_method": ("公开方式", "disclosure_method"),
    "disclosure_scope": ("公开范围", "disclosure_scope"),
}
LABELS = {key: names[0] for key, names in COLUMNS.items()}
_HEADER_INDEX = {name.strip().lower(): key for key, names in COLUMNS.items() for name in names}
METHOD_LABELS = {"主动公开": "proactive", "依申请公开转主动公开": "from_request"}
SCOPE_LABELS = {"面向全社会": "public", "面向特定区域": "region", "面向特定群体": "group"}


# reading ------------------------------------------------------------------------------------


def _map_row(raw: dict[Any, Any]) -> dict[str, str]:
    row: dict[str, str] = {}
    for header, value in raw.items():
        key = _HEADER_INDEX.get(str(header or "").strip().lower())
        if key is None or value is None:
            continue
        if isinstance(value, dt.datetime):
            value = value.strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = "、".join(str(v) for v in value)
        row[key] = str(value).strip()
    return row


def read_rows(filename: str, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, mapped row) for every data row; ImportFileError when unreadable."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext == "xlsx":
        yield from _read_table(filename, content, "xlsx")
    elif ext in ("json", "jsonl", "ndjson"):
        yield from _read_json(content)
    elif ext in ("csv", "txt"):
        yield from _read_table(filename, content, "csv")
    else:
        raise ImportFileError(
            f"不支持的文件格式“{ext or filename}”，请上传 CSV、JSON、JSON Lines 或 XLSX 文件"
        )


def _check_headers(headers: list[Any]) -> None:
    keys = {_HEADER_INDEX.get(str(h or "").strip().lower()) for h in headers}
    if "title" not in keys:
        raise ImportFileError(
            "文件中找不到“标题”列（第一行应为列名，如 标题、发文字号、成文日期、正文）"
        )


def _read_table(filename: str, content: bytes, kind: str) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        rows = table.read_rows(filename, content, kind=kind)
        header = next(rows, None)
    except table.TableError as exc:
        raise ImportFileError(str(exc)) from exc
    headers = list(header.cells) if header else []
    _check_headers(headers)
    # row numbers as a spreadsheet shows them (header = row 1), not physical lines: a cell
    # may hold line breaks
    for row in rows:
        yield row.line, _map_row(dict(zip(headers, row.cells, strict=False)))


def _read_json(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = table.decode_text(content).strip()
    except table.TableError as exc:
        raise ImportFileError(str(exc)) from exc
    if not text:
        raise ImportFileError("文件是空的")
    if text.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"JSON 格式错误（第{exc.lineno}行）：{exc.msg}") from exc
        numbered = list(enumerate(items, start=1))
    else:
        numbered = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((number, json.loads(line)))
            except json.JSONDecodeError:
                numbered.append((number, None))
    if numbered and all(isinstance(item, dict) for _n, item in numbered[:1]):
        _check_headers(list(numbered[0][1].keys()))
    for number, item in numbered:
        if not isinstance(item, dict):
            yield number, {"__error__": "这一行不是有效的 JSON 对象"}
        else:
            yield number, _map_row(item)


# one row --------------------------------------------------------------------------------------


def _row_key(row: dict[str, str]) -> str:
    if row.get("external_id"):
        return row["external_id"][:100]
    if row.get("index_no"):
        return f"索引号:{normalise_index_no(row['index_no'])}"[:100]
    basis = "\x1f".join(
        [row.get("title", ""), row.get("doc_number", ""), row.get("written_on", "")]
    )
    return "hash:" + hashlib.sha256(basis.encode()).hexdigest()[:32]


def _row_hash(row: dict[str, str]) -> str:
    data = json.dumps({k: row[k] for k in sorted(row)}, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _published_at(value: str) -> dt.datetime | None:
    value = value.strip().replace("/", "-").replace("年", "-").replace("月", "-").replace("日", "")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return timezone.make_aware(dt.datetime.strptime(value, fmt))
        except ValueError:
            continue
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _fields_from_row(row: dict[str, str], agency: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"title": row.get("title", "")}
    for key in (
        "doc_number",
        "column",
        "topic",
        "genre",
        "legal_kind",
        "written_on",
        "keywords",
        "summary",
        "validity",
        "validity_on",
    ):
        if row.get(key):
            data[key] = row[key]
    if row.get("disclosure_method"):
        data["disclosure_method"] = METHOD_LABELS.get(
            row["disclosure_method"], row["disclosure_method"]
        )
    if row.get("disclosure_scope"):
        data["disclosure_scope"] = SCOPE_LABELS.get(
            row["disclosure_scope"], row["disclosure_scope"]
        )
    if row.get("joint_agencies"):
        names = [
            n.strip()
            for n in row["joint_agencies"].replace(";", "、").replace("；", "、").split("、")
        ]
        data["joint_agencies"] = [n for n in names if n]
    body = row.get("body", "")
    if body:
        data["body_html"] = body if "<" in body and ">" in body else text_to_html(body)
    return data


class RowError(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors


def _check_agency(row: dict[str, str], agency: Any) -> None:
    name = row.get("agency", "")
    if name and name not in {agency.name, agency.short_name, agency.code}:
        raise RowError({"agency": [f"发布机构“{name}”与导入的机关“{agency.name}”不符"]})


def _import_row(
    actor: Actor, agency: Any, row: dict[str, str], *, as_draft: bool, batch: ImportBatch
) -> tuple[str, Document | None, list[str]]:
    """Create, update or skip one row; returns (outcome, document, warnings)."""
    if "__error__" in row:
        raise RowError({"": [row["__error__"]]})
    _check_agency(row, agency)
    key = _row_key(row)
    digest = _row_hash(row)
    warnings: list[str] = []
    existing = Document.objects.select_for_update().filter(agency=agency, external_id=key).first()
    if existing is not None and existing.import_hash == digest:
        return "unchanged", existing, warnings
    try:
        cleaned = clean_fields(agency.pk, _fields_from_row(row, agency), current=existing)
    except CatalogValidationError as exc:
        raise RowError(exc.errors) from exc
    if cleaned.get("doc_number_flags"):
        warnings.append("发文字号已规范：" + "；".join(cleaned["doc_number_flags"]))
    published_at = None
    if row.get("published_at"):
        published_at = _published_at(row["published_at"])
        if published_at is None:
            raise RowError({"published_at": [f"发布日期“{row['published_at']}”无法识别"]})
        if published_at > clock.now():
            raise RowError({"published_at": ["发布日期不能晚于现在"]})
    index_no = ""
    if row.get("index_no"):
        index_no = normalise_index_no(row["index_no"])
        if not looks_like_index_no(index_no) and len(index_no) > 60:
            raise RowError({"index_no": [f"索引号“{row['index_no']}”过长"]})
        clash = Document.objects.filter(index_no=index_no)
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            raise RowError({"index_no": [f"索引号“{index_no}”已被其他文件使用"]})

    if existing is None:
        doc = Document(
            agency=agency,
            origin=DocumentOrigin.IMPORT,
            external_id=key,
            source_note=f"批量导入：{batch.file_name}",
        )
        joint = apply_fields(doc, cleaned)
        doc.import_hash = digest
        if index_no:
            doc.index_no = index_no
        doc.save()
        if joint:
            doc.joint_agencies.set(joint)
        outcome = "created"
        if not as_draft:
            _publish_imported(actor, doc, published_at, warnings)
        audit_record(
            actor=actor,
            action=CatalogAction.IMPORT,
            obj=doc,
            agency_id=agency.pk,
            after=audit_view(doc, joint_ids(doc)),
            context={"batch": batch.pk},
        )
        return outcome, doc, warnings

    old_keys = count_keys([existing], {existing.pk: joint_ids(existing)})
    before = audit_view(existing, joint_ids(existing))
    if existing.state == DocumentState.PUBLISHED:
        DocumentVersion.objects.create(
            document=existing,
            version=existing.version,
            snapshot=snapshot_document(existing),
            reason=f"批量导入更新：{batch.file_name}",
            created_by=user_or_none(actor),
        )
        existing.version += 1
    joint = apply_fields(existing, cleaned)
    existing.import_hash = digest
    if index_no:
        existing.index_no = index_no
    if published_at and existing.state == DocumentState.PUBLISHED:
        existing.published_at = published_at
    existing.save()
    if joint is not None:
        existing.joint_agencies.set(joint)
    delta = count_keys([existing], {existing.pk: joint_ids(existing)})
    delta.subtract(old_keys)
    counts_apply(delta)
    audit_record(
        actor=actor,
        action=CatalogAction.IMPORT_UPDATE,
        obj=existing,
        agency_id=agency.pk,
        before=before,
        after=audit_view(existing, joint_ids(existing)),
        context={"batch": batch.pk},
    )
    return "updated", existing, warnings


def _publish_imported(
    actor: Actor, doc: Document, published_at: dt.datetime | None, warnings: list[str]
) -> None:
    """Documents of a legacy site were public already; they still pass the privacy review,
    and any with unresolved findings wait for review instead of going online."""
    try:
        privacy_gate.review_document(actor=actor, document=doc)
        privacy_gate.assert_publishable(doc)
        rendition_build(doc, actor=actor)  # what the public receives (ADR 0032)
    except privacy_gate.blocked_error() as exc:
        doc.state = DocumentState.PENDING
        doc.submitted_at = clock.now()
        doc.save(update_fields=["state", "submitted_at"])
        warnings.append(f"隐私审查未通过，已转为待审核：{exc}")
        return
    when = published_at or clock.now()
    if not doc.index_no:
        doc.index_no = allocate_index_no(doc.agency, clock.localtime(when).date())
    doc.published_at = when
    doc.state = DocumentState.PUBLISHED
    doc.version = 1
    doc.save()
    counts_apply(count_keys([doc], {doc.pk: joint_ids(doc)}))


# batches ------------------------------------------------------------------------------------


def import_batch_create(
    *,
    actor: Actor,
    agency: Any,
    filename: str,
    content: bytes,
    as_draft: bool = False,
    run: bool = True,
) -> ImportBatch:
    """Store an uploaded file and queue its import as a background job (with progress)."""
    require(can_edit_for(actor, agency.pk), "只有本机关工作人员才能批量导入")
    if not content:
        raise ImportFileError("上传的文件是空的")
    total = 0
    for total, _row in enumerate(read_rows(filename, content), start=1):  # noqa: B007 (validates)
        pass
    if total == 0:
        raise ImportFileError("文件中没有数据行")
    with transaction.atomic():
        batch = ImportBatch(
            agency=agency,
            file_name=filename[:200],
            sha256=hashlib.sha256(content).hexdigest(),
            as_draft=as_draft,
            rows=total,
            created_by=user_or_none(actor),
        )
        batch.file.save(
            f"import-{clock.now():%Y%m%d%H%M%S}.{filename.rsplit('.', 1)[-1]}",
            ContentFile(content),
            save=False,
        )
        batch.save()
        audit_record(
            actor=actor,
            action=CatalogAction.IMPORT_BATCH_CREATE,
            obj=batch,
            agency_id=agency.pk,
            after={"filename": batch.file_name, "rows": total, "as_draft": as_draft},
        )
        if run:
            job = job_enqueue(
                kind=IMPORT_JOB,
                title=f"批量导入：{batch.file_name}",
                params={"batch_id": batch.pk},
                actor=actor,
                agency=agency,
            )
            ImportBatch.objects.filter(pk=batch.pk).update(job=job)
            batch.job = job
    return batch


def import_batch_run(
    batch: ImportBatch, *, actor: Actor = SYSTEM, progress: Callable[[int, int], None] | None = None
) -> ImportBatch:
    """Import every row of a stored batch; rows are independent (a bad one is reported and
    skipped), committed a chunk at a time, then indexed in one go."""
    batch_running(batch)
    with batch.file.open("rb") as fh:
        content = fh.read()
    outcomes: Counter = Counter()
    errors = RowErrors()
    rows = list(read_rows(batch.file_name, content))
    for start in range(0, len(rows), CHUNK):
        chunk_touched: list[int] = []
        with transaction.atomic():
            for line, row in rows[start : start + CHUNK]:
                try:
                    with transaction.atomic():
                        outcome, doc, warnings = _import_row(
                            actor, batch.agency, row, as_draft=batch.as_draft, batch=batch
                        )
                except RowError as exc:
                    outcomes["error"] += 1
                    for key, messages in exc.errors.items():
                        for message in messages:
                            errors.add(line, LABELS.get(key, key or WHOLE_ROW), message)
                    continue
                except (CatalogError, ValueError) as exc:
                    outcomes["error"] += 1
                    errors.add(line, WHOLE_ROW, str(exc))
                    continue
                outcomes[outcome] += 1
                for warning in warnings:
                    errors.add(line, NOTE, warning)
                if outcome != "unchanged" and doc is not None:
                    chunk_touched.append(doc.pk)
            schedule_index(chunk_touched)
        if progress is not None:
            progress(min(start + CHUNK, len(rows)), len(rows))
    batch_finish(
        batch,
        actor=actor,
        action=CatalogAction.IMPORT_BATCH_FINISH,
        counts={
            "rows": len(rows),
            "created": outcomes["created"],
            "updated": outcomes["updated"],
            "unchanged": outcomes["unchanged"],
            "failed": outcomes["error"],
        },
        errors=errors.items,
        audit_after={k: outcomes[k] for k in ("created", "updated", "unchanged", "error")},
    )
    batch.refresh_from_db()
    return batch


def import_job(job: Any, report: Any) -> dict[str, Any]:
    batch = ImportBatch.objects.select_related("agency", "created_by").get(
        pk=job.params["batch_id"]
    )
    actor = batch.created_by or SYSTEM
    batch = import_batch_run(batch, actor=actor, progress=lambda d, t: report(d, t, "正在导入"))
    return {
        "新增": batch.created,
        "更新": batch.updated,
        "未变化": batch.unchanged,
        "出错": batch.failed,
    }
