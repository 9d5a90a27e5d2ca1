"""The annual report's text, reviewed for personal data like every other public text (ADR 0033).

The figures are counts; the narrative (总体情况, 存在的主要问题及改进情况, 其他需要报告的事项)
is typed by the agency and may name people. Before publication the privacy context reviews
the narrative; a finding at the threshold that no reviewer masked or let through with a reason
stops publication. What is published — the page, the HTML, DOCX, XLSX and PDF, rendered at
publication or on first download — is made from the narrative as the review's decisions
make it; the report as the agency wrote it stays in the back office.
"""

from __future__ import annotations

from typing import Any

from gongkai.apps.audit.actors import Actor
from gongkai.apps.privacy.errors import PrivacyBlocked
from gongkai.apps.privacy.rendition import privacy_render_text
from gongkai.apps.privacy.selectors import privacy_review_latest
from gongkai.apps.privacy.services import (
    ReviewSource,
    privacy_assert_publishable,
    privacy_review,
    sources_fingerprint,
)
from gongkai.apps.reporting.models import Report
from gongkai.apps.reporting.selectors import report_format


def _sources(report: Report) -> list[Any]:
    narrative = report.narrative or {}
    return [
        ReviewSource(label=section.heading, text=narrative.get(section.narrative_key, ""))
        for section in report_format(report).narrative_sections()
    ]


def report_privacy_review(*, actor: Actor, report: Report) -> None:
    """Review the narrative as it stands (earlier decisions on the same values carry over);
    a narrative already reviewed as it is keeps its review."""
    report = Report.objects.select_related("agency").get(pk=report.pk)  # as stored, not as held
    sources = _sources(report)
    latest = privacy_review_latest(report)
    if latest is not None and latest.fingerprint == sources_fingerprint(sources):
        return
    privacy_review(actor=actor, target=report, agency_id=report.agency_id, sources=sources)


def report_privacy_blocking(report: Report) -> str | None:
    """Why the narrative cannot be published yet (a Chinese sentence), or None."""
    try:
        privacy_assert_publishable(report, sources=_sources(report))
    except PrivacyBlocked as exc:
        return f"年度报告的文字部分未通过隐私审查：{exc}（请在“隐私审查”中处理）"
    return None


def report_public_narrative(report: Report) -> dict[str, str]:
    """The narrative as the review's decisions make it (what the public receives)."""
    review = privacy_review_latest(report)
    return {
        key: privacy_render_text(text, review=review) if isinstance(text, str) else text
        for key, text in (report.narrative or {}).items()
    }
