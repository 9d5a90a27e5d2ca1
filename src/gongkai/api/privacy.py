"""隐私审查 API: staff and their systems (a CMS, the 12345 platform) check a text before
publishing it and get the findings — masked, never the values — and the masked text."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.errors import HttpError

from gongkai.api.auth import session_or_token
from gongkai.apps.accounts.permissions import is_staff_member
from gongkai.apps.privacy.selectors import privacy_reviews_visible, privacy_settings
from gongkai.apps.privacy.services import ReviewSource, privacy_mask_text, scan_source

PREFIX = "/privacy/"
router = Router(tags=["隐私审查"], auth=session_or_token)
MAX_TEXT = 2_000_000


class Error(Schema):
    detail: str


class ScanIn(Schema):
    text: str


class FindingOut(Schema):
    location: str
    kind: str
    kind_label: str
    masked: str
    score: float
    reason: str
    blocking: bool


class ScanOut(Schema):
    threshold: float
    blocking: int
    findings: list[FindingOut]
    masked_text: str


class ReviewOut(Schema):
    id: int
    target: str
    agency_code: str | None
    created_at: str
    blocking: int
    open_count: int
    url: str


def _staff(request) -> None:
    if not is_staff_member(request.user):
        raise HttpError(403, "只有机关工作人员可以使用隐私审查接口")


@router.post(
    "scan",
    response={200: ScanOut, 400: Error, 403: Error},
    summary="检查一段文字中的个人信息（不保存），返回发现和遮盖后的文字",
)
def scan(request, payload: ScanIn):
    _staff(request)
    if not payload.text.strip():
        raise HttpError(400, "文字内容为空")
    if len(payload.text) > MAX_TEXT:
        raise HttpError(400, "文字内容超过200万字，请分段检查")
    conf = privacy_settings()
    scanned = scan_source(ReviewSource("文字", text=payload.text), conf=conf)
    findings = [
        FindingOut(
            location=item.location,
            kind=item.finding.kind.value,
            kind_label=item.finding.kind.label,
            masked=item.masked_value,
            score=round(item.finding.score, 2),
            reason=item.finding.reason,
            blocking=item.finding.score >= conf.threshold,
        )
        for item in scanned.findings
    ]
    return ScanOut(
        threshold=conf.threshold,
        blocking=sum(1 for f in findings if f.blocking),
        findings=findings,
        masked_text=privacy_mask_text(payload.text),
    )


@router.get(
    "reviews",
    response={200: list[ReviewOut], 403: Error},
    summary="有待处理发现的当前隐私审查（本机关；市公开办可见全部），最多200条",
)
def reviews(request):
    _staff(request)
    rows = privacy_reviews_visible(request.user, open_only=True)[:200]
    return [
        ReviewOut(
            id=r.pk,
            target=r.target_label,
            agency_code=r.agency.code if r.agency else None,
            created_at=r.created_at.isoformat(),
            blocking=r.blocking,
            open_count=r.open_count,
            url=r.get_absolute_url(),
        )
        for r in rows
    ]
