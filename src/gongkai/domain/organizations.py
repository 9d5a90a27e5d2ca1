"""What the audit log records of the agencies (organizations)."""

from __future__ import annotations

from gongkai.domain.actions import Action


class AgencyAction(Action):
    """Every act the audit log records of the agencies, with the label the log shows."""

    CREATE = "agency.create", "新增机关"
    UPDATE = "agency.update", "修改机关信息"
