"""What the catalogue adds to the platform through gongkai.registry."""

from __future__ import annotations

import datetime as dt

from gongkai.apps.catalog import cli, home, privacy_gate, workqueue  # noqa: F401  (cli registers)
from gongkai.apps.catalog.permissions import can_use_catalog_backoffice
from gongkai.apps.catalog.search.follow import search_upkeep
from gongkai.apps.catalog.search.indexing import REBUILD_JOB, rebuild_job
from gongkai.apps.catalog.services.gazette import PDF_JOB, gazette_pdf_job
from gongkai.apps.catalog.services.imports import IMPORT_JOB, import_job
from gongkai.apps.catalog.services.ocr import OCR_JOB, attachment_ocr_job
from gongkai.apps.catalog.services.rendition import rendition_refresh
from gongkai.registry import (
    NavEntry,
    PeriodicWork,
    register_backoffice_nav,
    register_job,
    register_periodic,
    register_portal_home_section,
    register_portal_nav,
    register_workqueue,
)


def register_all() -> None:
    privacy_gate.register_refresh(rendition_refresh)

    # time limits grow with the catalogue: a rebuild of 10 M documents on every node, an
    # import of a whole legacy CMS (bench/results/search.md, docs/scaling.md)
    register_job(REBUILD_JOB, rebuild_job, time_limit=6 * 3600, retries=1)
    register_job(PDF_JOB, gazette_pdf_job, time_limit=20 * 60)
    register_job(IMPORT_JOB, import_job, time_limit=3 * 3600)
    register_job(OCR_JOB, attachment_ocr_job, time_limit=30 * 60)
    register_periodic(
        PeriodicWork(
            "search.upkeep",
            "检索索引跟进与变更日志清理",
            search_upkeep,
            every=dt.timedelta(minutes=1),
        )
    )

    register_portal_nav(NavEntry(10, "政府信息公开", "catalog:browse"))
    register_portal_nav(NavEntry(20, "政策解读", "catalog:interpretations"))
    register_portal_nav(NavEntry(30, "政府公报", "catalog:gazette"))
    register_backoffice_nav(NavEntry(10, "主动公开", "catalog:bo_list", can_use_catalog_backoffice))

    register_portal_home_section(10, home.latest_section)
    register_portal_home_section(20, home.key_columns_section)
    register_portal_home_section(30, home.interpretations_section)
    register_workqueue(workqueue.catalog_workqueue)
