"""工作日历 (mounted at /backoffice/calendar/)."""

from django.urls import path

from gongkai.apps.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.home, name="home"),
    path("entries/new/", views.entry_edit, name="entry_new"),
    path("entries/<str:day>/", views.entry_edit, name="entry_edit"),
    path("entries/<str:day>/delete/", views.entry_delete, name="entry_delete"),
    path("import/", views.import_view, name="import"),
    path("years/confirm/", views.year_confirm, name="year_confirm"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<str:code>/", views.rule_edit, name="rule_edit"),
    path("deadline/", views.calculator, name="calculator"),
]
