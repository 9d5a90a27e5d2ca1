"""Full-text search: one adapter, two engines (tantivy embedded, PostgreSQL in the database).

``settings.GONGKAI_SEARCH_ENGINE`` chooses ("tantivy" or "postgres"); see ADR 0040.
"""

from __future__ import annotations

import threading

from django.conf import settings

from gongkai.apps.catalog.search.base import SearchEngine

_engines: dict[tuple[str, str], SearchEngine] = {}
_lock = threading.Lock()

ENGINE_LABELS = {"tantivy": "tantivy（内嵌索引）", "postgres": "PostgreSQL 全文检索"}


def get_engine(name: str | None = None) -> SearchEngine:
    name = name or settings.GONGKAI_SEARCH_ENGINE
    key = (name, str(settings.SEARCH_INDEX_DIR))
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            if name == "tantivy":
                # deferred: loads tantivy only when that engine is used
                from gongkai.apps.catalog.search.tantivy_engine import TantivyEngine

                engine = TantivyEngine(settings.SEARCH_INDEX_DIR)
            elif name == "postgres":
                # deferred: import cycle (catalog.search.postgres_engine imports catalog.search)
                from gongkai.apps.catalog.search.postgres_engine import PostgresEngine

                engine = PostgresEngine()
            else:
                raise ValueError(f"未知的搜索引擎“{name}”（可选 tantivy 或 postgres）")
            _engines[key] = engine
    return engine
