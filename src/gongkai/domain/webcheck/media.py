"""政务新媒体 (WeChat official accounts, Weibo, Douyin …) checked from recorded posts.

The platforms have no public pages a crawler may read, so an account is checked from what is
recorded of it: its posts (date, title, original or reposted, text) and the messages left to it
(received, replied), imported from the platform's back-office export or read from an archive
page. ``score_media`` applies the year's ``media_vetoes`` / ``media_deductions`` and returns the
same :class:`~gongkai.domain.webcheck.indicators.Score` a website gets, with the evidence.

- 内容不更新 (veto): no post in the 2 weeks before the check — the 僵尸/睡眠 account of
  国办发〔2018〕123号.
- 互动回应差 (veto): the account offers no way to leave a message, or a valid message of the
  year before the check was left unanswered past the limit.
- 严重表述错误 / 泄露个人信息 (veto): the maintained word list and the privacy detectors on
  the posts' text.
- Deductions: no post within a week, too few posts in the window (更新频率低), a 空壳 account
  (posts in the window almost all reposts), slow replies, 错别字.

No record of the account covering the check day is 无法检查, never a pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from gongkai.domain.privacy import mask_value, scan_text
from gongkai.domain.webcheck.indicators import (
    Evidence,
    IndicatorResult,
    Outcome,
    Score,
    Verdict,
)
from gongkai.domain.webcheck.pages import DATE_RE, parse_dates
from gongkai.domain.webcheck.words import WordEntry, find_words

LEAK_KINDS = {"id_number", "bank_card", "mobile", "passport"}


def media_default_rules() -> dict[str, Any]:
    """The new-media part of a year's rules (merged into ``default_rules``)."""
    return {
        "media_vetoes": {
            "stale": {"label": "内容不更新（僵尸、睡眠账号）", "days": 14},
            "interaction": {"label": "互动回应差", "days": 90, "max_unanswered": 0},
            "serious_error": {"label": "严重表述错误"},
            "leak": {"label": "泄露个人信息"},
        },
        "media_deductions": {
            "week_update": {"label": "一周内无更新", "days": 7, "points": 5},
            "frequency": {
                "label": "更新频率低",
                "window_days": 30,
                "min_posts": 4,
                "points": 5,
            },
            "hollow": {
                "label": "空壳账号（原创内容过少）",
                "window_days": 30,
                "min_original_share": "0.2",
                "points": 10,
            },
            "slow_reply": {"label": "留言回复不及时", "days": 7, "points_each": 1, "max": 5},
            "typos": {"label": "错别字", "points_each": 1, "max": 5},
        },
    }


@dataclass
class Post:
    published_on: dt.date
    title: str
    url: str = ""
    original: bool = True
    text: str = ""


@dataclass
class Message:
    received_on: dt.date
    replied_on: dt.date | None
    number: str = ""


@dataclass
class MediaObservations:
    account: str  # "平台：账号名称"
    checked_on: dt.date
    url: str = ""
    recorded_until: dt.date | None = None  # the records cover the account up to this day
    interactive: bool = True  # the account offers 留言/评论/私信
    posts: list[Post] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


def _in_window(posts: Iterable[Post], on: dt.date, days: int) -> list[Post]:
    since = on - dt.timedelta(days=days)
    return [p for p in posts if since < p.published_on <= on]


def _post_where(post: Post) -> str:
    return f"{post.published_on}《{post.title[:40]}》"


