"""Demo data: the city's 63 government websites (the seed city cut them from 203 to 63), a
week of availability probes, a scored check of each with evidence, the half-monthly sample
drawn verifiably, and the rectification tasks that follow.

The checks are recorded results (what a crawl of each site saw), generated deterministically,
so ``make demo`` stays fast and needs no network; the crawler itself is exercised by the tests
against sites served on the loopback interface.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from gongkai.demo.steps import DemoStep, register_demo_step

SITE_COUNT = 63
COLUMNS = [
    ("要闻动态", "ywdt", "dynamic"),
    ("通知公告", "tzgg", "notice"),
    ("政策文件", "zcwj", "policy"),
    ("政策解读", "zcjd", "other"),
    ("政务服务", "zwfw", "other"),
    ("互动交流", "hdjl", "other"),
]


def _sites(world: Any) -> list[Any]:
    from gongkai.apps.organizations.models import Agency
    from gongkai.apps.webcheck.models import Site, SiteLevel
    from gongkai.apps.webcheck.services import site_save
    from gongkai.demo.organizations import CITY_REGION

    agencies = list(Agency.objects.order_by("pk"))
    sites = []
    for index in range(SITE_COUNT):
        agency = agencies[index % len(agencies)]
        slug = f"{agency.code}{'' if index < len(agencies) else index}"
        home = f"http://{slug}.demo.gov.cn/"
        level = (
            SiteLevel.PORTAL
            if index == 0
            else SiteLevel.DISTRICT
            if agency.level == "county"
            else SiteLevel.DEPARTMENT
        )
        sites.append(
            site_save(
                actor=world.actor,
                name=f"{agency.name}{'门户网站' if level != SiteLevel.DEPARTMENT else '网站'}"
                + ("" if index < len(agencies) else f"（专题{index}）"),
                site_code=f"{CITY_REGION}{index + 1:04d}",
                domain=f"{slug}.demo.gov.cn",
                home_url=home,
                icp=f"示ICP备{10000000 + index}号",
                sponsor=agency,
                operator=agency,
                level=level,
                status="open",
                status_approval="",
                columns=[{"name": n, "url": f"{home}{p}/", "kind": k} for n, p, k in COLUMNS],
            )
        )
    return [s for s in sites if isinstance(s, Site)]


def recorded_observations(site: Any, on: dt.date, rng: Any) -> Any:
    """What a crawl of a demo site saw: most sites are in order; some have stale or empty
    columns, broken links, typos, a serious misstatement or an ID number in an attachment."""
    from gongkai.domain.webcheck.indicators import BrokenLink, Column, Observations

    roll = rng.random()
    home = site.home_url
    obs = Observations(
        site=site.site_code,
        checked_on=on,
        home_url=home,
        crawled=True,
        home_latest=on - dt.timedelta(days=rng.randint(0, 6)),
        site_id_shown=rng.random() > 0.08,
        pages=rng.randint(300, 4000),
    )
    for name, path, kind in COLUMNS:
        limit = {"dynamic": 10, "notice": 120, "policy": 150}.get(kind, 200)
        obs.columns.append(
            Column(
                name,
                f"{home}{path}/",
                kind,
                on - dt.timedelta(days=rng.randint(0, limit)),
                rng.randint(5, 200),
            )
        )
    if roll < 0.06:
        obs.home_latest = on - dt.timedelta(days=rng.randint(20, 60))
    elif roll < 0.10:
        for col in obs.columns[:5]:
            col.latest = on - dt.timedelta(days=400)
    elif roll < 0.13:
        obs.words.append(
            {
                "url": f"{home}ywdt/art{rng.randint(1000, 9999)}.html",
                "wrong": "中华人民共合国",
                "right": "中华人民共和国",
                "serious": True,
                "context": "依据《中华人民共合国政府信息公开条例》",
            }
        )
    elif roll < 0.16:
        obs.leaks.append(
            {
                "url": f"{home}tzgg/P0{rng.randint(10, 99)}.xlsx",
                "kind": "id_number",
                "kind_label": "身份证号",
                "masked": "139901********123X",
            }
        )
    for _ in range(rng.choice([0, 0, 0, 1, 2, 4])):
        n = rng.randint(100, 999)
        obs.broken_links.append(
            BrokenLink(
                f"{home}zcwj/old{n}.html",
                f"{home}zcwj/",
                "404",
                True,
                on - dt.timedelta(days=rng.randint(0, 20)),
                f"旧文件{n}",
            )
        )
    if rng.random() < 0.3:
        obs.broken_links.append(
            BrokenLink("http://partner.example.org/", home, "超时", False, on, "友情链接")
        )
    if rng.random() < 0.2:
        obs.words.append(
            {
                "url": f"{home}ywdt/",
                "wrong": "再接再励",
                "right": "再接再厉",
                "serious": False,
                "context": "希望全体干部再接再励",
            }
        )
    empties = 1 if rng.random() < 0.15 else 0
    for col in obs.columns[-empties:] if empties else []:
        col.items = 0
    return obs


def load(world: Any) -> None:
    from gongkai import clock
    from gongkai.apps.accounts.models import RoleGrant
    from gongkai.apps.webcheck.models import ProbeDay
    from gongkai.apps.webcheck.selectors import half_month_of
    from gongkai.apps.webcheck.services import (
        check_record,
        sample_draw,
        sample_freeze,
        sources_default,
    )

    rng = world.rng_for("webcheck")
    sites = _sites(world)
    today = world.today
    probes = []
    for site in sites:
        bad = rng.random() < 0.04
        for back in range(7):
            failures = rng.randint(3, 6) if bad else (1 if rng.random() < 0.05 else 0)
            probes.append(
                ProbeDay(
                    site=site, day=today - dt.timedelta(days=back), probes=48, failures=failures
                )
            )
    ProbeDay.objects.bulk_create(probes)
    supervisor = (
        RoleGrant.objects.filter(role__in=["supervisor", "admin"]).select_related("user").first()
    )
    actor = supervisor.user if supervisor else world.actor
    now = clock.now()
    # last quarter's full check, recorded two weeks ago (the trend has two points at least)
    earlier = today - dt.timedelta(days=16)
    for site in sites:
        check_record(
            actor=world.actor, site=site, obs=recorded_observations(site, earlier, rng), now=now
        )
    start, end = half_month_of(today)
    sample = sample_freeze(
        actor=actor,
        kind="half_month",
        period_start=start,
        period_end=end,
        sources=sources_default(today),
        ratio=Fraction(3, 10),
        now=now,
    )
    sample_draw(
        actor=actor, sample=sample, observed=["3 9 14 21 27 30"], now=now, start_checks=False
    )
    sample.refresh_from_db()
    drawn = set(sample.drawn_codes)
    for site in sites:
        check_record(
            actor=world.actor,
            site=site,
            obs=recorded_observations(site, today, rng),
            now=now,
            sample=sample if site.site_code in drawn else None,
        )


def register() -> None:
    register_demo_step(DemoStep(76, "政府网站检查：名录、监测、抽查与评分", load))
