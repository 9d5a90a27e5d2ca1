"""What the catalogue adds to the platform through gongkai.registry."""

from __future__ import annotations

from gongkai.registry import (
    NavEntry,
    register_backoffice_nav,
    register_job,
    register_portal_home_section,
    register_portal_nav,
    register_workqueue,
)


def register_all() -> None:
    from gongkai.apps.catalog import cli, demo, home, workqueue  # noqa: F401  (cli/demo register)
    from gongkai.apps.catalog.permissions import can_use_catalog_backoffice
    from gongkai.apps.catalog.search.indexing import FLUSH_JOB, REBUILD_JOB, flush_job, rebuild_job
    from gongkai.apps.catalog.services.gazette import PDF_JOB, gazette_pdf_job
    from gongkai.apps.catalog.services.imports import IMPORT_JOB, import_job
    from gongkai.apps.catalog.services.ocr import OCR_JOB, attachment_ocr_job

    register_job(FLUSH_JOB, flush_job)
    register_job(REBUILD_JOB, rebuild_job)
    register_job(PDF_JOB, gazette_pdf_job)
    register_job(IMPORT_JOB, import_job)
    register_job(OCR_JOB, attachment_ocr_job)

    register_portal_nav(NavEntry(10, "政府信息公开", "catalog:browse"))
    register_portal_nav(NavEntry(20, "政策解读", "catalog:interpretations"))
    register_portal_nav(NavEntry(30, "政府公报", "catalog:gazette"))
    register_backoffice_nav(NavEntry(10, "主动公开", "catalog:bo_list", can_use_catalog_backoffice))

    register_portal_home_section(10, home.latest_section)
    register_portal_home_section(20, home.key_columns_section)
    register_portal_home_section(30, home.interpretations_section)
    register_workqueue(workqueue.catalog_workqueue)
