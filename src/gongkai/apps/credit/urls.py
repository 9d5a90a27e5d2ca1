from django.urls import path

from gongkai.apps.credit import views

app_name = "credit"

urlpatterns = [
    path("credit/", views.index, name="index"),
    path("credit/records/<int:pk>/", views.record, name="record"),
    path("credit/entity/<str:uscc>/", views.entity, name="entity"),
    path("credit/lists/<str:kind>/", views.lists, name="lists"),
    path("credit/enforcement/", views.enforcement, name="enforcement"),
    path("credit/enforcement/<slug:code>/", views.enforcement_body, name="enforcement_body"),
    path("credit/feed.xml", views.feed, name="feed"),
    path("credit/export.csv", views.export_csv, name="export"),
    path("backoffice/credit/", views.bo_list, name="bo_list"),
    path("backoffice/credit/new/<str:kind>/", views.bo_new, name="bo_new"),
    path("backoffice/credit/import/", views.bo_import, name="bo_import"),
    path("backoffice/credit/exchange/", views.bo_exchange, name="bo_exchange"),
    path(
        "backoffice/credit/exchange/<str:day>.<str:fmt>",
        views.bo_exchange_file,
        name="bo_exchange_file",
    ),
    path("backoffice/credit/<int:pk>/", views.bo_record, name="bo_record"),
    path("backoffice/credit/<int:pk>/<str:act>/", views.bo_act, name="bo_act"),
]
