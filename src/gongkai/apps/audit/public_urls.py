from django.urls import path

from gongkai.apps.audit import views

app_name = "audit_public"
urlpatterns = [
    path("heads/", views.heads, name="heads"),
    path("heads.json", views.heads_json, name="heads_json"),
]
