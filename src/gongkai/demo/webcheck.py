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

from gongkai import clock
from gongkai.apps.accounts.models import RoleGrant
from gongkai.apps.organizations.models import Agency
from gongkai.apps.webcheck.media import media_check, post_key, record_posts
from gongkai.apps.webcheck.models import (
    MediaAccount,
    MediaMessage,
    MediaPost,
    ProbeDay,
    Site,
    SiteLevel,
)
from gongkai.apps.webcheck.selectors import half_month_of
from gongkai.apps.webcheck.services import (
    check_record,
    sample_draw,
    sample_freeze,
    site_save,
    sources_default,
)
from gongkai.demo.organizations import CITY_REGION
from gongkai.demo.steps import DemoStep, register_demo_step
from gongkai.domain.webcheck.indicators import BrokenLink, Column, Observations
from gongkai.domain.webcheck.media import Message, Post

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
        footer=[],
    )
    footer_roll = rng.random()
    if footer_roll < 0.1:
        obs.footer = [{"item": "公安机关备案号", "what": "未见公安机关备案号（公网安备）"}]
    elif footer_roll < 0.15:
        obs.footer = [
            {"item": "党政机关标识", "what": "未见党政机关网站标识（链接至 conac.cn）"},
            {"item": "主办单位", "what": "未标注主办单位"},
        ]
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
    load_media(world)


MEDIA_ACCOUNTS = 24


def _accounts(world: Any) -> list[Any]:
    """政务新媒体: a 微信公众号 for the first agencies, a 微博 for some of them."""
    agencies = list(Agency.objects.order_by("pk"))
    accounts = []
    for index in range(MEDIA_ACCOUNTS):
        agency = agencies[index % len(agencies)]
        platform = "wechat" if index % 3 else "weibo"
        short = agency.short_name or agency.name
        accounts.append(
            MediaAccount.objects.create(
                platform=platform,
                name=f"{short}{'发布' if platform == 'weibo' else ''}"
                + ("" if index < len(agencies) else f"{index}"),
                account_id=f"gh_demo{index:04d}",
                sponsor=agency,
                status="open",
                url="",
                interactive=index != 7,
            )
        )
    return accounts


def recorded_media(account: Any, today: dt.date, rng: Any) -> tuple[list[Any], list[Any]]:
    """A year of an account's posts and messages: most post every few days and answer within a
    week; some went quiet (僵尸), repost only (空壳), leave messages unanswered or misspell."""
    roll = rng.random()
    quiet_since = rng.randint(20, 90) if roll < 0.12 else rng.randint(0, 3)
    reposts_only = 0.12 <= roll < 0.2
    posts = []
    day = today - dt.timedelta(days=quiet_since)
    start = today - dt.timedelta(days=365)
    n = 0
    while day > start:
        n += 1
        original = not reposts_only and rng.random() > 0.2
        title = ("【转载】" if not original else "") + f"{account.sponsor.name}工作动态（{n}）"
        text = f"{day}，{account.sponsor.name}召开会议，部署近期重点工作。"
        if roll > 0.93 and n == 2:
            text += "要求全体干部再接再励，抓好落实。"
        posts.append(Post(day, title, f"https://mp.example.cn/s/{account.pk}-{n}", original, text))
        day -= dt.timedelta(days=rng.randint(1, 5 if roll < 0.85 else 12))
    messages = []
    for k in range(rng.randint(2, 10)):
        received = today - dt.timedelta(days=rng.randint(1, 300))
        wait = rng.randint(0, 5)
        if 0.2 <= roll < 0.26 and k == 0:
            received, replied = today - dt.timedelta(days=rng.randint(100, 200)), None
        elif 0.26 <= roll < 0.4 and k < 2:
            replied = received + dt.timedelta(days=rng.randint(10, 40))
        else:
            replied = received + dt.timedelta(days=wait)
        if replied is not None and replied > today:
            replied = None if (today - received).days <= 7 else today
        messages.append(Message(received, replied, f"LY{account.pk:03d}{k:03d}"))
    return posts, messages


def load_media(world: Any) -> None:
    rng = world.rng_for("webcheck-media")
    today = world.today
    for account in _accounts(world):
        posts, messages = recorded_media(account, today, rng)
        MediaPost.objects.bulk_create(
            MediaPost(
                account=account,
                key=post_key(p.published_on, p.title, p.url),
                published_on=p.published_on,
                title=p.title,
                url=p.url,
                original=p.original,
                text=p.text,
            )
            for p in posts
        )
        record_posts(account, [], on=today)
        MediaMessage.objects.bulk_create(
            MediaMessage(
                account=account, number=m.number, received_on=m.received_on, replied_on=m.replied_on
            )
            for m in messages
        )
        media_check(actor=world.actor, account=account, now=clock.now(), on=today)


def register() -> None:
    register_demo_step(DemoStep(76, "政府网站检查：名录、监测、抽查与评分", load))