class _MediaScorer:
    def __init__(
        self, obs: MediaObservations, rules: Mapping[str, Any], words: Iterable[WordEntry]
    ) -> None:
        self.obs = obs
        self.on = obs.checked_on
        self.rules = rules
        base = media_default_rules()
        self.v = {**base["media_vetoes"], **rules.get("media_vetoes", {})}
        self.d = {**base["media_deductions"], **rules.get("media_deductions", {})}
        self.results: list[IndicatorResult] = []
        self.posts = [p for p in obs.posts if p.published_on <= self.on]
        self.latest = max((p.published_on for p in self.posts), default=None)
        lag = obs.recorded_until is None or (self.on - obs.recorded_until).days > 3
        self.unknown = (
            ""
            if not lag
            else "没有该账号的发布记录"
            if obs.recorded_until is None
            else f"发布记录只到{obs.recorded_until}，不能判断检查日的情况"
        )
        self.hits: list[tuple[Post, Any]] = []
        self.leaks: list[tuple[Post, str, str]] = []
        year_posts = _in_window(self.posts, self.on, 365)
        word_list = list(words)
        for post in year_posts:
            for hit in find_words(f"{post.title} {post.text}", word_list):
                self.hits.append((post, hit))
            self._scan(post)

    def _scan(self, post: Post) -> None:
        if not post.text or len(self.leaks) >= 50:
            return
        for finding in scan_text(post.text[:50_000]):
            if finding.kind.value in LEAK_KINDS and finding.score >= 0.8:
                self.leaks.append(
                    (post, finding.kind.label, mask_value(finding.kind, finding.text))
                )

    def add(
        self,
        key: str,
        veto: bool,
        outcome: Outcome,
        summary: str,
        evidence: Iterable[Evidence] = (),
        points: float = 0.0,
    ) -> None:
        label = (self.v if veto else self.d)[key]["label"]
        self.results.append(
            IndicatorResult(key, label, veto, outcome, float(points), summary, list(evidence))
        )

    def ev(self, post: Post, what: str) -> Evidence:
        return Evidence(post.url or self.obs.url, self.on, what)

    # --- vetoes ---------------------------------------------------------------------------

    def stale(self) -> None:
        days = int(self.v["stale"]["days"])
        if self.unknown:
            self.add("stale", True, Outcome.UNKNOWN, self.unknown)
        elif self.latest is None or (self.on - self.latest).days > days:
            seen = f"最近一次发布 {self.latest}" if self.latest else "没有任何发布记录（空壳账号）"
            self.add(
                "stale",
                True,
                Outcome.VETO,
                f"检查前{days}天内无更新（{seen}）",
                [Evidence(self.obs.url, self.on, seen)],
            )
        else:
            self.add("stale", True, Outcome.PASS, f"最近一次发布 {self.latest}")

    def late_messages(self) -> tuple[list[Message], list[Message]]:
        """(unanswered past the veto limit, answered later than the reply limit) in the year."""
        limit = int(self.v["interaction"]["days"])
        reply = int(self.d["slow_reply"]["days"])
        since = self.on - dt.timedelta(days=365)
        unanswered, slow = [], []
        for m in self.obs.messages:
            if not since <= m.received_on <= self.on:
                continue
            end = m.replied_on if m.replied_on and m.replied_on <= self.on else None
            waited = ((end or self.on) - m.received_on).days
            if waited > limit:
                unanswered.append(m)
            elif end is not None and waited > reply:
                slow.append(m)
        return unanswered, slow

    @staticmethod
    def msg_what(m: Message, on: dt.date) -> str:
        name = f"留言{m.number}" if m.number else "留言"
        if m.replied_on is None or m.replied_on > on:
            return f"{name}于{m.received_on}收到，至检查日未回复"
        return f"{name}于{m.received_on}收到，{m.replied_on}才回复"

    def interaction(self, unanswered: list[Message]) -> None:
        limit = self.v["interaction"]
        if not self.obs.interactive:
            self.add(
                "interaction",
                True,
                Outcome.VETO,
                "未提供有效互动功能（留言、评论或私信）",
                [Evidence(self.obs.url, self.on, "账号未开通留言、评论或私信")],
            )
        elif self.unknown:
            self.add("interaction", True, Outcome.UNKNOWN, self.unknown)
        elif len(unanswered) > int(limit["max_unanswered"]):
            self.add(
                "interaction",
                True,
                Outcome.VETO,
                f"{len(unanswered)}条有效留言超过{limit['days']}天未回复",
                [
                    Evidence(self.obs.url, self.on, self.msg_what(m, self.on))
                    for m in unanswered[:20]
                ],
            )
        else:
            self.add("interaction", True, Outcome.PASS, f"无超过{limit['days']}天未回复的留言")

    def serious_error(self) -> None:
        serious = [(p, h) for p, h in self.hits if h.serious]
        if self.unknown and not serious:
            self.add("serious_error", True, Outcome.UNKNOWN, self.unknown)
        elif serious:
            self.add(
                "serious_error",
                True,
                Outcome.VETO,
                f"严重表述错误{len(serious)}处",
                [
                    self.ev(p, f"{_post_where(p)}“{h.wrong}”应为“{h.right}”：…{h.context}…")
                    for p, h in serious[:50]
                ],
            )
        else:
            self.add("serious_error", True, Outcome.PASS, "未发现严重表述错误")

    def leak(self) -> None:
        if self.unknown and not self.leaks:
            self.add("leak", True, Outcome.UNKNOWN, self.unknown)
        elif self.leaks:
            self.add(
                "leak",
                True,
                Outcome.VETO,
                f"发现未遮盖的个人信息{len(self.leaks)}处",
                [self.ev(p, f"{_post_where(p)}{kind}：{masked}") for p, kind, masked in self.leaks],
            )
        else:
            self.add("leak", True, Outcome.PASS, "未发现未遮盖的个人信息")

    # --- deductions -----------------------------------------------------------------------

    def week_update(self) -> None:
        item = self.d["week_update"]
        days = int(item["days"])
        if self.unknown:
            self.add("week_update", False, Outcome.UNKNOWN, self.unknown)
        elif self.latest is None or (self.on - self.latest).days > days:
            self.add(
                "week_update",
                False,
                Outcome.DEDUCT,
                f"检查前{days}天内无更新",
                [Evidence(self.obs.url, self.on, f"最近一次发布 {self.latest or '无'}")],
                item["points"],
            )
        else:
            self.add("week_update", False, Outcome.PASS, f"{days}天内有更新")

    def frequency(self) -> None:
        item = self.d["frequency"]
        window, least = int(item["window_days"]), int(item["min_posts"])
        recent = _in_window(self.posts, self.on, window)
        if self.unknown:
            self.add("frequency", False, Outcome.UNKNOWN, self.unknown)
        elif len(recent) < least:
            self.add(
                "frequency",
                False,
                Outcome.DEDUCT,
                f"检查前{window}天发布{len(recent)}条，少于{least}条",
                [Evidence(self.obs.url, self.on, f"{window}天内发布{len(recent)}条")],
                item["points"],
            )
        else:
            self.add("frequency", False, Outcome.PASS, f"{window}天内发布{len(recent)}条")

    def hollow(self) -> None:
        item = self.d["hollow"]
        window, share = int(item["window_days"]), float(item["min_original_share"])
        recent = _in_window(self.posts, self.on, window)
        own = [p for p in recent if p.original]
        if self.unknown:
            self.add("hollow", False, Outcome.UNKNOWN, self.unknown)
        elif recent and len(own) / len(recent) < share:
            reposts = [p for p in recent if not p.original]
            self.add(
                "hollow",
                False,
                Outcome.DEDUCT,
                f"检查前{window}天发布{len(recent)}条，原创{len(own)}条，其余均为转载",
                [self.ev(p, f"{_post_where(p)}为转载") for p in reposts[:10]],
                item["points"],
            )
        else:
            self.add("hollow", False, Outcome.PASS, f"{window}天内原创{len(own)}条")

    def slow_reply(self, slow: list[Message]) -> None:
        item = self.d["slow_reply"]
        if self.unknown and not slow:
            self.add("slow_reply", False, Outcome.UNKNOWN, self.unknown)
        elif slow:
            self.add(
                "slow_reply",
                False,
                Outcome.DEDUCT,
                f"{len(slow)}条留言超过{item['days']}天才回复",
                [Evidence(self.obs.url, self.on, self.msg_what(m, self.on)) for m in slow[:20]],
                min(float(item["max"]), float(item["points_each"]) * len(slow)),
            )
        else:
            self.add("slow_reply", False, Outcome.PASS, f"留言均在{item['days']}天内回复")

    def typos(self) -> None:
        item = self.d["typos"]
        typos = [(p, h) for p, h in self.hits if not h.serious]
        if self.unknown and not typos:
            self.add("typos", False, Outcome.UNKNOWN, self.unknown)
        elif typos:
            self.add(
                "typos",
                False,
                Outcome.DEDUCT,
                f"错别字{len(typos)}处",
                [
                    self.ev(p, f"{_post_where(p)}“{h.wrong}”应为“{h.right}”：…{h.context}…")
                    for p, h in typos[:50]
                ],
                min(float(item["max"]), float(item["points_each"]) * len(typos)),
            )
        else:
            self.add("typos", False, Outcome.PASS, "无")

    def run(self) -> Score:
        unanswered, slow = self.late_messages()
        self.stale()
        self.interaction(unanswered)
        self.serious_error()
        self.leak()
        self.week_update()
        self.frequency()
        self.hollow()
        self.slow_reply(slow)
        self.typos()
        vetoes = [r.key for r in self.results if r.outcome is Outcome.VETO]
        if vetoes:
            return Score(Verdict.FAIL, None, vetoes, self.results)
        total = max(float(self.rules.get("total", 100)) - sum(r.points for r in self.results), 0.0)
        if total < float(self.rules.get("pass_score", 60)):
            verdict = Verdict.FAIL
        elif any(r.outcome is Outcome.UNKNOWN for r in self.results):
            verdict = Verdict.UNKNOWN
        else:
            verdict = Verdict.PASS
        return Score(verdict, round(total, 1), vetoes, self.results)


