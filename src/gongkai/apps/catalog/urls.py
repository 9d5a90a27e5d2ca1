"""Public pages (/search/, /catalog/…, /sitemap.xml) and the back office (/backoffice/catalog/…)."""

from django.urls import path

from gongkai.apps.catalog import pagetags
from gongkai.apps.catalog.views import backoffice as bo
from gongkai.apps.catalog.views import feeds, portal
from gongkai.pagecache import anonymous_page

_everything = anonymous_page(pagetags.catalog_tags)
_by_column = anonymous_page(pagetags.column_tags)
_by_agency = anonymous_page(pagetags.agency_tags)

app_name = "catalog"

BO = "backoffice/catalog/"

urlpatterns = [
    path(f"{BO}richtext/clean/", bo.richtext_clean, name="bo_richtext_clean"),
    path("search/", portal.search, name="search"),
    path("catalog/", portal.browse_home, name="browse"),
    path("catalog/feed.rss", _everything(feeds.LatestFeed()), name="feed_rss"),
    path("catalog/feed.atom", _everything(feeds.LatestAtom()), name="feed_atom"),
    path("catalog/columns/<slug:slug>/", portal.column, name="column"),
    path("catalog/columns/<slug:slug>/feed.rss", _by_column(feeds.ColumnFeed()), name="column_rss"),
    path(
        "catalog/columns/<slug:slug>/feed.atom", _by_column(feeds.ColumnAtom()), name="column_atom"
    ),
    path("catalog/agencies/<slug:code>/", portal.agency, name="agency"),
    path(
        "catalog/agencies/<slug:code>/feed.rss", _by_agency(feeds.AgencyFeed()), name="agency_rss"
    ),
    path(
        "catalog/agencies/<slug:code>/feed.atom", _by_agency(feeds.AgencyAtom()), name="agency_atom"
    ),
    path("catalog/topics/<int:pk>/", portal.topic, name="topic"),
    path("catalog/genres/<int:pk>/", portal.genre, name="genre"),
    path("catalog/years/<int:year>/", portal.year, name="year"),
    path("catalog/interpretations/", portal.interpretations, name="interpretations"),
    path("catalog/documents/<int:pk>/", portal.document, name="document"),
    path("catalog/documents/<int:pk>/print/", portal.document, name="document_print"),
    path(
        "catalog/documents/<int:pk>/files/<int:attachment_id>/<str:filename>",
        portal.attachment,
        name="attachment",
    ),
    path("catalog/index/<path:index_no>", portal.by_index_no, name="by_index_no"),
    path("catalog/gazette/", portal.gazette, name="gazette"),
    path("catalog/gazette/<int:pk>/", portal.gazette_issue, name="gazette_issue"),
    path("catalog/gazette/<int:pk>/pdf/", portal.gazette_pdf, name="gazette_pdf"),
    path("sitemap.xml", portal.sitemap_index, name="sitemap"),
    path("sitemap-pages.xml", portal.sitemap_pages, name="sitemap_pages"),
    path("sitemap-documents-<int:n>.xml", portal.sitemap_part, name="sitemap_part"),
    # back office
    path(BO, bo.document_list, name="bo_list"),
    path(BO + "new/", bo.document_create, name="bo_create"),
    path(BO + "<int:pk>/", bo.document_detail, name="bo_detail"),
    path(BO + "<int:pk>/edit/", bo.document_edit, name="bo_edit"),
    path(
        BO + "<int:pk>/files/<int:attachment_id>/<str:filename>",
        bo.document_attachment,
        name="bo_attachment",
    ),
    path(BO + "<int:pk>/submit/", bo.document_submit, name="bo_submit"),
    path(BO + "<int:pk>/approve/", bo.document_approve, name="bo_approve"),
    path(BO + "<int:pk>/return/", bo.document_return, name="bo_return"),
    path(BO + "<int:pk>/publish/", bo.document_publish, name="bo_publish"),
    path(BO + "<int:pk>/withdraw/", bo.document_withdraw, name="bo_withdraw"),
    path(BO + "<int:pk>/republish/", bo.document_republish, name="bo_republish"),
    path(BO + "<int:pk>/validity/", bo.document_validity, name="bo_validity"),
    path(BO + "<int:pk>/delete/", bo.document_delete, name="bo_delete"),
    path(BO + "<int:pk>/channels/", bo.document_channel, name="bo_channel"),
    path(
        BO + "<int:pk>/channels/<int:record_id>/remove/",
        bo.document_channel_remove,
        name="bo_channel_remove",
    ),
    path(BO + "<int:pk>/versions/<int:version>/", bo.document_version, name="bo_version"),
    path(BO + "deadlines/", bo.deadlines, name="bo_deadlines"),
    path(BO + "tallies/", bo.tallies, name="bo_tallies"),
    path(BO + "gazette/", bo.gazette_list, name="bo_gazette"),
    path(BO + "gazette/<int:pk>/", bo.gazette_issue, name="bo_gazette_issue"),
    path(BO + "imports/", bo.imports, name="bo_imports"),
    path(BO + "imports/<int:pk>/", bo.import_detail, name="bo_import"),
    path(BO + "imports/<int:pk>/errors.csv", bo.import_errors_csv, name="bo_import_errors"),
    path(BO + "export/", bo.export, name="bo_export"),
    path(BO + "index/", bo.index_status, name="bo_index"),
    path(BO + "settings/", bo.settings_view, name="bo_settings"),
]
