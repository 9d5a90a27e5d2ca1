"""Errors of the catalogue; every message is a Chinese sentence a user can act on."""

from __future__ import annotations


class CatalogError(Exception):
    """Base class: ``str(error)`` is shown to the user as it is."""


class CatalogPermissionDenied(CatalogError):
    pass


class DocumentStateError(CatalogError):
    """The action does not fit the document's current state."""


class CatalogValidationError(CatalogError):
    """Bad input; ``errors`` maps a field name ("" for the whole form) to messages."""

    def __init__(self, errors: dict[str, list[str]] | str) -> None:
        if isinstance(errors, str):
            errors = {"": [errors]}
        self.errors = errors
        super().__init__("；".join(m for msgs in errors.values() for m in msgs))


class ImportFileError(CatalogError):
    """The import file as a whole cannot be read."""
