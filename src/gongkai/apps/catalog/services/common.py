"""Helpers shared by the catalogue services: validation, counters, snapshots, attachments."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any, TypedDict, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F

from gongkai import clock
from gongkai.apps.audit.hashing import to_jsonable
from gongkai.apps.audit.services import snapshot
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
from gongkai.apps.organizations.models import Agency
from gongkai.apps.workcalendar.selectors import add_working_days
from gongkai.documents import sniff
from gongkai.documents.untrusted import DOCUMENT, FileRefused, inspect
from gongkai.domain.catalogmeta import INTERPRETATION_FORMS, genre_canonical
from gongkai.domain.codes import CodeError, parse_doc_number
from gongkai.domain.regulations import CURRENT

# 条例第二十六条: publish within so many working days of being made or changed
ARTICLE_26_WORKING_DAYS = CURRENT.proactive_days

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
        return add_working_days(made_on, ARTICLE_26_WORKING_DAYS)
    except (ValueError, LookupError):
        return None


def audit_view(document: Document, joint_ids: Iterable[int] | None = None) -> dict[str, Any]:
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


class CleanedFields(TypedDict, total=False):
    """Editable metadata after :func:`check_fields`: normalised values and looked-up rows."""

    title: str
    doc_number: str
    doc_number_flags: list[str]
    column: Column | None
    topic: Topic | None
    genre: Genre | None
    legal_kind: str
    written_on: dt.date | None
    keywords: str
    summary: str
    body_html: str
    interpretation_form: str
    media_url: str
    disclosure_method: str
    disclosure_scope: str
    joint_agencies: list[Any]
    validity: str
    validity_on: dt.date | None
    interprets: Document | None
    superseded_by: Document | None


@dataclass
class _Checking:
    """What the field checks share: the agency, the document being edited, the results."""

    agency_id: int
    current: Document | None
    today: dt.date
    out: dict[str, Any] = _field(default_factory=dict)
    errors: dict[str, list[str]] = _field(default_factory=dict)

    def err(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def _check_title(c: _Checking, value: Any) -> None:
    title = " ".join(str(value or "").split())
    if not title:
        c.err("title", "请填写标题")
    elif len(title) > 300:
        c.err("title", "标题不能超过300个字")
    c.out["title"] = title


def _check_doc_number(c: _Checking, value: Any) -> None:
    raw = str(value or "").strip()
    c.out["doc_number"], c.out["doc_number_flags"] = "", []
    if not raw:
        return
    try:
        number = parse_doc_number(raw)
    except CodeError as exc:
        c.err("doc_number", str(exc))
    else:
        c.out["doc_number"], c.out["doc_number_flags"] = number.text, list(number.flags)


def _check_column(c: _Checking, value: Any) -> None:
    column = _by_pk_or_value(Column, value, field="slug")
    if column is None and isinstance(value, str) and value.strip():
        column = Column.objects.filter(name=value.strip(), is_active=True).first()
    if value not in (None, "") and (column is None or not column.is_active):
        c.err("column", f"栏目“{value}”不存在或已停用")
    c.out["column"] = column


def _check_topic(c: _Checking, value: Any) -> None:
    topic = _by_pk_or_value(Topic, value, field="path")
    if topic is None and isinstance(value, str) and value.strip():
        named = list(Topic.objects.filter(name=value.strip())[:2])
        topic = named[0] if len(named) == 1 else None
    if value not in (None, "") and (topic is None or not topic.is_active):
        c.err("topic", f"主题分类“{value}”不存在或已停用")
    c.out["topic"] = topic


def _check_genre(c: _Checking, value: Any) -> None:
    lookup = genre_canonical(value) if isinstance(value, str) and not value.isdigit() else value
    genre = _by_pk_or_value(Genre, lookup, field="name")
    if value not in (None, "") and (genre is None or not genre.is_active):
        c.err("genre", f"体裁“{value}”不在体裁列表中")
    c.out["genre"] = genre


def _choice(choices: Any, value: Any, *, by_label: bool = False) -> Any:
    """The stored value of a choice given by value (or, with ``by_label``, by its label)."""
    if by_label and value not in choices.values:
        return {label: stored for stored, label in choices.choices}.get(value, value)
    return value


def _check_legal_kind(c: _Checking, value: Any) -> None:
    kind = _choice(LegalKind, value or LegalKind.OTHER, by_label=True)
    if kind not in LegalKind.values:
        c.err("legal_kind", f"文件属性“{value}”无法识别")
    c.out["legal_kind"] = kind


def _check_written_on(c: _Checking, value: Any) -> None:
    written = _date(value, "成文日期", c.errors, "written_on")
    if written and written > c.today:
        c.err("written_on", "成文日期不能晚于今天")
    c.out["written_on"] = written


def _check_text(key: str, limit: int, label: str) -> Callable[[_Checking, Any], None]:
    def check(c: _Checking, value: Any) -> None:
        text = str(value or "").strip()
        if len(text) > limit:
            c.err(key, f"{label}不能超过{limit}个字")
        c.out[key] = text

    return check


def _check_body_html(c: _Checking, value: Any) -> None:
    c.out["body_html"] = sanitise_html(str(value or ""))


def _check_interpretation_form(c: _Checking, value: Any) -> None:
    form = value or ""
    if form and form not in dict(INTERPRETATION_FORMS):
        c.err("interpretation_form", "解读形式应为文字解读、图解、音频解读或视频解读")
    c.out["interpretation_form"] = form


def _check_media_url(c: _Checking, value: Any) -> None:
    url = str(value or "").strip()
    if url and not url.startswith(("http://", "https://")):
        c.err("media_url", "音视频地址应以 http:// 或 https:// 开头")
    c.out["media_url"] = url


def _check_enum(
    key: str, choices: Any, default: Any, message: str
) -> Callable[[_Checking, Any], None]:
    def check(c: _Checking, value: Any) -> None:
        chosen = value or default
        if chosen not in choices.values:
            c.err(key, message)
        c.out[key] = chosen

    return check


def _check_joint_agencies(c: _Checking, value: Any) -> None:
    agencies: list[Any] = []
    for item in list(value or []):
        agency = item if isinstance(item, Agency) else _by_pk_or_value(Agency, item, field="name")
        if agency is None:
            c.err("joint_agencies", f"联合发布机构“{item}”不存在")
        elif agency.pk != c.agency_id and agency not in agencies:
            agencies.append(agency)
    c.out["joint_agencies"] = agencies


def _check_validity(c: _Checking, value: Any) -> None:
    validity = _choice(Validity, value or Validity.VALID, by_label=True)
    if validity not in Validity.values:
        c.err("validity", "有效性应为有效、失效或废止")
    c.out["validity"] = validity


def _check_validity_on(c: _Checking, value: Any) -> None:
    c.out["validity_on"] = _date(value, "失效或废止日期", c.errors, "validity_on")


def _check_document(key: str, label: str) -> Callable[[_Checking, Any], None]:
    def check(c: _Checking, value: Any) -> None:
        target = _by_pk_or_value(Document, value, field="index_no")
        if value not in (None, "") and target is None:
            c.err(key, f"{label}“{value}”不存在（可填写索引号）")
        elif target is not None:
            if c.current is not None and target.pk == c.current.pk:
                c.err(key, f"{label}不能是文件本身")
            elif target.state != DocumentState.PUBLISHED:
                c.err(key, f"{label}“{target.title}”尚未发布")
        c.out[key] = target

    return check


# in the order their messages are listed
_FIELD_CHECKS: dict[str, Callable[[_Checking, Any], None]] = {
    "title": _check_title,
    "doc_number": _check_doc_number,
    "column": _check_column,
    "topic": _check_topic,
    "genre": _check_genre,
    "legal_kind": _check_legal_kind,
    "written_on": _check_written_on,
    "keywords": _check_text("keywords", 200, "主题词"),
    "summary": _check_text("summary", 2000, "内容概述"),
    "body_html": _check_body_html,
    "interpretation_form": _check_interpretation_form,
    "media_url": _check_media_url,
    "disclosure_method": _check_enum(
        "disclosure_method", DisclosureMethod, DisclosureMethod.PROACTIVE, "公开方式无法识别"
    ),
    "disclosure_scope": _check_enum(
        "disclosure_scope", DisclosureScope, DisclosureScope.PUBLIC, "公开范围无法识别"
    ),
    "joint_agencies": _check_joint_agencies,
    "validity": _check_validity,
    "validity_on": _check_validity_on,
    "interprets": _check_document("interprets", "所解读的文件"),
    "superseded_by": _check_document("superseded_by", "替代文件"),
}


def _check_together(c: _Checking) -> None:
    """Rules across fields, on the values after the change (the current document's otherwise)."""
    out = c.out
    keys = ("validity", "validity_on", "column")
    merged = {f: getattr(c.current, f) for f in keys} if c.current else {}
    merged.update({k: out[k] for k in keys if k in out})
    if merged.get("validity") in (Validity.EXPIRED, Validity.REPEALED) and not merged.get(
        "validity_on"
    ):
        c.err("validity_on", "文件失效或废止时须填写失效或废止日期")
    if merged.get("validity") == Validity.VALID and out.get("validity_on"):
        c.err("validity_on", "有效的文件不填写失效或废止日期")
    interprets = out.get("interprets")
    if interprets is None:
        return
    column = merged.get("column")
    if column is None or column.kind != ColumnKindChoice.INTERPRETATION:
        c.err("interprets", "只有政策解读栏目中的解读才能关联所解读的文件")
    elif interprets.column_id and interprets.column.kind == ColumnKindChoice.INTERPRETATION:
        c.err("interprets", "所解读的应是政策文件，而不是另一篇解读")


def check_fields(
    agency_id: int, data: dict[str, Any], *, current: Document | None = None
) -> CleanedFields:
    """Validate and normalise editable metadata — the one check the forms, the API and the
    importer share; raise CatalogValidationError listing every problem (in Chinese) so a form
    can show them all at once. Changes nothing."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise CatalogValidationError(f"无法修改的字段：{'、'.join(sorted(unknown))}")
    checking = _Checking(agency_id, current, clock.today())
    for key, check in _FIELD_CHECKS.items():
        if key in data:
            check(checking, data[key])
    _check_together(checking)
    if checking.errors:
        raise CatalogValidationError(checking.errors)
    return cast(CleanedFields, checking.out)


clean_fields = check_fields  # the name the catalogue's services call it by


def apply_fields(document: Document, cleaned: CleanedFields) -> list[Any] | None:
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
    data = {
        "title": document.title,
        "index_no": document.index_no,
        "doc_number": document.doc_number,
        "column": document.column.name if document.column is not None else "",
        "topic": document.topic.path if document.topic is not None else "",
        "genre": document.genre.name if document.genre is not None else "",
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
