"""Errors of the working-day calendar; every message is a Chinese sentence for the user."""

from __future__ import annotations

from gongkai.documents.table import RowError

__all__ = ["CalendarEmpty", "CalendarError", "CalendarImportError", "RowError"]


class CalendarError(ValueError):
    """A calendar change was refused; nothing was stored."""


class CalendarEmpty(CalendarError):
    """No year is loaded at all."""


class CalendarImportError(CalendarError):
    """An import file has bad rows; ``errors`` lists each with its line number."""

    def __init__(self, errors: list[RowError], summary: str = "") -> None:
        self.errors = errors
        super().__init__(
            summary
            or f"导入文件有{len(errors)}处错误，未导入任何数据：" + "；".join(map(str, errors[:5]))
        )
