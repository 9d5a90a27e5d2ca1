"""What the audit log records of the working-day calendar and the deadline rules."""

from __future__ import annotations

from gongkai.domain.actions import Action


class CalendarAction(Action):
    """Every act the audit log records of the working-day calendar, with its label."""

    IMPORT = "calendar.import", "导入节假日安排"
    ENTRY_SAVE = "calendar_entry.save", "保存日历条目"
    ENTRY_DELETE = "calendar_entry.delete", "删除日历条目"
    YEAR_CONFIRM = "calendar_year.confirm", "确认年度工作日历"
    DEADLINE_RULE_SAVE = "deadline_rule.save", "保存时限规则"
