"""Errors of the privacy review; every message is a Chinese sentence for the user."""

from __future__ import annotations


class PrivacyError(Exception):
    """A privacy-review action could not be done; ``str(exc)`` says why, in Chinese."""


class PrivacyActionDenied(PrivacyError):
    """The user may not take this action on this review."""


class PrivacyBlocked(PrivacyError):
    """Publishing is blocked: the target was never reviewed, changed since, or has open findings.

    ``count`` is the number of unresolved findings at or above the threshold and ``kinds``
    counts them per kind label (身份证号 → 2).
    """

    def __init__(self, message: str, *, count: int = 0, kinds: dict[str, int] | None = None):
        super().__init__(message)
        self.count = count
        self.kinds = kinds or {}
