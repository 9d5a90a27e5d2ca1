from django.urls import path

from gongkai.apps.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("metrics", views.metrics, name="metrics"),
]
