"""What the audit log records of itself and of the administration site."""

from __future__ import annotations

from gongkai.domain.actions import Action


class AuditAction(Action):
    """The chain's own events and the changes made in the administration site."""

    CHAIN_OPEN = "audit.chain_open", "开启本机关审计链"
    HEADS_PUBLISH = "audit.heads_publish", "公布审计链链头"
    ADMIN_ADD = "admin.add", "在管理后台新增"
    ADMIN_CHANGE = "admin.change", "在管理后台修改"
    ADMIN_DELETE = "admin.delete", "在管理后台删除"
