"""政务新媒体 accounts: held-out records judged as a person applying the indicators would, the
records imported through the page, an archive page read on loopback, tasks and re-checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai import clock
from gongkai.apps.webcheck.media import media_check, pull_archive
from gongkai.apps.webcheck.models import MediaAccount, MediaPost, Rectification
from gongkai.domain.webcheck.indicators import Verdict, default_rules
from gongkai.domain.webcheck.media import MediaObservations, Message, Post, score_media
from gongkai.domain.webcheck.words import DEFAULT_WORDS
from tests.apps.webcheck.sites import FixtureSite, serve, valid_id

ON = dt.date(2026, 11, 30)
RULES = default_rules(2026)


def days_ago(n: int) -> dt.date:
    return ON - dt.timedelta(days=n)


def posts(every: int, *, since: int = 0, original_each: int = 1, upto: int = 120) -> list[Post]:
    return [
        Post(
            days_ago(d),
            f"工作动态{d}",
            f"https://mp.example.cn/s/{d}",
            (d // every) % original_each == 0,
        )
        for d in range(since, upto, every)
    ]


def answered(*waits: int) -> list[Message]:
    return [Message(days_ago(60 + i), days_ago(60 + i - w), f"LY{i}") for i, w in enumerate(waits)]


def obs(**kw) -> MediaObservations:
    base = {
        "account": "微信公众号：测试市交通运输局",
        "checked_on": ON,
        "recorded_until": ON,
        "posts": posts(2),
        "messages": answered(1, 2, 0),
    }
    return MediaObservations(**{**base, **kw})


# (records of an account, verdict, vetoes, deductions) as a person applying the indicators
HELD_OUT = [
    ("posts every two days, answers within two days", obs(), Verdict.PASS, set(), {}),
    (
        "last post 20 days ago: a sleeping account",
        obs(posts=posts(3, since=20)),
        Verdict.FAIL,
        {"stale"},
        {},
    ),
    (
        "registered, never posted: an empty shell",
        obs(posts=[]),
        Verdict.FAIL,
        {"stale"},
        {},
    ),
    (
        "quiet for 10 days, three posts a month",
        obs(posts=posts(10, since=10)),
        Verdict.PASS,
        set(),
        {"week_update": 5.0, "frequency": 5.0},
    ),
    (
        "posts daily but only reposts",
        obs(posts=[Post(days_ago(d), f"【转载】{d}", "", False) for d in range(0, 60)]),
        Verdict.PASS,
        set(),
        {"hollow": 10.0},
    ),
    (
        "a message unanswered for 100 days",
        obs(messages=[*answered(1), Message(days_ago(100), None, "LY9")]),
        Verdict.FAIL,
        {"interaction"},
        {},
    ),
    (
        "a message answered after 120 days still counts as unanswered past the limit",
        obs(messages=[Message(days_ago(200), days_ago(80), "LY8")]),
        Verdict.FAIL,
        {"interaction"},
        {},
    ),
    (
        "two replies after 10 and 20 days",
        obs(messages=answered(10, 20, 1)),
        Verdict.PASS,
        set(),
        {"slow_reply": 2.0},
    ),
    ("no way to leave a message", obs(interactive=False), Verdict.FAIL, {"interaction"}, {}),
    (
        "an ID number in a post",
        obs(posts=[Post(ON, "公示", "u", True, f"张三 身份证号 {valid_id()}"), *posts(2)]),
        Verdict.FAIL,
        {"leak"},
        {},
    ),
    (
        "a serious misstatement in a title",
        obs(posts=[Post(ON, "学习中华人民共合国宪法", "u"), *posts(2)]),
        Verdict.FAIL,
        {"serious_error"},
        {},
    ),
    (
        "a typo",
        obs(posts=[Post(ON, "动态", "u", True, "再接再励"), *posts(2)]),
        Verdict.PASS,
        set(),
        {"typos": 1.0},
    ),
    (
        "records end three weeks before the check: cannot say",
        obs(recorded_until=days_ago(21), posts=posts(2, since=21)),
        Verdict.UNKNOWN,
        set(),
        {},
    ),
    (
        "no records at all: cannot say",
        obs(recorded_until=None, posts=[]),
        Verdict.UNKNOWN,
        set(),
        {},
    ),
]


@pytest.mark.parametrize(
    ("case", "records", "verdict", "vetoes", "deducted"), HELD_OUT, ids=[c[0] for c in HELD_OUT]
)
def test_held_out_accounts_are_judged_as_a_person_would(case, records, verdict, vetoes, deducted):
    result = score_media(records, RULES, DEFAULT_WORDS)
    assert result.verdict is verdict
    assert set(result.vetoes) == vetoes
    if not vetoes:  # a vetoed account is not scored
        assert {r.key: r.points for r in result.results if r.outcome.value == "deduct"} == deducted
    for r in result.results:
        if r.outcome.value in ("veto", "deduct"):
            assert r.evidence and all(e.what for e in r.evidence), r.key
    if verdict is not Verdict.FAIL:
        assert result.score == 100 - sum(deducted.values())


def test_a_leak_is_shown_masked_in_the_evidence():
    records = obs(
        posts=[Post(ON, "公示", "https://mp.example.cn/s/1", True, f"身份证号 {valid_id()}")]
    )
    leak = next(r for r in score_media(records, RULES).results if r.key == "leak")
    assert valid_id() not in leak.evidence[0].what and "*" in leak.evidence[0].what
    assert leak.evidence[0].url == "https://mp.example.cn/s/1"


def _account(world, **kw) -> MediaAccount:
    return MediaAccount.objects.create(
        platform="wechat", name="测试市交通运输局", sponsor=world.dept_a, **kw
    )


def _supervisor_client(world) -> Client:
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.supervisor)
    return c


def _post(c: Client, url: str, data: dict) -> object:
    page = c.get(url)
    token = page.cookies["csrftoken"].value
    return c.post(url, {**data, "csrfmiddlewaretoken": token}, follow=True)


@pytest.mark.django_db
def test_records_are_imported_through_the_page_with_row_errors_and_no_double_count(world):
    account = _account(world)
    today = clock.today()
    rows = [
        "平台,账号名称,记录类型,日期,标题,链接,原创,正文,留言编号,回复日期",
        *(
            f"微信公众号,测试市交通运输局,发布,{today - dt.timedelta(days=d)},动态{d},"
            f"https://mp.example.cn/s/{d},是,正文,,"
            for d in range(0, 28, 3)
        ),
        f"微信公众号,测试市交通运输局,留言,{today - dt.timedelta(days=20)},,,,,LY001,"
        f"{today - dt.timedelta(days=18)}",
        "微博,不存在的账号,发布,2026-11-01,标题,,是,,,",
        "微信公众号,测试市交通运输局,发布,十一月一日,标题,,是,,,",
        "微信公众号,测试市交通运输局,发布,2026-11-01,标题,,也许,,,",
    ]
    content = ("\n".join(rows) + "\n").encode("utf-8")
    c = _supervisor_client(world)
    page = _post(
        c, "/backoffice/webcheck/media/", {"file": SimpleUploadedFile("records.csv", content)}
    ).content.decode()
    assert "新增发布 10 条，新增留言 1 条，已有 0 条，有错 3 行" in page
    assert "账号“微博：不存在的账号”不在政务新媒体名录中" in page
    assert "日期“十一月一日”不是日期" in page
    assert "“原创”一栏应填 是/否" in page
    again = _post(
        c, "/backoffice/webcheck/media/", {"file": SimpleUploadedFile("records.csv", content)}
    ).content.decode()
    assert "新增发布 0 条，新增留言 0 条，已有 11 条" in again
    account.refresh_from_db()
    assert account.recorded_until == today
    assert MediaPost.objects.filter(account=account).count() == 10
    # checked from the records: posts every three days, one reply in two days → passes
    done = _post(c, account.get_backoffice_url(), {"action": "check"}).content.decode()
    assert "已按发布和留言记录完成检查" in done
    check = account.checks.get()
    assert check.verdict == "pass" and float(check.score) == 100.0
    report = c.get(check.get_backoffice_url()).content.decode()
    assert "内容不更新（僵尸、睡眠账号）" in report and "合格" in report


@pytest.mark.django_db
def test_an_archive_page_on_loopback_is_read_and_a_quiet_account_gets_tasks(world):
    today = clock.today()
    site = FixtureSite()
    items = (
        "".join(
            f"<li><a href='/s/{d}'>动态{d}</a><span>{today - dt.timedelta(days=d)}</span></li>"
            for d in (16, 19, 25)
        )
        + f"<li class='repost'><a href='/s/r'>【转载】通知</a> {today - dt.timedelta(days=30)}</li>"
    )
    site.html("/history", f"<ul>{items}</ul><ul><li><a href='/about'>关于</a></li></ul>")
    with serve(site) as base:
        account = _account(world, url=f"{base}/history")
        assert pull_archive(account, now=clock.now()) == 4
        assert pull_archive(account, now=clock.now()) == 0
    reposts = MediaPost.objects.filter(account=account, original=False)
    assert list(reposts.values_list("title", flat=True)) == ["【转载】通知"]
    account.refresh_from_db()
    check = media_check(actor=world.supervisor, account=account, now=clock.now())
    assert check.verdict == "fail" and check.vetoes == "stale"
    task = Rectification.objects.get(account=account, indicator="stale")
    assert task.agency == world.dept_a and task.veto and task.site is None
    c = _supervisor_client(world)
    queue = c.get("/backoffice/").content.decode()
    assert "测试市交通运输局：内容不更新" in queue
    assert "微信公众号：测试市交通运输局" in c.get("/backoffice/webcheck/tasks/").content.decode()
    # the account posts again: the re-check closes the task
    MediaPost.objects.create(account=account, key="new", published_on=today, title="新动态")
    again = media_check(actor=world.supervisor, account=account, now=clock.now())
    task.refresh_from_db()
    assert task.state == "closed" and task.closed_by_media == again


@pytest.mark.django_db
def test_an_agency_sees_only_its_own_accounts(world):
    account = _account(world)
    media_check(actor=world.supervisor, account=account, now=clock.now())
    other = Client()
    other.force_login(world.officer_b)
    assert other.get(account.get_backoffice_url()).status_code == 403
    assert "测试市交通运输局" not in other.get("/backoffice/webcheck/media/").content.decode()


@pytest.mark.django_db
def test_the_periodic_work_checks_each_account_once_a_half_month(world):
    from gongkai.apps.webcheck.media import check_due_accounts

    account = _account(world)
    now = clock.now()
    assert check_due_accounts(now=now) == 1
    assert check_due_accounts(now=now + dt.timedelta(days=3)) == 0
    assert check_due_accounts(now=now + dt.timedelta(days=15)) == 1
    assert account.checks.count() == 2
    # no records: could not check, never a pass
    assert {c.verdict for c in account.checks.all()} == {"unknown"}