def score_media(
    obs: MediaObservations, rules: Mapping[str, Any], words: Iterable[WordEntry] = ()
) -> Score:
    """Score one account's records by the year's rules."""
    return _MediaScorer(obs, rules, words).run()


# -- an account's archive page (the platform's 历史消息 list saved or served) -------------


class _ArchiveParser(HTMLParser):
    """Each ``<li>`` with a link: its text, the link and the first date written in it."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.items: list[tuple[str, str, str]] = []  # text, href, data-attributes
        self._depth = 0
        self._text: list[str] = []
        self._href = ""
        self._flags = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "li":
            if not self._depth:
                self._text, self._href, self._flags = [], "", ""
            self._depth += 1
        if self._depth:
            if tag == "a" and a.get("href") and not self._href:
                self._href = urljoin(self.base, a["href"])
            self._flags += " " + " ".join(a.get(k, "") for k in ("class", "data-type"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._depth:
            self._depth -= 1
            if not self._depth and self._href:
                # pieces joined with a space: "动态16" + "2026-11-14" must not run together
                self.items.append((" ".join(" ".join(self._text).split()), self._href, self._flags))

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._text.append(data)


REPOST_MARKS = ("转载", "转发", "repost", "forward")


def read_archive(url: str, html: str, *, today: dt.date) -> list[Post]:
    """Posts listed on an account's archive page: one per list entry with a link and a date
    (entries without a date are not posts that can be dated, and are skipped). An entry marked
    转载/转发 (text or class) is a repost."""
    parser = _ArchiveParser(url)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # a tolerant reader: keep what was parsed
        pass
    posts = []
    for text, href, flags in parser.items:
        days = parse_dates(text, not_after=today)
        if not days:
            continue
        title = DATE_RE.sub("", text).strip(" -—|·")
        marks = f"{text} {flags}".lower()
        original = not any(m in marks for m in REPOST_MARKS)
        posts.append(Post(days[0], title[:200], href, original))
    return posts
