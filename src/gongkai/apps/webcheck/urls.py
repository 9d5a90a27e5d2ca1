"""政府网站检查: back office under /backoffice/webcheck/."""

from django.urls import path

from gongkai.apps.webcheck import views, views_media

app_name = "webcheck"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("import/", views.registry_import, name="import"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("sites/<int:pk>/check/", views.site_check, name="site_check"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("tasks/", views.tasks, name="tasks"),
    path("samples/", views.samples, name="samples"),
    path("samples/<int:pk>/", views.sample_detail, name="sample"),
    path("samples/<int:pk>/record.json", views.sample_record, name="sample_record"),
    path("report/", views.report, name="report"),
    path("media/", views_media.accounts, name="accounts"),
    path("media/check/", views_media.check_accounts, name="check_accounts"),
    path("media/<int:pk>/", views_media.account_detail, name="account"),
    path("media/checks/<int:pk>/", views_media.media_check_detail, name="media_check"),
    path("export.xlsx", views_media.export_xlsx, name="export_xlsx"),
    path("export.docx", views_media.export_docx, name="export_docx"),
]
