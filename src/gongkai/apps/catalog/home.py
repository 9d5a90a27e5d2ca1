"""Sections the catalogue adds to the portal home page: one read for all three
(``browse.home_data``), made once per request."""

from __future__ import annotations

from typing import Any

from gongkai.apps.catalog.selectors import browse


def _data(request: Any) -> browse.HomeData:
    data = getattr(request, "_catalog_home", None)
    if data is None:
        data = browse.home_data()
        if request is not None:
            request._catalog_home = data
    return data


def latest_section(request: Any) -> dict[str, Any]:
    data = _data(request)
    return {"template": "catalog/home/latest.html", "documents": data.latest, "total": data.total}


def key_columns_section(request: Any) -> dict[str, Any] | None:
    blocks = _data(request).blocks
    if not blocks:
        return None
    return {"template": "catalog/home/columns.html", "blocks": blocks}


def interpretations_section(request: Any) -> dict[str, Any] | None:
    documents = _data(request).interpretations
    if not documents:
        return None
    return {"template": "catalog/home/interpretations.html", "documents": documents}
