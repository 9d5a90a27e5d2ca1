"""Privacy review before publication: every write, and the masked copies publishers use.

Other contexts call, before publishing anything::

    review = privacy_review(actor=user, target=document, agency_id=document.agency_id,
                            sources=[ReviewSource("正文", text=body),
                                     ReviewSource("附件：名单.xlsx", filename=name, content=data)])
    ...  # a reviewer masks or overrides each finding in the back office
    privacy_assert_publishable(document)        # raises PrivacyBlocked while findings are open
    public_body = privacy_mask_text(body, review=review)
    public_file = privacy_masked_file(name, data, review=review)

A finding is masked in the published copy when it reaches the threshold and was not
overridden, or when a reviewer chose to mask it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from gongkai import clock
from gongkai.apps.accounts.models import staff_user, user_or_none
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import audit_record
from gongkai.apps.privacy.errors import PrivacyActionDenied, PrivacyBlocked, PrivacyError
from gongkai.apps.privacy.models import (
    FindingStatus,
    PrivacyCheck,
    PrivacyFinding,
    PrivacyReview,
    PrivacySettings,
    PrivacySource,
)
from gongkai.apps.privacy.permissions import can_mask, can_override
from gongkai.apps.privacy.selectors import privacy_review_latest, privacy_settings
from gongkai.documents.extract import (
    ExtractionError,
    TextBlock,
    extract_document,
    text_blocks,
)
from gongkai.documents.mask import mask_file, mask_plain_text
from gongkai.domain.privacy import (
    Finding,
    Kind,
    MaskPolicy,
    ScanOptions,
    mask_text,
    mask_value,
    replacements,
    scan_blocks,
)
from gongkai.domain.privacy.actions import PrivacyAction
from gongkai.domain.privacy.text import compact

CONTEXT_CHARS = 30
NUMERIC_KINDS = frozenset(
    {
        Kind.ID_NUMBER,
        Kind.MOBILE,
        Kind.LANDLINE,
        Kind.BANK_CARD,
        Kind.PASSPORT,
        Kind.TRAVEL_PERMIT,
    }
)


@dataclass(frozen=True)
class ReviewSource:
    """One thing to review: a text or a file."""

    label: str
    text: str | None = None
    filename: str | None = None
    content: bytes | None = None
    # text recognised (OCR) on the pages of ``content`` without a text layer, by page number
    # (1 for an image): machine-read, it only points the person who must read the page
    recognised: Mapping[int, str] | None = None


@dataclass
class ScannedFinding:
    location: str
    finding: Finding
    masked_value: str
    context_before: str
    context_after: str
    digest: str


@dataclass
class ScannedSource:
    source: ReviewSource
    findings: list[ScannedFinding] = field(default_factory=list)
    char_count: int = 0
    block_count: int = 0
    note: str = ""


# renditions follow decisions (ADR 0032) ------------------------------------------------------

# "app_label.model" -> refresh(actor, object_id): rebuilds the published rendition of a target
# whose review decision changed (a mask, an override, an override replaced by a mask)
_RENDITION_REFRESH: dict[str, Callable[[Any, str], None]] = {}


def register_rendition_refresh(model_label: str, refresh: Callable[[Any, str], None]) -> None:
    """Contexts that publish a rendition register how to rebuild it (from ``ready()``)."""
    _RENDITION_REFRESH[model_label] = refresh


def _refresh_rendition(actor: Actor, review: PrivacyReview) -> None:
    content_type = ContentType.objects.get_for_id(review.content_type_id)
    refresh = _RENDITION_REFRESH.get(f"{content_type.app_label}.{content_type.model}")
    if refresh is not None and review.superseded_at is None:
        refresh(actor, review.object_id)


# scanning (no database writes) -----------------------------------------------------------------


def scan_options() -> ScanOptions:
    return ScanOptions(reference_date=clock.today())


def value_digest(kind: str, value: str) -> str:
    """A keyed digest of a found value: recognises the same value again without storing it."""
    normal = compact(value) if Kind(kind) in NUMERIC_KINDS else "".join(value.split())
    key = django_settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{normal}".encode(), hashlib.sha256).hexdigest()


def _recognised_hint(text: str | None, options: ScanOptions, floor: float) -> str:
    """What the detectors find in a scanned page's recognised text, as a pointer for the
    person who must read the page (never a finding of its own: OCR misreads digits)."""
    if text is None:
        return ""
    kinds = Counter(
        Kind(item.finding.kind).label
        for item in scan_blocks(text_blocks(text), options)
        if item.finding.score >= floor
    )
    if not kinds:
        return "；文字识别未发现个人信息（机器识别可能有误），仍须人工核对"
    found = "、".join(f"{label} {n} 处" for label, n in kinds.most_common())
    return f"；文字识别发现疑似{found}（机器识别可能有误），请对照原件核对"


def _source_blocks(
    source: ReviewSource, options: ScanOptions, floor: float
) -> tuple[list[TextBlock], str, list[ScannedFinding]]:
    """Blocks of a source, a note, and findings for what could not be read."""
    if source.content is not None:
        filename = source.filename or source.label
        recognised = source.recognised or {}
        try:
            extraction = extract_document(filename, source.content)
        except ExtractionError as exc:
            reason = str(exc) + _recognised_hint(recognised.get(1), options, floor)
            return [], str(exc), [_unreadable("整个文件", reason, filename)]
        unreadable = [
            _unreadable(
                f"第{page}页",
                "此页没有文字层（可能是扫描件），须人工核对"
                + _recognised_hint(recognised.get(page), options, floor),
                f"{filename}#{page}",
            )
            for page in extraction.pages_without_text
        ]
        note = f"共 {extraction.pages} 页" if extraction.pages else ""
        if extraction.pages_without_text:
            note += f"，{len(extraction.pages_without_text)} 页没有文字层"
        return extraction.blocks, note, unreadable
    return text_blocks(source.text or ""), "", []


def _unreadable(location: str, reason: str, key: str) -> ScannedFinding:
    finding = Finding(Kind.UNREADABLE, 0, 0, "", 1.0, reason)
    return ScannedFinding(location, finding, "—", "", "", value_digest(Kind.UNREADABLE, key))


def scan_source(
    source: ReviewSource, *, conf: PrivacySettings | None = None, options: ScanOptions | None = None
) -> ScannedSource:
    """Extract and scan one source; keep findings at or above the report floor."""
    conf = conf or privacy_settings()
    policy = conf.policy()
    options = options or scan_options()
    blocks, note, unreadable = _source_blocks(source, options, conf.report_floor)
    found = [
        item for item in scan_blocks(blocks, options) if item.finding.score >= conf.report_floor
    ]
    per_block: dict[int, list[Finding]] = {}
    for item in found:
        per_block.setdefault(item.block, []).append(item.finding)
    scanned = ScannedSource(
        source,
        list(unreadable),
        char_count=sum(len(b.text) for b in blocks),
        block_count=len(blocks),
        note=note,
    )
    for item in found:
        block = blocks[item.block]
        finding = item.finding
        before, after = _masked_context(block.text, finding, per_block[item.block], policy)
        scanned.findings.append(
            ScannedFinding(
                block.location,
                finding,
                mask_value(finding.kind, finding.text, policy),
                before,
                after,
                value_digest(finding.kind, finding.text),
            )
        )
    return scanned


def _masked_context(
    text: str, finding: Finding, others: list[Finding], policy: MaskPolicy
) -> tuple[str, str]:
    """The text around a finding with every finding in it masked (for reviewers' eyes)."""
    left = max(0, finding.start - CONTEXT_CHARS)
    right = min(len(text), finding.end + CONTEXT_CHARS)
    for other in others:  # never cut through another finding: it would show unmasked
        if other.start < left < other.end:
            left = other.start
        if other.start < right < other.end:
            right = other.end
    before_findings = [f for f in others if f.end <= finding.start and f.start >= left]
    after_findings = [f for f in others if f.start >= finding.end and f.end <= right]
    before = mask_text(
        text[left : finding.start], [_shift(f, -left) for f in before_findings], policy
    )
    after = mask_text(
        text[finding.end : right], [_shift(f, -finding.end) for f in after_findings], policy
    )
    return ("…" if left > 0 else "") + before, after + ("…" if right < len(text) else "")


def _shift(finding: Finding, offset: int) -> Finding:
    return Finding(
        finding.kind,
        finding.start + offset,
        finding.end + offset,
        finding.text,
        finding.score,
        finding.reason,
    )


def sources_fingerprint(sources: Sequence[ReviewSource]) -> str:
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.label.encode())
        digest.update(b"\0")
        if source.content is not None:
            digest.update((source.filename or "").encode())
            digest.update(b"\0")
            digest.update(hashlib.sha256(source.content).digest())
        else:
            digest.update(hashlib.sha256((source.text or "").encode()).digest())
        digest.update(b"\1")
    return digest.hexdigest()


