"""Helpers shared by the catalogue services: validation, counters, snapshots, attachments."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F

from gongkai import clock
from gongkai.apps.catalog.attachments import (
    ALLOWED_EXTENSIONS,
    ATTACHMENT_KINDS,
    attachment_text,
    extension_of,
)
from gongkai.apps.catalog.errors import (
    CatalogPermissionDenied,
    CatalogValidationError,
    DocumentStateError,
)
from gongkai.apps.catalog.models import (
    Attachment,
    Column,
    ColumnKindChoice,
    DisclosureMethod,
    DisclosureScope,
    Document,
    DocumentCount,
    DocumentState,
    Genre,
    LegalKind,
    OcrStatus,
    Topic,
    Validity,
)
from gongkai.apps.catalog.richtext import html_to_text, sanitise_html
from gongkai.apps.catalog.services.ocr import ocr_schedule
from gongkai.domain.catalogmeta import INTERPRETATION_FORMS, genre_canonical
from gongkai.domain.codes import CodeError, parse_doc_number

ARTICLE_26_WORKING_DAYS = (
    20  # 条例第二十六条: publish within 20 working days of being made or changed
)

EDITABLE_FIELDS = (
    "title",
    "doc_number",
    "column",
    "topic",
    "genre",
    "legal_kind",
    "written_on",
    "keywords",
    "summary",
    "body_html",
    "interprets",
    "interpretation_form",
    "media_url",
    "disclosure_method",
    "disclosure_scope",
    "joint_agencies",
    "validity",
    "validity_on",
    "superseded_by",
)
# changing these means the privacy review must look again
CONTENT_FIELDS = ("title", "summary", "body_html", "keywords")

AUDIT_FIELDS = (
    "title",
    "index_no",
    "doc_number",
    "column",
    "topic",
    "genre",
    "legal_kind",
    "written_on",
    "published_at",
    "validity",
    "validity_on",
    "superseded_by",
    "keywords",
    "interprets",
    "interpretation_form",
    "disclosure_method",
    "disclosure_scope",
    "state",
    "version",
)


def require(condition: bool, message: str = "您没有执行此操作的权限") -> None:
    if not condition:
        raise CatalogPermissionDenied(message)


def require_state(document: Document, *states: str, action: str) -> None:
    if document.state not in states:
        allowed = "、".join(DocumentState(s).label for s in states)
        raise DocumentStateError(
            f"“{document.title}”当前为“{document.get_state_display()}”，只有{allowed}状态才能{action}"
        )


def lock(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


def local_date(value: dt.datetime) -> dt.date:
    return clock.localtime(value).date()


def publish_due(made_on: dt.date | None) -> dt.date | None:
    """The 条例第二十六条 deadline, counted on the official working-day calendar; None when
    the calendar does not cover the dates yet (never guessed from Monday–Friday)."""
    if made_on is None:
        return None
    try:
        from gongkai.apps.workcalendar.selectors import add_working_days
    except ImportError:
        return None
    try:
        return add_working_days(made_on, ARTICLE_26_WORKING_DAYS)
    except (ValueError, LookupError):
        return None


def audit_view(document: Document, joint_ids: Iterable[int] | None = None) -> dict[str, Any]:
    from gongkai.apps.audit.services import snapshot

    data = snapshot(document, AUDIT_FIELDS)
    data["body_sha256"] = hashlib.sha256(document.body_html.encode()).hexdigest()
    if joint_ids is not None:
        data["joint_agencies"] = sorted(joint_ids)
    return data


def audit_diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


# validation ------------------------------------------------------------------------------------


def _by_pk_or_value(model, value, *, field: str):
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return model.objects.filter(pk=int(value)).first()
    return model.objects.filter(**{field: value}).first()


def _date(value: Any, label: str, errors: dict[str, list[str]], key: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.setdefault(key, []).append(
        f"{label}“{value}”无法识别，请写作 2019-01-17 或 2019年1月17日"
    )
    return None


def clean_fields(
    agency_id: int, data: dict[str, Any], *, current: Document | None = None
) -> dict[str, Any]:
    """Validate and normalise editable metadata; raise CatalogValidationError listing every
    problem (in Chinese) so a form can show them all at once."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise CatalogValidationError(f"无法修改的字段：{'、'.join(sorted(unknown))}")

    def err(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if "title" in data:
        title = " ".join(str(data["title"] or "").split())
        if not title:
            err("title", "请填写标题")
        elif len(title) > 300:
            err("title", "标题不能超过300个字")
        out["title"] = title
    if "doc_number" in data:
        raw = str(data["doc_number"] or "").strip()
        out["doc_number"], out["doc_number_flags"] = "", []
        if raw:
            try:
                number = parse_doc_number(raw)
            except CodeError as exc:
                err("doc_number", str(exc))
            else:
                out["doc_number"], out["doc_number_flags"] = number.text, list(number.flags)
    if "column" in data:
        column = _by_pk_or_value(Column, data["column"], field="slug")
        if column is None and isinstance(data["column"], str) and data["column"].strip():
            column = Column.objects.filter(name=data["column"].strip(), is_active=True).first()
        if data["column"] not in (None, "") and (column is None or not column.is_active):
            err("column", f"栏目“{data['column']}”不存在或已停用")
        out["column"] = column
    if "topic" in data:
        topic = _by_pk_or_value(Topic, data["topic"], field="path")
        if topic is None and isinstance(data["topic"], str) and data["topic"].strip():
            named = list(Topic.objects.filter(name=data["topic"].strip())[:2])
            topic = named[0] if len(named) == 1 else None
        if data["topic"] not in (None, "") and (topic is None or not topic.is_active):
            err("topic", f"主题分类“{data['topic']}”不存在或已停用")
        out["topic"] = topic
    if "genre" in data:
        value = data["genre"]
        if isinstance(value, str) and not value.isdigit():
            value = genre_canonical(value)
        genre = _by_pk_or_value(Genre, value, field="name")
        if data["genre"] not in (None, "") and (genre is None or not genre.is_active):
            err("genre", f"体裁“{data['genre']}”不在体裁列表中")
        out["genre"] = genre
    if "legal_kind" in data:
        kind = data["legal_kind"] or LegalKind.OTHER
        if kind not in LegalKind.values:
            by_label = {label: value for value, label in LegalKind.choices}
            kind = by_label.get(kind, kind)
        if kind not in LegalKind.values:
            err("legal_kind", f"文件属性“{data['legal_kind']}”无法识别")
        out["legal_kind"] = kind
    today = clock.today()
    if "written_on" in data:
        written = _date(data["written_on"], "成文日期", errors, "written_on")
        if written and written > today:
            err("written_on", "成文日期不能晚于今天")
        out["written_on"] = written
    for key, limit, label in (("keywords", 200, "主题词"), ("summary", 2000, "内容概述")):
        if key in data:
            value = str(data[key] or "").strip()
            if len(value) > limit:
                err(key, f"{label}不能超过{limit}个字")
            out[key] = value
    if "body_html" in data:
        out["body_html"] = sanitise_html(str(data["body_html"] or ""))
    if "interpretation_form" in data:
        form = data["interpretation_form"] or ""
        if form and form not in dict(INTERPRETATION_FORMS):
            err("interpretation_form", "解读形式应为文字解读、图解、音频解读或视频解读")
        out["interpretation_form"] = form
    if "media_url" in data:
        url = str(data["media_url"] or "").strip()
        if url and not url.startswith(("http://", "https://")):
            err("media_url", "音视频地址应以 http:// 或 https:// 开头")
        out["media_url"] = url
    if "disclosure_method" in data:
        method = data["disclosure_method"] or DisclosureMethod.PROACTIVE
        if method not in DisclosureMethod.values:
            err("disclosure_method", "公开方式无法识别")
        out["disclosure_method"] = method
    if "disclosure_scope" in data:
        scope = data["disclosure_scope"] or DisclosureScope.PUBLIC
        if scope not in DisclosureScope.values:
            err("disclosure_scope", "公开范围无法识别")
        out["disclosure_scope"] = scope
    if "joint_agencies" in data:
        from gongkai.apps.organizations.models import Agency

        values = list(data["joint_agencies"] or [])
        agencies = []
        for value in values:
            agency = (
                value if isinstance(value, Agency) else _by_pk_or_value(Agency, value, field="name")
            )
            if agency is None:
                err("joint_agencies", f"联合发布机构“{value}”不存在")
            elif agency.pk != agency_id and agency not in agencies:
                agencies.append(agency)
        out["joint_agencies"] = agencies
    if "validity" in data:
        validity = data["validity"] or Validity.VALID
        if validity not in Validity.values:
            by_label = {label: value for value, label in Validity.choices}
            validity = by_label.get(validity, validity)
        if validity not in Validity.values:
            err("validity", "有效性应为有效、失效或废止")
        out["validity"] = validity
    if "validity_on" in data:
        out["validity_on"] = _date(data["validity_on"], "失效或废止日期", errors, "validity_on")
    for key, label in (("interprets", "所解读的文件"), ("superseded_by", "替代文件")):
        if key not in data:
            continue
        target = _by_pk_or_value(Document, data[key], field="index_no")
        if data[key] not in (None, "") and target is None:
            err(key, f"{label}“{data[key]}”不存在（可填写索引号）")
        elif target is not None:
            if current is not None and target.pk == current.pk:
                err(key, f"{label}不能是文件本身")
            elif target.state != DocumentState.PUBLISHED:
                err(key, f"{label}“{target.title}”尚未发布")
        out[key] = target

    merged = (
        {f: getattr(current, f) for f in ("validity", "validity_on", "column")} if current else {}
    )
    merged.update({k: out[k] for k in ("validity", "validity_on", "column") if k in out})
    if merged.get("validity") in (Validity.EXPIRED, Validity.REPEALED) and not merged.get(
        "validity_on"
    ):
        err("validity_on", "文件失效或废止时须填写失效或废止日期")
    if merged.get("validity") == Validity.VALID and "validity_on" in out and out["validity_on"]:
        err("validity_on", "有效的文件不填写失效或废止日期")
    if "interprets" in out and out["interprets"] is not None:
        column = merged.get("column")
        if column is None or column.kind != ColumnKindChoice.INTERPRETATION:
            err("interprets", "只有政策解读栏目中的解读才能关联所解读的文件")
        elif (
            out["interprets"].column_id
            and out["interprets"].column.kind == ColumnKindChoice.INTERPRETATION
        ):
            err("interprets", "所解读的应是政策文件，而不是另一篇解读")
    if errors:
        raise CatalogValidationError(errors)
    return out


def apply_fields(document: Document, cleaned: dict[str, Any]) -> list:
    """Set cleaned values on the instance; return the joint agencies to set (or None)."""
    joint = cleaned.pop("joint_agencies", None)
    for key, value in cleaned.items():
        setattr(document, key, value)
    if "body_html" in cleaned:
        document.body_text = html_to_text(document.body_html)
    if "written_on" in cleaned:
        document.publish_due = publish_due(document.written_on)
    return joint


def check_ready_for_review(document: Document) -> None:
    """What a document needs before it can go to review (the metadata pages display)."""
    problems: dict[str, list[str]] = {}
    required = (
        ("title", "标题"),
        ("column", "栏目"),
        ("topic", "主题分类"),
        ("genre", "体裁"),
        ("written_on", "成文日期"),
    )
    for field, label in required:
        if not getattr(
            document, field if field not in ("column", "topic", "genre") else f"{field}_id"
        ):
            problems.setdefault(field, []).append(f"提交审核前请填写{label}")
    if not document.body_text and not document.attachments.exists():
        problems.setdefault("body_html", []).append("提交审核前请填写正文或上传附件")
    if problems:
        raise CatalogValidationError(problems)


# attachments ----------------------------------------------------------------------------------


def attachment_kind(name: str, content: bytes) -> Any:
    """The sniffed kind of an attachment, which must agree with its extension; a file beyond
    the reading limits is refused here too, before anything parses it (ADR 0080, 0081)."""
    from gongkai.documents import sniff
    from gongkai.documents.untrusted import DOCUMENT, FileRefused, inspect

    try:
        kind = sniff.accept(name, content, ATTACHMENT_KINDS)
        inspect(name, content, DOCUMENT.with_max_bytes(settings.GONGKAI_UPLOAD_MAX_BYTES))
    except (sniff.ContentRefused, FileRefused) as exc:
        raise CatalogValidationError({"attachments": [str(exc)]}) from exc
    if not sniff.matches_extension(name, kind):
        raise CatalogValidationError(
            {
                "attachments": [
                    f"附件“{name}”的内容是{kind.label}，与扩展名 .{extension_of(name)} 不符"
                ]
            }
        )
    return kind


def store_attachment(document: Document, filename: str, content: bytes, order: int) -> Attachment:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise CatalogValidationError({"attachments": ["附件缺少文件名"]})
    if extension_of(name) not in ALLOWED_EXTENSIONS:
        allowed = "、".join(sorted(ext.upper() for ext in ALLOWED_EXTENSIONS))
        raise CatalogValidationError(
            {"attachments": [f"附件“{name}”的格式不受支持（可上传 {allowed}）"]}
        )
    if len(content) > settings.GONGKAI_UPLOAD_MAX_BYTES:
        limit = settings.GONGKAI_UPLOAD_MAX_BYTES // (1024 * 1024)
        raise CatalogValidationError({"attachments": [f"附件“{name}”超过{limit}MB的上限"]})
    if not content:
        raise CatalogValidationError({"attachments": [f"附件“{name}”是空文件"]})
    kind = attachment_kind(name, content)
    text, scanned = attachment_text(name, content)
    attachment = Attachment(
        document=document,
        filename=name[:200],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=kind.content_type,
        text=text,
        ocr_pages=scanned,
        ocr_status=OcrStatus.PENDING if scanned else "",
        sort_order=order,
    )
    safe = f"{attachment.sha256[:16]}.{extension_of(name)}"
    attachment.file.save(safe, ContentFile(content), save=False)
    attachment.save()
    ocr_schedule(attachment)
    return attachment


def add_attachments(document: Document, files: Sequence[tuple[str, bytes]]) -> list[Attachment]:
    start = document.attachments.count()
    return [store_attachment(document, n, c, start + i) for i, (n, c) in enumerate(files)]


# browse counters -----------------------------------------------------------------------------


def column_topic_parents() -> tuple[dict[int, int | None], dict[int, int | None]]:
    return (
        dict(Column.objects.values_list("id", "parent_id")),
        dict(Topic.objects.values_list("id", "parent_id")),
    )


def walk_up(node: int | None, parents: dict[int, int | None]) -> list[int]:
    out: list[int] = []
    while node is not None and node not in out:
        out.append(node)
        node = parents.get(node)
    return out


def count_keys(
    documents: Iterable[Document], joint: dict[int, Iterable[int]] | None = None
) -> Counter:
    """The counter rows each published document adds to (column and topic ancestors too)."""
    columns, topics = column_topic_parents()
    keys: Counter = Counter()
    for doc in documents:
        if doc.state != DocumentState.PUBLISHED or doc.published_at is None:
            continue
        year = local_date(doc.published_at).year
        keys[("all", 0, year)] += 1
        agencies = {doc.agency_id, *((joint or {}).get(doc.pk, ()))}
        for agency in agencies:
            keys[("agency", agency, year)] += 1
        for column in walk_up(doc.column_id, columns):
            keys[("column", column, year)] += 1
        for topic in walk_up(doc.topic_id, topics):
            keys[("topic", topic, year)] += 1
        if doc.genre_id:
            keys[("genre", doc.genre_id, year)] += 1
    return keys


def counts_apply(delta: Counter) -> None:
    changes = {k: v for k, v in delta.items() if v}
    if not changes:
        return
    DocumentCount.objects.bulk_create(
        [DocumentCount(dimension=d, key=k, year=y, count=0) for (d, k, y) in changes],
        ignore_conflicts=True,
    )
    for (dimension, key, year), value in changes.items():
        DocumentCount.objects.filter(dimension=dimension, key=key, year=year).update(
            count=F("count") + value
        )


def joint_ids(document: Document) -> list[int]:
    return list(document.joint_agencies.values_list("pk", flat=True))


def snapshot_document(document: Document) -> dict[str, Any]:
    """What a version keeps: every metadata field, the body and the attachment list."""
    from gongkai.apps.audit.hashing import to_jsonable

    data = {
        "title": document.title,
        "index_no": document.index_no,
        "doc_number": document.doc_number,
        "column": document.column.name if document.column_id else "",
        "topic": document.topic.path if document.topic_id else "",
        "genre": document.genre.name if document.genre_id else "",
        "legal_kind": document.legal_kind,
        "written_on": document.written_on,
        "published_at": document.published_at,
        "validity": document.validity,
        "validity_on": document.validity_on,
        "superseded_by": document.superseded_by_id,
        "keywords": document.keywords,
        "summary": document.summary,
        "body_html": document.body_html,
        "joint_agencies": list(document.joint_agencies.values_list("name", flat=True)),
        "interprets": document.interprets_id,
        "interpretation_form": document.interpretation_form,
        "media_url": document.media_url,
        "disclosure_method": document.disclosure_method,
        "disclosure_scope": document.disclosure_scope,
        "attachments": [
            {"id": a.pk, "filename": a.filename, "sha256": a.sha256, "file": a.file.name}
            for a in document.attachments.all()
        ],
    }
    return to_jsonable(data)
