"""Demo data of the annual reports (steps 80–84)."""

from __future__ import annotations


def register() -> None:
    """Demo steps are registered here (filled in with the demo data)."""