# the review ----------------------------------------------------------------------------------


def _target_label(target: Any) -> str:
    return str(target)[:300]


def privacy_review(
    *, actor: Actor, target: Any, agency_id: int | None, sources: Sequence[ReviewSource]
) -> PrivacyReview:
    """Review ``sources`` of ``target``; replaces the target's previous review; audited.

    Decisions already taken on the same values in the previous review (masked, overridden
    with a reason) carry over, so a resubmitted document does not ask twice.
    """
    for source in sources:  # no sources at all is a review with nothing to find
        if source.text is None and source.content is None:
            raise PrivacyError(f"“{source.label}”既没有文字也没有文件")
    conf = privacy_settings()
    started = time.monotonic()
    options = scan_options()
    scanned = [scan_source(source, conf=conf, options=options) for source in sources]
    seconds = time.monotonic() - started
    content_type = ContentType.objects.get_for_model(target)
    object_id = str(target.pk)
    with transaction.atomic():
        previous = list(
            PrivacyReview.objects.select_for_update()
            .filter(content_type=content_type, object_id=object_id, superseded_at__isnull=True)
            .order_by("-created_at", "-id")
        )
        decisions: dict[tuple[str, str], PrivacyFinding] = {}
        if previous:
            for old in (
                previous[0].findings.exclude(status=FindingStatus.OPEN).order_by("resolved_at")
            ):
                decisions[(old.kind, old.digest)] = old
            PrivacyReview.objects.filter(pk__in=[p.pk for p in previous]).update(
                superseded_at=clock.now()
            )
        review = PrivacyReview.objects.create(
            content_type=content_type,
            object_id=object_id,
            target_label=_target_label(target),
            agency_id=agency_id,
            fingerprint=sources_fingerprint(sources),
            created_by=user_or_none(actor),
            seconds=round(seconds, 3),
        )
        source_rows = PrivacySource.objects.bulk_create(
            [
                PrivacySource(
                    review=review,
                    position=index,
                    label=item.source.label[:200],
                    filename=(item.source.filename or "")[:255],
                    size=len(item.source.content or b"")
                    if item.source.content is not None
                    else len((item.source.text or "").encode()),
                    char_count=item.char_count,
                    block_count=item.block_count,
                    note=item.note[:300],
                )
                for index, item in enumerate(scanned, start=1)
            ]
        )
        rows: list[PrivacyFinding] = []
        carried = 0
        for source_row, item in zip(source_rows, scanned, strict=True):
            for found in item.findings:
                row = PrivacyFinding(
                    review=review,
                    source=source_row,
                    location=found.location[:200],
                    kind=found.finding.kind.value,
                    score=min(1.0, found.finding.score),
                    reason=found.finding.reason[:500],
                    masked_value=found.masked_value[:200],
                    context_before=found.context_before[:200],
                    context_after=found.context_after[:200],
                    digest=found.digest,
                )
                decided = decisions.get((row.kind, row.digest))
                if decided is not None:
                    row.status = decided.status
                    row.resolved_by_id = decided.resolved_by_id
                    row.resolved_at = decided.resolved_at
                    row.override_reason = decided.override_reason
                    row.carried_over = True
                    carried += 1
                rows.append(row)
        PrivacyFinding.objects.bulk_create(rows)
        blocking = [r for r in rows if r.status == FindingStatus.OPEN and r.score >= conf.threshold]
        audit_record(
            actor=actor,
            action=PrivacyAction.REVIEW,
            obj=review,
            agency_id=agency_id,
            after={
                "target": f"{content_type.app_label}.{content_type.model}:{object_id}",
                "sources": [s.label for s in source_rows],
                "findings": len(rows),
                "blocking": len(blocking),
                "carried_over": carried,
                "kinds": dict(Counter(r.kind for r in rows)),
                "superseded": [p.pk for p in previous],
                "threshold": conf.threshold,
            },
        )
    return review


