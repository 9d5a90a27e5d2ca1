"""Bounds of the page parameters every list operation takes: out of range is a 422 with the
field named, never a 500 from an offset the database cannot hold."""

from __future__ import annotations

from pydantic import Field

MAX_PAGE = 100_000


def page_field(default: int = 1) -> int:
    return Field(default, ge=1, le=MAX_PAGE, description="页码，从 1 起")


def size_field(default: int, most: int) -> int:
    return Field(default, ge=1, le=most, description=f"每页条数，1–{most}")
