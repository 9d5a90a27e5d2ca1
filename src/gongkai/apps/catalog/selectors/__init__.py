"""Every read of the catalogue. Other contexts call ``catalog_report_facts`` (reporting)."""

from gongkai.apps.catalog.selectors.reports import (
    catalog_report_facts,
    deadline_items,
    deadline_summary,
    year_bounds,
)
from gongkai.apps.catalog.selectors.search import SearchPage, SearchParams, catalog_search

__all__ = [
    "SearchPage",
    "SearchParams",
    "catalog_report_facts",
    "catalog_search",
    "deadline_items",
    "deadline_summary",
    "year_bounds",
]
