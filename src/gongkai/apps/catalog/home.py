"""Sections the catalogue adds to the portal home page."""

from __future__ import annotations

from typing import Any

from gongkai.apps.catalog.models import ColumnKindChoice
from gongkai.apps.catalog.selectors import browse


def latest_section(request: Any) -> dict[str, Any]:
    return {
        "template": "catalog/home/latest.html",
        "documents": browse.latest(limit=10),
        "total": browse.total_published(),
    }


def key_columns_section(request: Any) -> dict[str, Any] | None:
    blocks = []
    for column in browse.home_columns():
        if column.kind == ColumnKindChoice.INTERPRETATION:
            continue  # a section of its own
        if column.kind == ColumnKindChoice.GAZETTE:
            blocks.append({"column": column, "issues": list(browse.gazette_issues()[:6])})
            continue
        ids = browse.column_descendant_ids(column)
        blocks.append({"column": column, "documents": browse.latest(limit=6, column_ids=ids)})
    if not blocks:
        return None
    return {"template": "catalog/home/columns.html", "blocks": blocks}


def interpretations_section(request: Any) -> dict[str, Any] | None:
    documents = browse.latest(limit=6, kind=ColumnKindChoice.INTERPRETATION)
    if not documents:
        return None
    return {"template": "catalog/home/interpretations.html", "documents": documents}
