"""Errors the mailbox raises; every message is a Chinese sentence for the user."""

from __future__ import annotations

from typing import Any


class MailboxError(Exception):
    """A request the mailbox refuses; nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class MailboxPermissionDenied(MailboxError):
    """The actor may not do this to this letter."""


class LetterStateError(MailboxError):
    """The letter is not in a state that allows this step."""


class DuplicateSubmission(MailboxError):
    """The same form was submitted again (a reload or a double click): the first letter stands."""

    def __init__(self, letter: Any) -> None:
        super().__init__(f"该信件已于此前提交（编号 {letter.number}），本次未重复登记")
        self.letter = letter


class PublicationBlocked(MailboxError):
    """The privacy review still has unresolved findings."""