def _locked_finding(finding: PrivacyFinding) -> PrivacyFinding:
    locked = PrivacyFinding.objects.select_for_update().select_related("review").get(pk=finding.pk)
    if locked.review.superseded_at is not None:
        raise PrivacyError("这次审查已被新的审查取代，请在最新的审查中处理")
    return locked


def _resolution(finding: PrivacyFinding) -> dict[str, Any]:
    return {"status": finding.status, "override_reason": finding.override_reason}


def privacy_finding_mask(*, actor: Actor, finding: PrivacyFinding) -> PrivacyFinding:
    """Mark a finding masked: the published copy will carry its masked form. Audited."""
    with transaction.atomic():
        locked = _locked_finding(finding)
        if not can_mask(actor, locked.review):
            raise PrivacyActionDenied("您无权处理本机关以外或本角色以外的隐私审查")
        if locked.kind == Kind.UNREADABLE:
            raise PrivacyError(
                "无法读取的内容不能自动遮盖：请人工核对原件后说明理由放行，或更换文件"
            )
        if locked.status == FindingStatus.MASKED:
            return locked
        before = _resolution(locked)
        locked.status = FindingStatus.MASKED
        locked.override_reason = ""
        locked.resolved_by = staff_user(actor)
        locked.resolved_at = clock.now()
        locked.carried_over = False
        locked.save(
            update_fields=[
                "status",
                "override_reason",
                "resolved_by",
                "resolved_at",
                "carried_over",
            ]
        )
        audit_record(
            actor=actor,
            action=PrivacyAction.FINDING_MASK,
            obj=locked,
            agency_id=locked.review.agency_id,
            before=before,
            after={**_resolution(locked), "kind": locked.kind, "masked_value": locked.masked_value},
        )
        _refresh_rendition(actor, locked.review)
    return locked


