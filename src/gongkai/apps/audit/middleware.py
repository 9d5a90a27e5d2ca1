import uuid

from gongkai.apps.audit.clientaddr import client_address
from gongkai.apps.audit.context import reset_request_context, set_request_context


def client_ip(request) -> str:
    """The client's address (through trusted proxies only), as every part of the platform
    counts and records it."""
    return client_address(request)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_request_context(
            {
                "ip": client_ip(request),
                "request_id": uuid.uuid4().hex[:16],
                "path": request.path[:200],
            }
        )
        try:
            return self.get_response(request)
        finally:
            reset_request_context(token)
