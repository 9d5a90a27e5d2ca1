"""URL map. Each app owns its urls module; the API lives under /api/."""

from django.contrib import admin
from django.urls import include, path

from gongkai.api.router import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("gongkai.apps.accounts.urls")),
    path("backoffice/", include("gongkai.apps.backoffice.urls")),
    path("backoffice/jobs/", include("gongkai.apps.jobs.urls")),
    path("backoffice/notices/", include("gongkai.apps.notifications.urls")),
    path("notices/", include("gongkai.apps.notifications.portal_urls")),
    path("backoffice/calendar/", include("gongkai.apps.workcalendar.urls")),
    path("backoffice/privacy/", include("gongkai.apps.privacy.urls")),
    path("backoffice/webcheck/", include("gongkai.apps.webcheck.urls")),
    path("backoffice/audit/", include("gongkai.apps.audit.urls")),
    path("backoffice/search-words/", include("gongkai.apps.searchwords.urls")),
    path("audit/", include("gongkai.apps.audit.public_urls")),
    path("", include("gongkai.apps.catalog.urls")),
    path("", include("gongkai.apps.applications.urls")),
    path("", include("gongkai.apps.mailbox.urls")),
    path("", include("gongkai.apps.inspections.urls")),
    path("", include("gongkai.apps.credit.urls")),
    path("", include("gongkai.apps.reporting.urls")),
    path("", include("gongkai.apps.organizations.urls")),
    path("", include("gongkai.apps.portal.urls")),
]

handler403 = "gongkai.apps.portal.views.error_403"
handler404 = "gongkai.apps.portal.views.error_404"
handler500 = "gongkai.apps.portal.views.error_500"
