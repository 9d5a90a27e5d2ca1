from django.urls import path

from gongkai.apps.organizations import views

app_name = "organizations"
urlpatterns = [
    path("agencies/", views.agency_list, name="list"),
    path("agencies/<slug:code>/guide/", views.guide, name="guide"),
]