def privacy_finding_override(
    *, actor: Actor, finding: PrivacyFinding, reason: str
) -> PrivacyFinding:
    """Publish the value as it is, for a recorded reason (e.g. 任免公告中的公职人员姓名). Audited."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise PrivacyError("放行须写明理由（至少4个字），例如“依法应当公开的行政处罚当事人姓名”")
    if len(reason) > 500:
        raise PrivacyError("放行理由不能超过500字")
    with transaction.atomic():
        locked = _locked_finding(finding)
        if not can_override(actor, locked.review):
            raise PrivacyActionDenied("放行个人信息须由本机关的审核人或公开办负责人决定")
        before = _resolution(locked)
        locked.status = FindingStatus.OVERRIDDEN
        locked.override_reason = reason
        locked.resolved_by = staff_user(actor)
        locked.resolved_at = clock.now()
        locked.carried_over = False
        locked.save(
            update_fields=[
                "status",
                "override_reason",
                "resolved_by",
                "resolved_at",
                "carried_over",
            ]
        )
        audit_record(
            actor=actor,
            action=PrivacyAction.FINDING_OVERRIDE,
            obj=locked,
            agency_id=locked.review.agency_id,
            before=before,
            after={**_resolution(locked), "kind": locked.kind, "masked_value": locked.masked_value},
        )
        _refresh_rendition(actor, locked.review)
    return locked


def privacy_review_mask_all(*, actor: Actor, review: PrivacyReview) -> int:
    """Mask every open finding at or above the threshold in one go (a long list). Audited once,
    with the findings' ids; returns how many were masked."""
    threshold = privacy_settings().threshold
    with transaction.atomic():
        locked = PrivacyReview.objects.select_for_update().get(pk=review.pk)
        if locked.superseded_at is not None:
            raise PrivacyError("这次审查已被新的审查取代，请在最新的审查中处理")
        if not can_mask(actor, locked):
            raise PrivacyActionDenied("您无权处理本机关以外或本角色以外的隐私审查")
        findings = list(
            locked.findings.select_for_update()
            .filter(status=FindingStatus.OPEN, score__gte=threshold)
            .exclude(kind=Kind.UNREADABLE)
            .order_by("id")
        )
        if not findings:
            return 0
        now = clock.now()
        PrivacyFinding.objects.filter(pk__in=[f.pk for f in findings]).update(
            status=FindingStatus.MASKED,
            resolved_by=actor,
            resolved_at=now,
            override_reason="",
            carried_over=False,
        )
        audit_record(
            actor=actor,
            action=PrivacyAction.REVIEW_MASK_ALL,
            obj=locked,
            agency_id=locked.agency_id,
            before={"status": FindingStatus.OPEN},
            after={
                "status": FindingStatus.MASKED,
                "findings": [f.pk for f in findings],
                "kinds": dict(Counter(f.kind for f in findings)),
                "threshold": threshold,
            },
        )
        _refresh_rendition(actor, locked)
    return len(findings)


