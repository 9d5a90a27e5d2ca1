"""Anonymous public pages from the shared cache (ADR 0110): a change is visible on the very
next request, conditional GETs get 304, and nothing personal is ever stored or shared."""

import datetime as dt

import pytest
from django.test import Client

from gongkai import clock
from gongkai.apps.catalog import services
from gongkai.apps.catalog.search.indexing import index_flush
from tests.apps.catalog.factories import aware, column, draft, published
from tests.caches import clear_cache_of_this_process

pytestmark = pytest.mark.django_db

HIT = "X-Page-Cache"


@pytest.fixture
def site(world, fresh_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = published(world.dept_a, title="示例市公共交通发展办法", when=aware(2023, 4, 1))
        school = published(
            world.dept_b,
            title="关于做好中小学校舍安全工作的通知",
            column=column("key-jy"),
            when=aware(2022, 9, 1),
        )
    index_flush()
    return {"old": old, "school": school}


def _get(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.content.decode()


def _publish(world, title, capture, **fields):
    doc = draft(world.officer_a, world.dept_a, title=title, **fields)
    with capture(execute=True):
        services.document_submit(actor=world.officer_a, document=doc)
        services.document_approve(actor=world.reviewer_a, document=doc, secrecy_opinion="不涉密")
        services.document_publish(actor=world.officer_a, document=doc)
    doc.refresh_from_db()
    return doc


LISTS = ("/", "/catalog/columns/statutory-fgwj/", "/catalog/agencies/depta/", "/catalog/feed.rss")


def test_anonymous_pages_are_served_from_the_cache_with_validators(client, site):
    url = site["old"].get_absolute_url()
    first, html = _get(client, url)
    assert first.status_code == 200 and HIT not in first
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")
    assert "Cookie" not in first.get("Vary", "")
    second, again = _get(client, url)
    assert second[HIT] == "hit" and again == html
    assert second["ETag"] == first["ETag"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Type"] == first["Content-Type"]

    by_tag = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert by_tag.status_code == 304 and by_tag.content == b""
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content.decode() == html


def test_a_publish_is_visible_on_the_next_request_everywhere_it_is_listed(
    client, world, site, django_capture_on_commit_callbacks
):
    for url in LISTS:
        client.get(url)
        assert client.get(url)[HIT] == "hit", url
    doc_url = site["old"].get_absolute_url()
    school_url = site["school"].get_absolute_url()
    client.get(school_url)

    doc = _publish(world, "关于新开通城乡公交线路的通告", django_capture_on_commit_callbacks)

    for url in LISTS:
        response, html = _get(client, url)
        assert HIT not in response, url
        assert "关于新开通城乡公交线路的通告" in html, url
    page, html = _get(client, doc.get_absolute_url())
    assert page.status_code == 200 and "关于新开通城乡公交线路的通告" in html
    # exactly the affected pages: another agency's document in another column stays cached
    assert client.get(school_url)[HIT] == "hit"
    assert client.get("/catalog/agencies/deptb/").status_code == 200
    assert client.get(doc_url).status_code == 200


def test_an_edit_and_a_withdrawal_are_visible_on_the_next_request(
    client, world, site, django_capture_on_commit_callbacks
):
    doc = _publish(world, "关于调整公交票价的通知", django_capture_on_commit_callbacks)
    url = doc.get_absolute_url()
    client.get(url)
    client.get("/catalog/agencies/depta/")
    assert client.get(url)[HIT] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.document_revise(
            actor=world.officer_a,
            document=doc,
            reason="更正标题",
            title="关于调整公交票价的补充通知",
        )
    response, html = _get(client, url)
    assert HIT not in response and "关于调整公交票价的补充通知" in html
    assert "关于调整公交票价的补充通知" in _get(client, "/catalog/agencies/depta/")[1]

    with django_capture_on_commit_callbacks(execute=True):
        services.document_withdraw(actor=world.reviewer_a, document=doc, reason="误发")
    assert client.get(url).status_code == 404
    assert "关于调整公交票价的补充通知" not in _get(client, "/")[1]
    assert "关于调整公交票价的补充通知" not in _get(client, "/catalog/agencies/depta/")[1]


def test_a_change_inside_an_open_transaction_is_not_served_stale_after_the_commit(
    client, world, site, django_capture_on_commit_callbacks
):
    """The versions are bumped when the change is made and again at the commit: a page that
    was rendered in between (still showing the old text) is not served afterwards."""
    url = site["old"].get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.document_revise(
            actor=world.officer_a, document=site["old"], reason="更正", title="示例市公共交通条例"
        )
    client.get(url)  # rendered and stored between the change and its commit
    assert client.get(url)[HIT] == "hit"
    for callback in callbacks:
        callback()
    response, html = _get(client, url)
    assert HIT not in response and "示例市公共交通条例" in html


def test_site_settings_and_calendar_changes_reach_every_cached_page(client, world, site):
    from gongkai.apps.audit.services import SYSTEM
    from gongkai.apps.organizations.models import PortalSettings
    from gongkai.apps.workcalendar.dues import dues_recompute

    url = site["old"].get_absolute_url()
    client.get(url)
    settings_row = PortalSettings.current()
    settings_row.site_name = "示例市人民政府信息公开网"
    settings_row.save()
    response, html = _get(client, url)
    assert HIT not in response and "示例市人民政府信息公开网" in html
    assert client.get(url)[HIT] == "hit"
    dues_recompute(actor=SYSTEM)
    assert HIT not in client.get(url)


def test_signed_in_users_are_never_served_or_stored(client, client_for, world, site):
    url = "/"
    anonymous = client.get(url)
    assert client.get(url)[HIT] == "hit"
    staff = client_for(world.officer_a)
    mine = staff.get(url)
    assert HIT not in mine
    assert mine["Cache-Control"] == "private, no-store"
    assert "退出" in mine.content.decode() or world.officer_a.username in mine.content.decode()
    # the signed-in page did not replace the shared one
    shared = Client().get(url)
    assert shared[HIT] == "hit" and shared.content == anonymous.content
    assert world.officer_a.username not in shared.content.decode()


def test_a_signed_in_render_is_never_stored_for_anonymous_visitors(client_for, world, site):
    clear_cache_of_this_process()
    staff = client_for(world.officer_a)
    staff.get("/")
    staff.get("/")
    visitor = Client().get("/")
    assert HIT not in visitor
    assert world.officer_a.username not in visitor.content.decode()


def test_forms_with_a_csrf_token_and_personal_pages_are_never_stored(client, site):
    for url in ("/accounts/login/", "/track/"):
        first = client.get(url)
        second = client.get(url)
        assert HIT not in second, url
        assert "private" in second["Cache-Control"], url
    # a session cookie of an anonymous visitor (e.g. a message) also bypasses the cache
    client.get("/")
    assert client.get("/")[HIT] == "hit"
    client.cookies["sessionid"] = "anything"
    response = client.get("/")
    assert HIT not in response and "private" in response["Cache-Control"]
    assert first is not None


def test_api_token_requests_bypass_the_cache(site):
    visitor = Client()
    visitor.get("/")
    assert visitor.get("/")[HIT] == "hit"
    assert HIT not in Client().get("/", headers={"Authorization": "Bearer x"})


def test_search_pages_expire_by_time(client, site, settings, clock_at):
    url = "/search/?q=%E5%85%AC%E4%BA%A4"
    client.get(url)
    assert client.get(url)[HIT] == "hit"
    clear_cache_of_this_process()  # what the timeout does after GONGKAI_SEARCH_PAGE_SECONDS
    assert HIT not in client.get(url)


def test_pages_are_rendered_again_on_a_new_day(client, site, clock_at):
    url = site["old"].get_absolute_url()
    client.get(url)
    assert client.get(url)[HIT] == "hit"
    clock_at(clock.now() + dt.timedelta(days=1))
    assert HIT not in client.get(url)


def test_a_list_from_an_index_behind_the_log_is_not_stored(client, world, site):
    """Another server's change is in the log but not yet in this server's index: the list is
    served but not kept, so the cache never holds a list the index has not caught up with."""
    from gongkai.apps.catalog.models import SearchChange

    SearchChange.objects.create(document_id=site["old"].pk)  # logged by another server
    url = "/catalog/agencies/depta/"
    client.get(url)
    assert HIT not in client.get(url)
    index_flush()
    client.get(url)
    assert client.get(url)[HIT] == "hit"


def test_the_page_cache_can_be_switched_off(client, site, settings):
    settings.GONGKAI_PAGE_CACHE = False
    client.get("/")
    response = client.get("/")
    assert HIT not in response and "ETag" not in response


def test_with_whole_pages_off_the_shared_fragments_follow_every_change(
    client, world, site, settings, django_capture_on_commit_callbacks
):
    """The home sections and a document's rendition are kept as fragments even when whole
    pages are not: an edit and a withdrawal still show on the very next request."""
    settings.GONGKAI_PAGE_CACHE = False
    doc = _publish(world, "关于调整出租车运价的通知", django_capture_on_commit_callbacks)
    url = doc.get_absolute_url()
    for page in (url, "/"):
        assert "关于调整出租车运价的通知" in _get(client, page)[1], page
        assert "关于调整出租车运价的通知" in _get(client, page)[1], page

    with django_capture_on_commit_callbacks(execute=True):
        services.document_revise(
            actor=world.officer_a,
            document=doc,
            reason="更正标题",
            title="关于调整出租车运价的补充通知",
        )
    for page in (url, "/"):
        assert "关于调整出租车运价的补充通知" in _get(client, page)[1], page

    with django_capture_on_commit_callbacks(execute=True):
        services.document_withdraw(actor=world.reviewer_a, document=doc, reason="误发")
    assert client.get(url).status_code == 404
    assert "关于调整出租车运价" not in _get(client, "/")[1]


def test_moving_a_document_to_another_gazette_issue_is_visible_on_the_next_request(
    client, world, site, django_capture_on_commit_callbacks
):
    from gongkai.apps.catalog.services.gazette import (
        gazette_issue_create,
        gazette_issue_publish,
        gazette_issue_set_documents,
    )

    doc = site["old"]
    with django_capture_on_commit_callbacks(execute=True):
        april = gazette_issue_create(
            actor=world.admin,
            agency=world.city,
            year=2023,
            number=4,
            published_on=dt.date(2023, 4, 28),
        )
        gazette_issue_set_documents(actor=world.admin, issue=april, documents=[doc])
        gazette_issue_publish(actor=world.admin, issue=april)
        may = gazette_issue_create(
            actor=world.admin,
            agency=world.city,
            year=2023,
            number=5,
            published_on=dt.date(2023, 5, 28),
        )
    doc_url, issue_url = doc.get_absolute_url(), april.get_absolute_url()
    for url in (doc_url, issue_url):
        client.get(url)
        response, html = _get(client, url)
        assert response[HIT] == "hit" and doc.title in html and april.title in html, url
    assert "刊登于" in _get(client, doc_url)[1]

    with django_capture_on_commit_callbacks(execute=True):  # an update of the rows, no save
        gazette_issue_set_documents(actor=world.admin, issue=may, documents=[doc])

    response, html = _get(client, doc_url)
    assert HIT not in response and "刊登于" not in html  # the May issue is not published yet
    response, html = _get(client, issue_url)
    assert HIT not in response and doc.title not in html
