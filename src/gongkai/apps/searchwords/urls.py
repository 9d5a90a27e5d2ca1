from django.urls import path

from gongkai.apps.searchwords import views

app_name = "searchwords"
urlpatterns = [
    path("", views.home, name="home"),
    path("aliases/new/", views.alias_edit, name="alias_new"),
    path("aliases/<int:pk>/", views.alias_edit, name="alias_edit"),
    path("aliases/<int:pk>/delete/", views.alias_delete, name="alias_delete"),
]
