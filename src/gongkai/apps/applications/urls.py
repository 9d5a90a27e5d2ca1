"""依申请公开 pages: /apply/ and /track/ for the public, /my/applications/ for an applicant's
own list, /backoffice/applications/ for staff."""

from django.urls import path

from gongkai.apps.applications.views import portal, staff

app_name = "applications"
urlpatterns = [
    path("apply/", portal.apply_home, name="apply_home"),
    path("apply/form/", portal.apply_form, name="apply_form"),
    path("apply/done/", portal.apply_done, name="apply_done"),
    path("apply/blank-form.<str:fmt>", portal.blank_form_download, name="blank_form"),
    path("apply/stats/", portal.stats, name="stats"),
    path("track/", portal.track, name="track"),
    path("track/<uuid:public_id>/", portal.case, name="track_case"),
    path("track/<uuid:public_id>/correction/", portal.supply_correction, name="track_correction"),
    path("track/<uuid:public_id>/withdraw/", portal.withdraw, name="track_withdraw"),
    path("track/<uuid:public_id>/notices/", portal.notice_contacts, name="track_notices"),
    path(
        "track/<uuid:public_id>/letters/<int:letter_id>.<str:fmt>",
        portal.letter_download,
        name="track_letter",
    ),
    path(
        "track/<uuid:public_id>/files/<int:document_id>/",
        portal.document_download,
        name="track_document",
    ),
    path("my/applications/", portal.my_list, name="my_list"),
    path("backoffice/applications/", staff.queue, name="staff_queue"),
    path("backoffice/applications/new/", staff.intake, name="staff_intake"),
    path("backoffice/applications/export.xlsx", staff.export, name="staff_export"),
    path("backoffice/applications/overview/", staff.overview, name="staff_overview"),
    path("backoffice/applications/suggestions/", staff.suggestions, name="staff_suggestions"),
    path("backoffice/applications/<int:pk>/", staff.detail, name="staff_detail"),
    path("backoffice/applications/<int:pk>/act/<str:action>/", staff.act, name="staff_act"),
    path(
        "backoffice/applications/<int:pk>/letters/<int:letter_id>.<str:fmt>",
        staff.letter_download,
        name="staff_letter",
    ),
    path(
        "backoffice/applications/<int:pk>/files/<int:document_id>/",
        staff.document_download,
        name="staff_document",
    ),
    path(
        "backoffice/applications/<int:pk>/preview/",
        staff.reply_preview,
        name="staff_preview",
    ),
]
