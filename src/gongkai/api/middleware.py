"""The API reads JSON only (ADR 0085).

A page on another site can make a browser send a cross-site form whose body is JSON-looking
text (``enctype="text/plain"``) without a CSRF pre-flight; the API would have parsed it. A
write to /api/ must therefore say what it sends: ``application/json``, or a multipart form for
the operations that take a file. Anything else is refused (415) before any view runs.
"""

from __future__ import annotations

from django.http import JsonResponse

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_ACCEPTED = {"application/json", "multipart/form-data"}


class JsonOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in _UNSAFE
            and request.path.startswith("/api/")
            and request.META.get("CONTENT_LENGTH") not in (None, "", "0")
            and request.content_type not in _ACCEPTED
        ):
            return JsonResponse(
                {"detail": "请求体须为 JSON（Content-Type: application/json）"}, status=415
            )
        return self.get_response(request)
