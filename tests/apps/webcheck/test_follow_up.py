"""Samples drawn verifiably, rectification tasks with working-day deadlines, re-checks,
the supervisor's queue, reports and permissions — through the pages."""

from __future__ import annotations

import datetime as dt
import json
import re
from fractions import Fraction

import pytest
from django.test import Client

from gongkai import clock
from gongkai.apps.webcheck.models import Check, Rectification, Sample, Site
from gongkai.apps.webcheck.services import (
    check_record,
    rules_set,
    sample_draw,
    sample_freeze,
    sources_default,
)
from gongkai.demo.webcheck import recorded_observations
from gongkai.domain.draws.record import verify_record
from gongkai.domain.webcheck.indicators import Column, Observations, default_rules
from gongkai.domain.webcheck.states import RectifyState


def _sites(world, n: int) -> list[Site]:
    return [
        Site.objects.create(
            name=f"网站{i}",
            site_code=f"13990{i:05d}",
            domain=f"s{i}.test.gov.cn",
            home_url=f"http://s{i}.test.gov.cn/",
            sponsor=world.dept_a if i % 2 else world.dept_b,
            operator=world.dept_a if i % 2 else world.dept_b,
            level="department",
        )
        for i in range(n)
    ]


def _obs(site: Site, on: dt.date, **changes) -> Observations:
    obs = Observations(
        site=site.site_code,
        checked_on=on,
        home_url=site.home_url,
        crawled=True,
        home_latest=on,
        probe_days=7,
        probes=336,
        columns=[Column("要闻", site.home_url + "yw/", "dynamic", on, 5)],
        site_id_shown=True,
        footer=[],
        unanswered=0,
    )
    for k, v in changes.items():
        setattr(obs, k, v)
    return obs


def _client(user) -> Client:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user)
    return c