# publishing ----------------------------------------------------------------------------------


def privacy_assert_publishable(
    target: Any, *, sources: Sequence[ReviewSource] | None = None
) -> None:
    """Raise PrivacyBlocked unless the target's current review has no open finding ≥ threshold.

    Pass ``sources`` to also check that the content is still what was reviewed.
    """
    label = _target_label(target)
    review = privacy_review_latest(target)
    if review is None:
        raise PrivacyBlocked(f"“{label}”尚未进行隐私审查，不能公开")
    if sources is not None and sources_fingerprint(sources) != review.fingerprint:
        raise PrivacyBlocked(f"“{label}”在隐私审查后内容已修改，请重新审查后再公开")
    threshold = privacy_settings().threshold
    blocking = list(
        review.findings.filter(status=FindingStatus.OPEN, score__gte=threshold).values_list(
            "kind", flat=True
        )
    )
    if blocking:
        labels = {k.value: k.label for k in Kind}
        kinds = Counter(labels.get(kind, kind) for kind in blocking)
        detail = "、".join(f"{name} {count} 处" for name, count in kinds.most_common())
        raise PrivacyBlocked(
            f"“{label}”有 {len(blocking)} 处未处理的个人信息（{detail}），"
            "须遮盖或由审核人说明理由放行后才能公开",
            count=len(blocking),
            kinds=dict(kinds),
        )


