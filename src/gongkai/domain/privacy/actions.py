"""What the audit log records of the privacy review."""

from __future__ import annotations

from gongkai.domain.actions import Action


class PrivacyAction(Action):
    """Every act the audit log records of the privacy review, with the label the log shows."""

    REVIEW = "privacy.review", "隐私审查"
    REVIEW_MASK_ALL = "privacy.review_mask_all", "遮盖全部须处理的个人信息"
    FINDING_MASK = "privacy.finding_mask", "遮盖个人信息"
    FINDING_OVERRIDE = "privacy.finding_override", "说明理由放行"
    CHECK_CREATE = "privacy.check_create", "隐私自查"
