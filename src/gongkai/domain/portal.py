"""What the audit log records of the portal's settings."""

from __future__ import annotations

from gongkai.domain.actions import Action


class PortalAction(Action):
    """Every act the audit log records of the portal, with the label the log shows."""

    SETTINGS_CREATE = "portal.settings_create", "创建网站设置"
