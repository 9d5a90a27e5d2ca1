"""The REST API. Each module in gongkai.api that defines ``router`` (and ``PREFIX``) is mounted.

The schema is served at /api/openapi.json and committed as docs/openapi.json (a test keeps
them equal; regenerate with ``gongkai openapi -o docs/openapi.json``).
"""

from __future__ import annotations

import importlib
import pkgutil

from ninja import NinjaAPI

import gongkai.api

api = NinjaAPI(
    title="gongkai 政务公开平台 API",
    version="1.0",
    description="政府信息公开目录、依申请公开、政府信箱、双随机一公开的接口。日期一律为 ISO 8601。",
    urls_namespace="api",
    docs_url=None,
)

_SKIP = {"router", "auth", "schema_export"}

for module_info in sorted(pkgutil.iter_modules(gongkai.api.__path__), key=lambda m: m.name):
    if module_info.name in _SKIP or module_info.name.startswith("_"):
        continue
    module = importlib.import_module(f"gongkai.api.{module_info.name}")
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(getattr(module, "PREFIX", f"/{module_info.name}/"), router)