def _token(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_half_month_sample_is_thirty_percent_and_verifies(world, tmp_path, capsys):
    _sites(world, 63)
    client = _client(world.supervisor)
    token = _token(client, "/backoffice/webcheck/samples/")
    response = client.post(
        "/backoffice/webcheck/samples/",
        {"kind": "half_month", "ratio": "30", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    sample = Sample.objects.get()
    token = _token(client, sample.get_backoffice_url())
    response = client.post(
        sample.get_backoffice_url(),
        {"observed": "3 9 14 21 27 30", "csrfmiddlewaretoken": token},
        follow=True,
    )
    page = response.content.decode()
    assert "抽中的网站（19个）" in page  # ceil(63 × 30 %)
    sample.refresh_from_db()
    assert len(sample.drawn_codes) == 19
    assert Check.objects.filter(sample=sample).count() == 19
    record = client.get(f"/backoffice/webcheck/samples/{sample.pk}/record.json")
    data = json.loads(record.content)
    assert verify_record(data, expected_commitment_hash=sample.commitment_hash).ok
    path = tmp_path / "record.json"
    path.write_bytes(record.content)
    from gongkai.cli import main

    assert main(["draw", "verify", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("OK")
    data["result"]["groups"][0]["order"][0], data["result"]["groups"][0]["order"][1] = (
        data["result"]["groups"][0]["order"][1],
        data["result"]["groups"][0]["order"][0],
    )
    assert not verify_record(data).ok


@pytest.mark.django_db
def test_quarterly_sample_takes_every_site_and_a_low_ratio_is_refused(world):
    _sites(world, 10)
    now = clock.now()
    on = clock.today()
    from gongkai.apps.webcheck.errors import WebcheckError

    with pytest.raises(WebcheckError, match="不得低于30%"):
        sample_freeze(
            actor=world.supervisor,
            kind="half_month",
            period_start=on,
            period_end=on,
            sources=sources_default(on),
            ratio=Fraction(1, 5),
            now=now,
        )
    sample = sample_freeze(
        actor=world.supervisor,
        kind="quarter",
        period_start=on,
        period_end=on,
        sources=sources_default(on),
        now=now,
    )
    sample_draw(
        actor=world.supervisor, sample=sample, observed=["1 2 3 4 5 6"], now=now, start_checks=False
    )
    sample.refresh_from_db()
    assert len(sample.drawn_codes) == 10
    with pytest.raises(WebcheckError):
        sample_draw(actor=world.supervisor, sample=sample, observed=["1 2 3 4 5 6"], now=now)
    with pytest.raises(WebcheckError):
        sample_freeze(
            actor=world.officer_a,
            kind="quarter",
            period_start=on,
            period_end=on,
            sources=sources_default(on),
            now=now,
        )


@pytest.mark.django_db
def test_findings_open_tasks_with_working_day_deadlines_and_a_recheck_closes_them(world, clock_at):
    site = _sites(world, 2)[1]
    today = clock.today()  # Monday 2026-11-30
    stale = _obs(site, today, home_latest=today - dt.timedelta(days=30))
    check = check_record(actor=world.supervisor, site=site, obs=stale, now=clock.now())
    assert check.verdict == "fail"
    task = Rectification.objects.get(site=site, indicator="home_stale")
    assert task.agency == world.dept_a and task.veto
    assert task.due_date == dt.date(2026, 12, 14)  # 10 working days
    # the supervisor's queue shows it; after the deadline it is overdue
    clock_at(dt.datetime(2026, 12, 15, 9, 0, tzinfo=today_tz()))
    queue = _client(world.supervisor).get("/backoffice/").content.decode()
    assert "网站检查：整改任务（逾期1件）" in queue
    page = (
        _client(world.supervisor).get("/backoffice/webcheck/tasks/?state=overdue").content.decode()
    )
    assert "首页不更新" in page and "已逾期" in page
    # the other agency does not see it
    assert "整改任务（逾期" not in _client(world.officer_b).get("/backoffice/").content.decode()
    assert _client(world.officer_b).get(site.get_backoffice_url()).status_code == 403
    # a re-check that passes closes it
    on = clock.today()
    again = check_record(actor=world.supervisor, site=site, obs=_obs(site, on), now=clock.now())
    assert again.verdict == "pass"
    task.refresh_from_db()
    assert task.state == RectifyState.CLOSED and task.closed_by == again


def today_tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_unanswered_letters_feed_poor_interaction(world):
    from gongkai.apps.mailbox.models import LetterStatus
    from tests.apps.mailbox.factories import make_letter

    site = _sites(world, 2)[1]  # sponsored by dept_a
    today = clock.today()
    make_letter(world.dept_a, received_on=today - dt.timedelta(days=60))  # open, within 3 months
    make_letter(
        world.dept_a,
        received_on=today - dt.timedelta(days=200),
        status=LetterStatus.ANSWERED,
        replied_on=today - dt.timedelta(days=150),
    )
    make_letter(world.dept_b, received_on=today - dt.timedelta(days=120))  # another agency
    check = check_record(actor=world.supervisor, site=site, obs=_obs(site, today), now=clock.now())
    assert check.verdict == "pass"
    late = make_letter(world.dept_a, received_on=today - dt.timedelta(days=100))
    check = check_record(actor=world.supervisor, site=site, obs=_obs(site, today), now=clock.now())
    assert check.vetoes == "interaction"
    row = next(r for r in check.result["results"] if r["key"] == "interaction")
    assert late.number in row["evidence"][0]["what"]
    assert "王五" not in json.dumps(check.result, ensure_ascii=False)


@pytest.mark.django_db
def test_check_report_shows_evidence_and_the_report_page_a_trend(world):
    import random

    sites = _sites(world, 8)
    rng = random.Random(1)
    today = clock.today()
    for site in sites:
        for back in (20, 0):
            on = today - dt.timedelta(days=back)
            check_record(
                actor=world.supervisor,
                site=site,
                obs=recorded_observations(site, on, rng),
                now=clock.now(),
            )
    leak_site = sites[3]
    obs = _obs(
        leak_site,
        today,
        leaks=[
            {
                "url": leak_site.home_url + "f.xlsx",
                "kind": "id_number",
                "kind_label": "身份证号",
                "masked": "139901********123X",
            }
        ],
    )
    check = check_record(actor=world.supervisor, site=leak_site, obs=obs, now=clock.now())
    page = _client(world.supervisor).get(check.get_backoffice_url()).content.decode()
    assert "不合格" in page and "泄露个人信息" in page
    assert "http://s3.test.gov.cn/f.xlsx" in page and "139901********123X" in page
    report = _client(world.supervisor).get("/backoffice/webcheck/report/").content.decode()
    assert "<svg" in report and "合格率" in report
    assert "2026年11月下半月" in report
    quarter = (
        _client(world.supervisor)
        .get("/backoffice/webcheck/report/?period=quarter")
        .content.decode()
    )
    assert "2026年第4季度" in quarter


@pytest.mark.django_db
def test_indicators_are_adjusted_per_year_only_by_the_city_office(world):
    from gongkai.apps.webcheck.errors import WebcheckError

    rules = default_rules(2026)
    rules["vetoes"]["home_stale"]["days"] = 30
    with pytest.raises(WebcheckError):
        rules_set(actor=world.officer_a, year=2026, rules=rules)
    rules_set(actor=world.supervisor, year=2026, rules=rules)
    site = _sites(world, 1)[0]
    today = clock.today()
    check = check_record(
        actor=world.supervisor,
        site=site,
        obs=_obs(site, today, home_latest=today - dt.timedelta(days=20)),
        now=clock.now(),
    )
    assert check.verdict == "pass"
    broken = dict(rules)
    broken["pass_score"] = 200
    with pytest.raises(WebcheckError, match="合格分数线"):
        rules_set(actor=world.supervisor, year=2026, rules=broken)
