"""Scoring by the indicators (pure): thresholds, vetoes, deductions, could-not-check."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.domain.webcheck.indicators import (
    BrokenLink,
    Column,
    Observations,
    RulesError,
    Verdict,
    check_rules,
    default_rules,
    observations_from_json,
    observations_to_json,
    score,
)

ON = dt.date(2026, 11, 30)
RULES = default_rules(2026)


def good(**changes) -> Observations:
    obs = Observations(
        site="1399000001",
        checked_on=ON,
        home_url="http://x.gov.cn/",
        crawled=True,
        home_latest=ON - dt.timedelta(days=2),
        probe_days=7,
        probes=7 * 48,
        probe_failures=0,
        columns=[
            Column("要闻", "http://x.gov.cn/yw/", "dynamic", ON - dt.timedelta(days=3), 20),
            Column("通知公告", "http://x.gov.cn/tz/", "notice", ON - dt.timedelta(days=60), 20),
        ],
        site_id_shown=True,
        footer=[],
        unanswered=0,
    )
    for k, v in changes.items():
        setattr(obs, k, v)
    return obs


def outcome(result, key):
    return next(r for r in result.results if r.key == key).outcome.value


def test_a_site_in_order_passes_with_full_marks():
    result = score(good(), RULES)
    assert result.verdict is Verdict.PASS and result.score == 100


def test_home_page_stale_past_two_weeks_is_a_veto_and_fourteen_days_is_not():
    assert score(good(home_latest=ON - dt.timedelta(days=14)), RULES).verdict is Verdict.PASS
    result = score(good(home_latest=ON - dt.timedelta(days=15)), RULES)
    assert result.verdict is Verdict.FAIL and result.vetoes == ["home_stale"]
    assert result.score is None  # nothing else is scored
    undated = score(good(home_latest=None), RULES)
    assert "home_stale" in undated.vetoes  # an item without a date counts as not updated


def test_unreachable_share_of_five_percent_vetoes():
    probes = 7 * 20
    assert "unreachable" in score(good(probes=probes, probe_failures=7), RULES).vetoes
    below = score(good(probes=probes, probe_failures=6), RULES)
    assert "unreachable" not in below.vetoes
    assert outcome(below, "home_availability") == "deduct"


def test_too_few_probes_cannot_be_judged_and_never_passes():
    result = score(good(probes=100), RULES)
    assert outcome(result, "unreachable") == "unknown"
    assert result.verdict is Verdict.UNKNOWN
    assert result.score == 100  # the score stands, but it is not a pass


def test_five_stale_dynamic_or_notice_columns_veto_four_deduct():
    def cols(n):
        return [
            Column(f"动态{i}", f"http://x.gov.cn/d{i}/", "dynamic", ON - dt.timedelta(days=20), 5)
            for i in range(n)
        ]

    four = score(good(columns=cols(4)), RULES)
    assert four.verdict is Verdict.PASS and four.score == 92
    five = score(good(columns=cols(5)), RULES)
    assert five.vetoes == ["columns_stale"]
    ev = next(r for r in five.results if r.key == "columns_stale").evidence
    assert len(ev) == 5 and ev[0].url == "http://x.gov.cn/d0/" and "2026-11-10" in ev[0].what


def test_notice_columns_have_six_months():
    ok = Column("通知公告", "u", "notice", ON - dt.timedelta(days=180), 3)
    old = Column("通知公告", "u", "notice", ON - dt.timedelta(days=200), 3)
    assert outcome(score(good(columns=[ok]), RULES), "stale_columns") == "pass"
    assert outcome(score(good(columns=[old]), RULES), "stale_columns") == "deduct"


def test_five_empty_columns_veto():
    empty = [Column(f"空{i}", f"u{i}", "other", None, 0) for i in range(5)]
    assert "columns_stale" in score(good(columns=empty), RULES).vetoes
    assert "columns_stale" not in score(good(columns=empty[:4]), RULES).vetoes


def test_unanswered_letters_leak_and_serious_error_veto():
    assert score(
        good(unanswered=1, unanswered_evidence=[{"url": "", "what": "信件"}]), RULES
    ).vetoes == ["interaction"]
    assert score(good(unanswered=None), RULES).verdict is Verdict.UNKNOWN
    leak = [{"url": "http://x.gov.cn/a.xlsx", "kind": "id_number", "masked": "1399**"}]
    assert score(good(leaks=leak), RULES).vetoes == ["leak"]
    serious = [{"url": "u", "wrong": "中华人民共合国", "right": "中华人民共和国", "serious": True}]
    assert score(good(words=serious), RULES).vetoes == ["serious_error"]


def test_only_confirmed_broken_links_are_deducted_and_capped():
    links = [
        BrokenLink(f"http://x.gov.cn/{i}", "p", "404", True, ON - dt.timedelta(days=3))
        for i in range(30)
    ]
    links.append(BrokenLink("http://y.org/", "p", "429", False, ON))
    result = score(good(broken_links=links), RULES)
    row = next(r for r in result.results if r.key == "broken_links")
    assert row.points == 10 and result.score == 90
    assert "连续不可用4天" in row.evidence[0].what


def test_an_uncrawlable_site_is_could_not_check():
    result = score(good(crawled=False, crawl_note="robots.txt 不允许抓取首页"), RULES)
    assert result.verdict is Verdict.UNKNOWN
    assert outcome(result, "leak") == "unknown"


def test_rules_are_data_and_a_change_changes_the_judgement():
    rules = default_rules(2027)
    rules["vetoes"]["home_stale"]["days"] = 30
    assert score(good(home_latest=ON - dt.timedelta(days=20)), rules).verdict is Verdict.PASS
    rules["pass_score"] = 95
    rules["deductions"]["site_id"]["points"] = 6
    assert score(good(site_id_shown=False), rules).verdict is Verdict.FAIL
    check_rules(rules)
    del rules["vetoes"]["leak"]
    with pytest.raises(RulesError, match="泄露个人信息"):
        check_rules(rules)
    bad = default_rules(2027)
    bad["deductions"]["typos"]["points_each"] = "x"
    with pytest.raises(RulesError, match="错别字"):
        check_rules(bad)


def test_observations_round_trip_through_json():
    obs = good(broken_links=[BrokenLink("u", "p", "404", True, ON)])
    assert observations_from_json(observations_to_json(obs)) == obs
