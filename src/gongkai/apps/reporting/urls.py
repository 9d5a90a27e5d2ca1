"""年度报告: public pages under /reports/, the back office under /backoffice/reporting/."""

from django.urls import path

from gongkai.apps.reporting import views

app_name = "reporting"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/check/", views.check, name="check"),
    path("reports/<slug:code>/<int:year>/", views.detail, name="detail"),
    path("reports/<slug:code>/<int:year>/download/<str:kind>/", views.download, name="download"),
    path("backoffice/reporting/", views.bo_list, name="bo_list"),
    path("backoffice/reporting/figures/", views.bo_figures, name="bo_figures"),
    path("backoffice/reporting/dashboard/", views.dashboard, name="dashboard"),
    path("backoffice/reporting/<int:pk>/", views.bo_detail, name="bo_detail"),
    path("backoffice/reporting/<int:pk>/narrative/", views.bo_narrative, name="bo_narrative"),
    path("backoffice/reporting/<int:pk>/refresh/", views.bo_refresh, name="bo_refresh"),
    path("backoffice/reporting/<int:pk>/adjust/", views.bo_adjust, name="bo_adjust"),
    path(
        "backoffice/reporting/<int:pk>/adjust/remove/",
        views.bo_adjust_remove,
        name="bo_adjust_remove",
    ),
    path("backoffice/reporting/<int:pk>/publish/", views.bo_publish, name="bo_publish"),
    path("backoffice/reporting/<int:pk>/preview/<str:kind>/", views.bo_preview, name="bo_preview"),
]
