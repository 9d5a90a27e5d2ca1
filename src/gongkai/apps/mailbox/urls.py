from django.urls import path

from gongkai.apps.mailbox.views import backoffice as bo
from gongkai.apps.mailbox.views import portal

app_name = "mailbox"
urlpatterns = [
    # portal
    path("mailbox/", portal.index, name="index"),
    path("mailbox/write/", portal.write, name="write"),
    path("mailbox/write/done/<str:number>/", portal.done, name="done"),
    path("mailbox/query/", portal.query, name="query"),
    path("mailbox/query/<str:number>/", portal.query_detail, name="query_detail"),
    path("mailbox/query/<str:number>/rate/", portal.rate, name="rate"),
    path("mailbox/query/<str:number>/withdraw/", portal.withdraw_consent, name="withdraw"),
    path("mailbox/mine/", portal.mine, name="mine"),
    path("mailbox/mine/<str:number>/", portal.query_detail, name="mine_detail"),
    path("mailbox/letters/<str:number>/", portal.public_detail, name="public_detail"),
    path("mailbox/stats/", portal.stats, name="stats"),
    # back office
    path("backoffice/mailbox/", bo.letter_list, name="bo_list"),
    path("backoffice/mailbox/letters/", bo.letter_list, name="bo_letters"),
    path("backoffice/mailbox/dispatch/", bo.dispatch_queue, name="bo_dispatch"),
    path("backoffice/mailbox/letters/<str:number>/", bo.letter_detail, name="bo_detail"),
    path(
        "backoffice/mailbox/letters/<str:number>/attachments/<int:pk>/",
        bo.attachment_download,
        name="bo_attachment",
    ),
    path(
        "backoffice/mailbox/letters/<str:number>/<slug:action>/",
        bo.letter_action,
        name="bo_action",
    ),
    path("backoffice/mailbox/imports/", bo.imports, name="bo_imports"),
    path("backoffice/mailbox/imports/<int:pk>/", bo.import_detail, name="bo_import"),
    path("backoffice/mailbox/stats/", bo.statistics, name="bo_stats"),
    path("backoffice/mailbox/classifier/", bo.classifier, name="bo_classifier"),
]
