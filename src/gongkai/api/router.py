"""The REST API. Each module in gongkai.api that defines ``router`` (and ``PREFIX``) is mounted.

The schema is served at /api/openapi.json and committed as docs/openapi.json (a test keeps
them equal; regenerate with ``gongkai openapi -o docs/openapi.json``).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from ninja import NinjaAPI
from ninja.errors import ValidationError

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


_REASONS = {
    "missing": "必须填写",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为时间（ISO 8601）",
    "string_type": "应为文本",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "json_invalid": "不是有效的 JSON",
}


def _reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "less_than_equal":
        return f"应不大于 {context.get('le')}"
    if kind == "greater_than_equal":
        return f"应不小于 {context.get('ge')}"
    return _REASONS.get(kind, "格式不对")


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    """422 with the errors as before, plus one Chinese sentence naming each field."""
    parts = []
    for error in exc.errors:
        where = [
            str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path", "payload")
        ]
        parts.append(f"参数“{'.'.join(where) or '请求'}”{_reason(error)}")
    return api.create_response(
        request, {"detail": exc.errors, "message": "；".join(parts)}, status=422
    )
