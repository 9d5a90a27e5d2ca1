"""Availability probes (the scheduler's periodic work), the failing job, the CLI."""

from __future__ import annotations

import pytest

from gongkai import clock
from gongkai.apps.webcheck.models import Check, ProbeDay, Site
from gongkai.apps.webcheck.services import probe_all_sites
from tests.apps.webcheck.sites import FixtureSite, columns_of, government_site, serve


def _site(world, code: str, home: str) -> Site:
    return Site.objects.create(
        name=f"网站{code}",
        site_code=code,
        domain="127.0.0.1",
        home_url=home,
        sponsor=world.dept_a,
        operator=world.dept_a,
        level="department",
    )


@pytest.mark.django_db
def test_each_probe_counts_a_visit_and_a_failure_per_site_and_day(world):
    with serve(government_site(clock.today())) as base:
        up = _site(world, "1399000001", f"{base}/")
        down = _site(world, "1399000002", f"{base}/gone/")
        closed = _site(world, "1399000003", f"{base}/")
        closed.status = "closed"
        closed.save()
        assert probe_all_sites(now=clock.now()) == 2
        probe_all_sites(now=clock.now())
    rows = {r.site_id: (r.probes, r.failures) for r in ProbeDay.objects.all()}
    assert rows == {up.pk: (2, 0), down.pk: (2, 2)}


@pytest.mark.django_db
def test_a_site_that_does_not_answer_is_recorded_as_not_crawled(world):
    from gongkai.apps.webcheck.services import CrawlSettings, check_run

    fixture = FixtureSite()  # answers 404 everywhere
    with serve(fixture) as base:
        site = _site(world, "1399000001", f"{base}/")
        site.columns = columns_of(base)
        site.save()
        today = clock.today()
        check = Check.objects.create(site=site, reason="manual", checked_on=today, year=today.year)
        check = check_run(check, settings=CrawlSettings(rate=100, retries=0, timeout=2))
    assert check.observations["crawled"] is False
    assert "首页无法打开（404）" in check.observations["crawl_note"]
    assert check.verdict == "unknown"


@pytest.mark.django_db
def test_cli_exports_a_sample_record_that_draw_verify_accepts(world, tmp_path, capsys):
    from fractions import Fraction

    from gongkai.apps.webcheck.services import sample_draw, sample_freeze, sources_default
    from gongkai.cli import main

    for i in range(5):
        _site(world, f"13990000{i:02d}", f"http://s{i}.test.gov.cn/")
    on = clock.today()
    sample = sample_freeze(
        actor=world.supervisor,
        kind="half_month",
        period_start=on,
        period_end=on,
        sources=sources_default(on),
        ratio=Fraction(1, 2),
        now=clock.now(),
    )
    sample_draw(
        actor=world.supervisor,
        sample=sample,
        observed=["1 2 3 4 5 6"],
        now=clock.now(),
        start_checks=False,
    )
    out = tmp_path / "r.json"
    assert main(["webcheck", "record", sample.number, "-o", str(out)]) == 0
    assert main(["draw", "verify", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith("OK")
