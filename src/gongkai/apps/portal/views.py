from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from gongkai.apps.organizations.selectors import agency_root
from gongkai.registry import portal_home_sections


def home(request):
    sections = []
    for _order, provider in portal_home_sections:
        section = provider(request)
        if section:
            sections.append(section)
    return render(request, "portal/home.html", {"sections": sections, "root": agency_root()})


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


def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


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
