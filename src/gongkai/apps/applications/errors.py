"""Errors the 依申请公开 services raise; every message is a Chinese sentence for the user."""

from __future__ import annotations


class ApplicationError(Exception):
    """A request to change a case was refused; nothing was changed."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}

    def __str__(self) -> str:
        return self.message


class InvalidInput(ApplicationError):
    """Input failed validation; ``field_errors`` maps form fields to messages."""


class NotAllowed(ApplicationError):
    """The actor may not do this to this case."""


class UploadRejected(ApplicationError):
    """A file was refused by size or by its content."""


class NotFound(ApplicationError):
    """No such case (or not one the caller may see)."""
