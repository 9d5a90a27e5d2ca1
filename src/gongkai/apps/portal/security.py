"""Response headers every page carries, and the deployment checks on secrets (ADR 0084).

Pages get a strict Content-Security-Policy (scripts and styles only from the site's own files:
no inline script, no inline style, no plug-ins, no framing) and a Permissions-Policy that
turns off the browser features the platform never uses. Files (PDF, images, downloads) are not
pages: their responses carry nosniff and a disposition, set where they are served.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("text/html"):
            policy = CONTENT_SECURITY_POLICY
            if settings.PRODUCTION:
                policy += "; upgrade-insecure-requests"
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


# values shipped in examples and defaults: never a production secret
PLACEHOLDER_SECRETS = (
    "change-me",
    "changeme",
    "embedded-only-insecure-key",
    "secret",
    "django-insecure",
)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """`gongkai check --deploy` refuses a SECRET_KEY copied from .env.example: it signs sessions
    and keys the applicant-identity HMAC."""
    key = settings.SECRET_KEY or ""
    lowered = key.lower()
    if any(lowered.startswith(p) or p in lowered for p in PLACEHOLDER_SECRETS[:3]) or (
        lowered in PLACEHOLDER_SECRETS
    ):
        return [
            Error(
                "SECRET_KEY 仍是示例或内置的占位值",
                hint="请生成随机密钥：python -c 'import secrets; print(secrets.token_urlsafe(64))'",
                id="gongkai.E001",
            )
        ]
    if len(set(key)) < 10 or len(key) < 50:
        return [
            Error(
                "SECRET_KEY 过短或过于简单（至少 50 个字符、10 种不同字符）",
                hint="请生成随机密钥：python -c 'import secrets; print(secrets.token_urlsafe(64))'",
                id="gongkai.E002",
            )
        ]
    return []
