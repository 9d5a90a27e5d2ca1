"""The applicant's inbox on the portal: /notices/ (staff read theirs in the back office)."""

from django.urls import path

from gongkai.apps.notifications import views

app_name = "notifications_portal"
urlpatterns = [
    path("", views.portal_inbox, name="inbox"),
    path("<int:notice_id>/", views.portal_open, name="open"),
    path("read/", views.portal_mark_read, name="mark_read"),
]
