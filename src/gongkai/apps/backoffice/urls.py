from django.urls import path

from gongkai.apps.backoffice import views

app_name = "backoffice"
urlpatterns = [path("", views.home, name="home")]
