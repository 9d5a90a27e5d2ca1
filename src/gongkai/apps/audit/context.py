"""Per-request context (client address, request id) that audit events record."""

from __future__ import annotations

import contextvars
from typing import Any

_request_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "gongkai_request_context", default=None
)


def set_request_context(values: dict[str, Any] | None) -> contextvars.Token:
    return _request_context.set(values)


def reset_request_context(token: contextvars.Token) -> None:
    _request_context.reset(token)


def current_request_context() -> dict[str, Any]:
    return dict(_request_context.get() or {})
