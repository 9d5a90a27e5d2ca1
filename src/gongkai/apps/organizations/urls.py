from django.urls import path

from gongkai.apps.organizations import views

app_name = "organizations"
urlpatterns = [
    path("agencies/", views.agency_list, name="list"),
    path("agencies/<slug:code>/guide/", views.guide, name="guide"),
    path("backoffice/agency/", views.guide_edit, name="guide_edit"),
    path("backoffice/agency/<slug:code>/", views.guide_edit, name="guide_edit_code"),
]
