"""Held-out home pages: the footer identifications judged as a person reading the page would."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import clock
from gongkai.apps.webcheck.models import Check, Site
from gongkai.apps.webcheck.services import CrawlSettings, check_run
from gongkai.domain.webcheck.pages import footer_problems, read_page
from tests.apps.webcheck.sites import FixtureSite, Response, serve

CODE = "1399000001"
ICP = "测ICP备05012345号-1"
SPONSOR = ["测试市交通运输局", "市交通局"]
CONAC = (
    "<script src='https://dcs.conac.cn/js/33/000/0000/60429971/CA330000000604299710001.js'>"
    "</script><span id='_ideConac'></span>"
)
BADGE = (
    "<a href='http://bszs.conac.cn/sitename?method=show&id=1A2B3C'>"
    "<img src='/images/red.png' alt='党政机关'></a>"
)
GOOD = (
    "<footer>主办单位：测试市交通运输局　承办：测试市大数据中心<br>"
    "测ICP备05012345号-1　测公网安备 13990102000123号　政府网站标识码：1399000001"
    f"{CONAC}</footer>"
)


def judge(body: str, meta: str = "") -> set[str]:
    html = f"<html><head>{meta}</head><body><h1>首页</h1>{body}</body></html>"
    page = read_page("http://jtj.test.gov.cn/", html, today=dt.date(2026, 11, 30))
    problems = footer_problems(page, site_code=CODE, icp=ICP, sponsor_names=SPONSOR)
    return {p["item"] for p in problems}


# (what the page shows, what a person applying the indicators finds wrong with it)
HELD_OUT = [
    (GOOD, set()),
    # the badge as a linked image instead of the script; 主办 written short, colon half-width
    (
        "<div class='foot'>主办:市交通局 地址：测试市人民路1号</div>"
        "<p>ICP备案号：测ICP备05012345号 测公网安备13990102000123号</p>" + BADGE,
        set(),
    ),
    # no police record number and no badge
    (
        "<footer>主办单位：测试市交通运输局 测ICP备05012345号-1</footer>",
        {"公安机关备案号", "党政机关标识"},
    ),
    # another unit named as sponsor (a template copied from another site)
    (GOOD.replace("主办单位：测试市交通运输局", "主办单位：测试市农业农村局"), {"主办单位"}),
    # an ICP number that is not the site's registered one
    (GOOD.replace("05012345", "09999999"), {"ICP备案号"}),
    # the sponsor not stated at all; the page only says who maintains it
    (GOOD.replace("主办单位：测试市交通运输局", "技术支持：某某科技公司"), {"主办单位"}),
    # a footer that mentions 党政机关 in words but has no badge
    (GOOD.replace(CONAC, "党政机关网站"), {"党政机关标识"}),
]


@pytest.mark.parametrize(("body", "expected"), HELD_OUT)
def test_held_out_footers_are_judged_as_a_person_would(body, expected):
    assert judge(body) == expected


def test_a_wrong_site_identification_code_in_the_meta_tags_is_a_finding():
    meta = "<meta name='SiteIDCode' content='1399000009'>"
    assert judge(GOOD, meta) == {"网站标识码"}
    assert judge(GOOD, f"<meta name='SiteIDCode' content='{CODE}'>") == set()


def _home(footer: str, today: dt.date) -> FixtureSite:
    s = FixtureSite()
    s.pages["/robots.txt"] = Response(b"User-agent: *\nAllow: /\n", ctype="text/plain")
    s.html(
        "/",
        f"<ul><li><a href='/a.html'>通知</a> {today - dt.timedelta(days=1)}</li></ul>{footer}",
        meta=f"<meta name='SiteIDCode' content='{CODE}'>",
    )
    s.html("/a.html", "<p>通知正文</p>")
    return s


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("footer", "outcome", "points"),
    [(GOOD, "pass", 0.0), ("<footer>主办单位：测试市交通运输局</footer>", "deduct", 3.0)],
)
def test_a_crawled_home_page_footer_is_scored_with_evidence(world, footer, outcome, points):
    world.dept_a.name, world.dept_a.short_name = "测试市交通运输局", "市交通局"
    world.dept_a.save()
    today = clock.today()
    # outside links are not followed (check_external=False): no request leaves the machine
    with serve(_home(footer, today)) as base:
        site = Site.objects.create(
            name="测试市交通运输局网站",
            site_code=CODE,
            domain="127.0.0.1",
            home_url=f"{base}/",
            icp=ICP,
            sponsor=world.dept_a,
            operator=world.dept_a,
            level="department",
        )
        check = Check.objects.create(site=site, reason="manual", checked_on=today, year=today.year)
        check = check_run(
            check,
            settings=CrawlSettings(
                rate=200, retries=0, retry_delay=0.01, timeout=2.0, check_external=False
            ),
        )
    row = next(r for r in check.result["results"] if r["key"] == "footer")
    assert row["outcome"] == outcome and row["points"] == points
    if outcome == "deduct":
        assert {e["what"][:6] for e in row["evidence"]} == {
            "未见党政机关",
            "未见ICP备",
            "未见公安机关",
        }
        assert all(e["url"] == f"{base}/" for e in row["evidence"])
