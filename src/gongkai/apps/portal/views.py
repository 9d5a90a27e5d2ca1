from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from gongkai import clock
from gongkai.apps.organizations.selectors import agency_root
from gongkai.apps.portal.health import health_checks
from gongkai.pagecache import anonymous_page, fragment
from gongkai.registry import portal_home_sections

HOME_TAGS = ("catalog", "home", "gazette")


def _home_tags(request):
    # what the catalogue and the other contexts' sections show (ADR 0110)
    return list(HOME_TAGS)


def _home_sections(request) -> list:
    sections = []
    for _order, provider in portal_home_sections:
        section = provider(request)
        if section:
            sections.append(section)
    return sections


def _sections_html(request) -> str:
    # a section's template reads only its own data (no user, no request, no token)
    return "".join(
        render_to_string(section["template"], {"section": section})
        for section in _home_sections(request)
    )


@anonymous_page(_home_tags)
def home(request):
    # home sections show public information only, the same to everyone: queried and rendered
    # once per change of what they show, not once per visit (ADR 0110)
    sections = fragment("portal:home:sections-html", HOME_TAGS, lambda: _sections_html(request))
    root = fragment("portal:home:root", (), agency_root)
    return render(request, "portal/home.html", {"sections": mark_safe(sections), "root": root})


# personal and working pages are never for search engines; the catalogue is, through its sitemap
ROBOTS_DISALLOW = (
    "/backoffice/",
    "/admin/",
    "/accounts/",
    "/notices/",
    "/track/",
    "/apply/form/",
    "/mailbox/query/",
    "/api/",
    "/search/",
)


@anonymous_page(lambda request: [])
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    checks = health_checks(clock.now())
    failing = [c for c in checks if not c.ok]
    status = "ok" if not failing else "degraded"
    if any(c.critical for c in failing):
        status = "failing"
    body = {
        "status": status,
        "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
    }
    return JsonResponse(
        body, status=503 if status == "failing" else 200, json_dumps_params={"ensure_ascii": False}
    )


@never_cache
def metrics(request):
    from django.conf import settings

    # deferred: the name render means something else at module level
    from gongkai.observability.metrics import render

    token = settings.GONGKAI_METRICS_TOKEN
    if token:
        allowed = request.headers.get("Authorization", "") == f"Bearer {token}"
    else:  # without a token: only straight from this machine, never through the proxy
        allowed = request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"} and not (
            request.headers.get("X-Forwarded-For")
        )
    if not allowed:
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    return HttpResponse(render(), content_type="text/plain; version=0.0.4; charset=utf-8")


def error_403(request, exception=None):
    return render(
        request,
        "portal/error.html",
        {
            "code": 403,
            "title": "无权访问",
            "text": "您没有访问此页面的权限。如需办理，请先登录或联系相关机关。",
        },
        status=403,
    )


def error_404(request, exception=None):
    return render(
        request,
        "portal/error.html",
        {
            "code": 404,
            "title": "页面不存在",
            "text": "您访问的页面不存在或已被移除。可以试试搜索。",
        },
        status=404,
    )


def error_500(request):
    return render(
        request,
        "portal/error.html",
        {"code": 500, "title": "系统繁忙", "text": "服务器处理请求时出错，请稍后再试。"},
        status=500,
    )
