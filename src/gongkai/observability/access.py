"""The access log: one line per request (logger ``gongkai.access``), and its latency for the
metrics. Paths are logged without their query string: searches and 查询码 stay out of logs."""

from __future__ import annotations

import logging
import time

from gongkai.apps.audit.context import current_request_context
from gongkai.observability import metrics

log = logging.getLogger("gongkai.access")


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            elapsed = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            route = "/" + match.route if match is not None else "unmatched"
            metrics.observe_request(request.method, route, status, elapsed)
            context = current_request_context()
            log.info(
                '%s "%s %s" %s %.1fms',
                context.get("ip", "-"),
                request.method,
                request.path,
                status,
                elapsed * 1000,
                extra={
                    "client": context.get("ip", "-"),
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
