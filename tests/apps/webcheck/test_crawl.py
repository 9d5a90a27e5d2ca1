"""The crawler and the check job against a government-style site served on loopback."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import clock
from gongkai.apps.webcheck.crawler import CrawlConfig, Crawler, CrawlState, crawl
from gongkai.apps.webcheck.models import Check, Site
from gongkai.apps.webcheck.services import CrawlSettings, check_run
from gongkai.domain.webcheck.states import CheckState
from tests.apps.webcheck.sites import Response, big_site, columns_of, government_site, serve

FAST = CrawlSettings(rate=200, per_host=4, retries=1, retry_delay=0.05, timeout=2.0)


def _site(world, base: str) -> Site:
    return Site.objects.create(
        name="测试市交通运输局网站",
        site_code="1399000001",
        domain="127.0.0.1",
        home_url=f"{base}/",
        sponsor=world.dept_a,
        operator=world.dept_a,
        level="department",
        columns=columns_of(base),
    )


@pytest.mark.django_db
def test_a_check_of_a_loopback_site_finds_what_a_person_would(world):
    today = clock.today()
    fixture = government_site(today)
    with serve(fixture) as base:
        port = base.rsplit(":", 1)[1]
        # an outside link (another host name) that now redirects to a different site
        fixture.html("/ywdt/a2.html", f"<a href='http://localhost:{port}/partner'>合作单位</a>")
        fixture.pages["/partner"] = Response(
            b"", 302, headers={"Location": f"http://127.0.0.1:{port}/casino"}
        )
        fixture.html("/casino", "<p>其他内容</p>")
        site = _site(world, base)
        check = Check.objects.create(site=site, reason="manual", checked_on=today, year=today.year)
        check = check_run(check, settings=FAST)
    assert check.state == CheckState.DONE
    assert check.observations["drifted"] == [
        {
            "url": f"http://localhost:{port}/partner",
            "parent": f"{base}/ywdt/a2.html",
            "final": f"http://127.0.0.1:{port}/casino",
        }
    ]
    obs = check.observations
    # robots.txt: the disallowed page was never requested
    assert "/private/admin.html" not in fixture.hits
    assert obs["crawled"] is True
    assert obs["home_latest"] == (today - dt.timedelta(days=3)).isoformat()
    assert obs["site_id_shown"] is True
    cols = {c["name"]: c for c in obs["columns"]}
    assert cols["通知公告"]["latest"] == (today - dt.timedelta(days=400)).isoformat()
    assert cols["政策文件"]["latest"] is None and cols["政策文件"]["items"] == 1
    assert cols["政策解读"]["items"] == 0
    assert cols["要闻动态"]["items"] == 2
    broken = {b["url"]: b for b in obs["broken_links"]}
    missing = broken[f"{base}/missing.html"]
    assert missing["confirmed"] is True and missing["status"] == "404"
    assert missing["parent"] == f"{base}/ywdt/a1.html"
    assert fixture.hits["/missing.html"] == 2  # tried, then re-tried before being confirmed
    # the ID number in the attachment is a leak, shown masked
    leaks = obs["leaks"]
    assert [x["kind"] for x in leaks] == ["id_number"]
    assert leaks[0]["url"] == f"{base}/files/list.xlsx"
    assert "*" in leaks[0]["masked"]
    assert any(w["wrong"] == "再接再励" for w in obs["words"])
    # scored: the leak is a veto, and stale columns are evidenced by URL
    result = check.result
    assert check.verdict == "fail"
    assert "leak" in check.vetoes.split(",")
    stale = next(r for r in result["results"] if r["key"] == "stale_columns")
    assert stale["outcome"] == "deduct"
    assert {e["url"] for e in stale["evidence"]} == {f"{base}/tzgg/", f"{base}/zcwj/"}


@pytest.mark.django_db
def test_a_site_that_refuses_robots_is_could_not_check_never_pass(world):
    today = clock.today()
    fixture = government_site(today)
    fixture.pages["/robots.txt"].body = b"User-agent: *\nDisallow: /\n"
    with serve(fixture) as base:
        site = _site(world, base)
        check = Check.objects.create(site=site, reason="manual", checked_on=today, year=today.year)
        check = check_run(check, settings=FAST)
    assert set(fixture.hits) == {"/robots.txt"}
    assert check.verdict == "unknown"
    home = next(r for r in check.result["results"] if r["key"] == "home_stale")
    assert home["outcome"] == "unknown" and "robots" in home["summary"]


def test_politeness_rate_and_concurrency_per_host():
    fixture = big_site(60)
    with serve(fixture) as base:
        config = CrawlConfig(start_url=f"{base}/", rate=40, per_host=2, max_pages=60)
        state = crawl(config)
    assert state.pages == 60
    assert fixture.peak <= 2
    starts = sorted(fixture.starts)
    span = starts[-1] - starts[0]
    # 61 requests (robots + 60 pages) spaced 1/40 s apart: at least 1.5 s
    assert span >= (len(starts) - 1) / 40 * 0.95


def test_bounds_and_resume_without_refetching():
    fixture = big_site(200)
    with serve(fixture) as base:
        saved: list[dict] = []
        first = Crawler(
            CrawlConfig(start_url=f"{base}/", rate=500, per_host=2, max_pages=200),
            on_checkpoint=lambda st: saved.append(st.to_json()),
            checkpoint_every=30,
        )

        class Stop(Exception):
            pass

        def stop_after(st):
            saved.append(st.to_json())
            if st.pages >= 60:
                raise Stop

        first.on_checkpoint = stop_after
        import asyncio

        with pytest.raises(Stop):
            asyncio.run(first.run())
        state = CrawlState.from_json(saved[-1])
        done_before = state.pages
        assert 60 <= done_before < 200
        fetched_before = sum(v for k, v in fixture.hits.items() if k != "/robots.txt")
        second = Crawler(
            CrawlConfig(start_url=f"{base}/", rate=500, per_host=2, max_pages=200), state=state
        )
        final = asyncio.run(second.run())
    assert final.pages == 200
    page_hits = {k: v for k, v in fixture.hits.items() if k != "/robots.txt"}
    assert len(page_hits) == 200
    # pages fetched before the checkpoint are not fetched again (in-flight ones may be)
    assert sum(page_hits.values()) - 200 <= fetched_before - done_before + 2


def test_depth_and_page_limits_hold():
    fixture = big_site(500)
    with serve(fixture) as base:
        state = crawl(CrawlConfig(start_url=f"{base}/", rate=1000, per_host=4, max_pages=50))
        assert state.pages == 50
        shallow = crawl(CrawlConfig(start_url=f"{base}/", rate=1000, per_host=4, max_depth=1))
        assert shallow.pages == 11  # home + its 10 children


@pytest.mark.django_db
def test_the_page_queues_a_job_that_crawls_and_the_report_shows_the_evidence(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    import re

    from django.test import Client

    from gongkai.apps import webcheck
    from gongkai.apps.audit.models import AuditEvent

    monkeypatch.setattr(webcheck.services, "CRAWL", FAST)
    today = clock.today()
    with serve(government_site(today)) as base:
        site = _site(world, base)
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.supervisor)
        page = client.get(site.get_backoffice_url()).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/backoffice/webcheck/sites/{site.pk}/check/", {"csrfmiddlewaretoken": token}
            )
        assert response.status_code == 302
    check = Check.objects.get(site=site)
    assert check.state == CheckState.DONE and check.job_id
    report = client.get(check.get_backoffice_url()).content.decode()
    assert "泄露个人信息" in report and f"{base}/files/list.xlsx" in report
    assert f"{base}/missing.html" in report and "连续不可用1天" in report
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "webcheck.check_start",
        "webcheck.check_run",
        "webcheck.check_finish",
        "webcheck.rectify_open",
    } <= actions
    # the operating agency sees its own check; another agency's staff do not
    other = Client()
    other.force_login(world.officer_b)
    assert other.get(check.get_backoffice_url()).status_code == 403
    own = Client()
    own.force_login(world.officer_a)
    assert own.get(check.get_backoffice_url()).status_code == 200
