"""What the audit log records of notices: each delivery and its outcome."""

from __future__ import annotations

from gongkai.domain.actions import Action


class NoticeAction(Action):
    """Every act the audit log records of the notices, with the label the log shows."""

    DELIVER = "notice.deliver", "生成通知"
    SENT = "notice.sent", "通知已发送"
    FAILED = "notice.failed", "通知发送失败"
