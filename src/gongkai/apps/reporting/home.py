"""The portal home page's 政府信息公开年报 section: the latest published reports, newest report
year first and, within a year, the most recently published first."""

from __future__ import annotations

from typing import Any

from gongkai.apps.reporting.selectors import report_list_published


def home_section(request: Any) -> dict[str, Any] | None:
    reports = list(report_list_published().order_by("-year", "-published_at", "agency_id")[:6])
    if not reports:
        return None
    return {"template": "reporting/_home.html", "reports": reports}