@dataclass(frozen=True)
class MaskDecider:
    """Which findings a masked copy masks: ≥ threshold unless overridden, or marked masked."""

    threshold: float
    policy: MaskPolicy
    options: ScanOptions
    decisions: dict[tuple[str, str], str] = field(default_factory=dict)

    def wants(self, finding: Finding) -> bool:
        if finding.kind is Kind.UNREADABLE:
            return False
        decided = self.decisions.get((finding.kind.value, value_digest(finding.kind, finding.text)))
        if decided == FindingStatus.MASKED:
            return True
        if decided == FindingStatus.OVERRIDDEN:
            return False
        return finding.score >= self.threshold

    def __call__(self, blocks: Sequence[TextBlock]) -> list[list[tuple[int, int, str]]]:
        edits: list[list[tuple[int, int, str]]] = [[] for _ in blocks]
        chosen: dict[int, list[Finding]] = {}
        for item in scan_blocks(blocks, self.options):
            if self.wants(item.finding):
                chosen.setdefault(item.block, []).append(item.finding)
        for index, findings in chosen.items():
            edits[index] = replacements(findings, self.policy)
        return edits


def mask_decider(
    review: PrivacyReview | None = None, *, conf: PrivacySettings | None = None
) -> MaskDecider:
    conf = conf or privacy_settings()
    decisions: dict[tuple[str, str], str] = {}
    if review is not None:
        for kind, digest, status in review.findings.exclude(status=FindingStatus.OPEN).values_list(
            "kind", "digest", "status"
        ):
            decisions[(kind, digest)] = status
    return MaskDecider(conf.threshold, conf.policy(), scan_options(), decisions)


def privacy_mask_text(text: str, *, review: PrivacyReview | None = None) -> str:
    """A masked copy of a text (mailbox replies, letters); honours ``review``'s decisions."""
    return mask_plain_text(text, mask_decider(review))


def privacy_masked_file(
    filename: str, content: bytes, *, review: PrivacyReview | None = None
) -> bytes:
    """A masked copy of a file in its own format (DOCX/XLSX/HTML keep their layout).

    Raises gongkai.documents.extract.ExtractionError for formats that cannot be read.
    """
    return mask_file(filename, content, mask_decider(review))


# self-checks (自查) ---------------------------------------------------------------------------


def privacy_check_create(
    *, actor: Actor, title: str, text: str = "", filename: str = "", content: bytes | None = None
) -> PrivacyCheck:
    """Store a file or text a staff member wants checked, and review it at once. Audited."""
    title = (title or "").strip()
    if not title:
        raise PrivacyError("请填写标题")
    if not text.strip() and not content:
        raise PrivacyError("请粘贴文字或上传文件")
    user = user_or_none(actor)
    if user is None or user.agency_id is None:
        raise PrivacyActionDenied("只有机关工作人员可以提交自查")
    sources: list[ReviewSource] = []
    if text.strip():
        sources.append(ReviewSource("文字内容", text=text))
    if content:
        sources.append(ReviewSource(f"文件：{filename}", filename=filename, content=content))
    from django.core.files.base import ContentFile

    with transaction.atomic():
        check = PrivacyCheck(
            agency_id=user.agency_id,
            title=title[:200],
            text=text,
            filename=filename[:255],
            created_by=user,
        )
        if content:
            check.file.save(_safe_name(filename), ContentFile(content), save=False)
        check.save()
        audit_record(
            actor=actor,
            action=PrivacyAction.CHECK_CREATE,
            obj=check,
            agency_id=check.agency_id,
            after={"title": check.title, "filename": check.filename, "chars": len(text)},
        )
        privacy_review(actor=actor, target=check, agency_id=check.agency_id, sources=sources)
    return check


def _safe_name(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"check.{suffix[:8]}"


def privacy_check_sources(check: PrivacyCheck) -> list[ReviewSource]:
    sources: list[ReviewSource] = []
    if check.text.strip():
        sources.append(ReviewSource("文字内容", text=check.text))
    if check.file:
        with check.file.open("rb") as handle:
            sources.append(
                ReviewSource(
                    f"文件：{check.filename}", filename=check.filename, content=handle.read()
                )
            )
    return sources
