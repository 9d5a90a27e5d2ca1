"""What the audit log records of the search words (aliases)."""

from __future__ import annotations

from gongkai.domain.actions import Action


class SearchWordAction(Action):
    """Every act the audit log records of the search words, with the label the log shows."""

    ALIAS_CREATE = "search_alias.create", "新增搜索同义词"
    ALIAS_UPDATE = "search_alias.update", "修改搜索同义词"
    ALIAS_DELETE = "search_alias.delete", "删除搜索同义词"
