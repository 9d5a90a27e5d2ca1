"""The product's URLs plus the benchmark's baseline: a minimal Django view running one query,
behind the same middleware as every page."""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("", include("gongkai.config.urls")),
]
