"""The indicators of 《政府网站与政务新媒体检查指标》 (国办秘函〔2019〕19号) as data, and scoring.

A year's rules (:func:`default_rules`, stored per year and adjustable by the administrator) hold
the thresholds of each single-veto item and the point values of the deductions. ``score``
applies them to one site's :class:`Observations` and returns, per indicator, one of 合格 /
单项否决 / 扣分 / 无法检查 with the evidence for every finding.

"Could not check" (无法检查) is its own result: a site whose indicators could not all be
measured is never counted as passing, even with a score above the pass mark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    PASS = "pass"
    VETO = "veto"
    DEDUCT = "deduct"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"pass": "合格", "veto": "单项否决", "deduct": "扣分", "unknown": "无法检查"}[
            self.value
        ]


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"pass": "合格", "fail": "不合格", "unknown": "无法检查"}[self.value]


COLUMN_KINDS = {
    "dynamic": "动态、要闻",
    "notice": "通知公告",
    "policy": "政策文件",
    "other": "其他应更新栏目",
}


def default_rules(year: int) -> dict[str, Any]:
    """The rules a year starts from; thresholds as published, point values adjustable."""
    return {
        "year": year,
        "pass_score": 60,
        "total": 100,
        "rectify_days": 10,
        "vetoes": {
            "unreachable": {
                "label": "站点无法访问",
                "window_days": 7,
                "min_probes_per_day": 20,
                "timeout_seconds": 15,
                "fail_share": "0.05",
            },
            "home_stale": {"label": "首页不更新", "days": 14},
            "columns_stale": {
                "label": "栏目不更新",
                "dynamic_days": 14,
                "notice_days": 183,
                "policy_days": 183,
                "other_days": 365,
                "stale_max": 5,
                "long_stale_max": 10,
                "empty_max": 5,
            },
            "interaction": {"label": "互动回应差", "days": 90, "max_unanswered": 0},
            "serious_error": {"label": "严重表述错误"},
            "leak": {"label": "泄露个人信息"},
        },
        "deductions": {
            "broken_links": {"label": "链接不可用", "points_each": 1, "max": 10},
            "typos": {"label": "错别字", "points_each": 1, "max": 5},
            "external_drift": {"label": "外部链接指向改变", "points_each": 1, "max": 5},
            "stale_columns": {"label": "栏目更新不及时", "points_each": 2, "max": 10},
            "empty_columns": {"label": "空白栏目", "points_each": 2, "max": 10},
            "home_availability": {"label": "首页可用性", "points": 5},
            "site_id": {"label": "未标注政府网站标识码", "points": 2},
            "footer": {"label": "页脚标识不全", "points_each": 1, "max": 4},
        },
        **_media_rules(),
    }


def _media_rules() -> dict[str, Any]:
    # deferred: import cycle (domain.webcheck.media imports domain.webcheck.indicators)
    from gongkai.domain.webcheck.media import media_default_rules

    return media_default_rules()


RULE_PARTS = ("vetoes", "deductions", "media_vetoes", "media_deductions")


def with_defaults(rules: Mapping[str, Any]) -> dict[str, Any]:
    """A stored year's rules completed with the indicators added since it was stored (the
    administrator's values are kept; a new indicator starts from its default)."""
    base = default_rules(int(rules.get("year") or 2000))
    out = {**base, **rules}
    for part in RULE_PARTS:
        have = rules.get(part)
        if isinstance(have, Mapping):
            out[part] = {**base[part], **have}
    return out


class RulesError(ValueError):
    """The year's rules are incomplete or inconsistent (Chinese message)."""


def check_rules(rules: Mapping[str, Any]) -> None:
    base = default_rules(int(rules.get("year") or 2000))
    for part in RULE_PARTS:
        have = rules.get(part)
        if not isinstance(have, Mapping):
            raise RulesError(f"指标缺少“{part}”部分")
        for key, item in base[part].items():
            if key not in have or not isinstance(have[key], Mapping):
                raise RulesError(f"指标缺少“{item['label']}”")
            for name in item:
                if name == "label":
                    continue
                got = have[key].get(name)
                try:
                    number = float(got) if got is not None else -1
                except (TypeError, ValueError):
                    number = -1
                if number < 0:
                    raise RulesError(f"“{item['label']}”的“{name}”应为不小于0的数，现为“{got}”")
    try:
        if not 0 <= float(rules.get("pass_score", -1)) <= 100:
            raise ValueError
    except (TypeError, ValueError):
        raise RulesError("合格分数线应在0到100之间") from None


@dataclass
class Column:
    name: str
    url: str
    kind: str  # key of COLUMN_KINDS
    latest: dt.date | None = None  # newest dated item found (None: no dated item)
    items: int = 0  # entries listed
    reachable: bool = True


@dataclass
class BrokenLink:
    url: str
    parent: str
    status: str  # HTTP status or the error, as seen
    confirmed: bool  # still broken after the retries (not a 403/429/timeout)
    first_seen: dt.date
    text: str = ""


@dataclass
class Evidence:
    url: str
    seen_on: dt.date
    what: str  # what was seen, in Chinese


@dataclass
class Observations:
    """What a check saw on one site (built by the crawler or recorded)."""

    site: str
    checked_on: dt.date
    home_url: str
    crawled: bool  # the crawl reached the home page (False: blocked, robots.txt, no crawl)
    crawl_note: str = ""
    home_latest: dt.date | None = None
    probe_days: int = 0
    probes: int = 0
    probe_failures: int = 0
    columns: list[Column] = field(default_factory=list)
    broken_links: list[BrokenLink] = field(default_factory=list)
    words: list[dict[str, Any]] = field(default_factory=list)  # url, wrong, right, serious, context
    leaks: list[dict[str, Any]] = field(default_factory=list)  # url, kind, masked, context
    drifted: list[dict[str, Any]] = field(default_factory=list)  # url, parent, final (外链变异)
    site_id_shown: bool | None = None
    # what the home page's foot lacks or gets wrong (None: not read): {"item", "what"}
    footer: list[dict[str, str]] | None = None
    unanswered: int | None = None  # letters unanswered past the limit (None: no mailbox data)
    unanswered_evidence: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0


@dataclass
class IndicatorResult:
    key: str
    label: str
    veto: bool  # a single-veto item (else a deduction)
    outcome: Outcome
    points: float = 0.0  # deducted
    summary: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Score:
    verdict: Verdict
    score: float | None  # None when a veto applies (nothing else is scored)
    vetoes: list[str]
    results: list[IndicatorResult]

    @property
    def unknown(self) -> list[str]:
        return [r.key for r in self.results if r.outcome is Outcome.UNKNOWN]


def _days(a: dt.date, b: dt.date | None) -> int | None:
    return None if b is None else (a - b).days


def _column_limit(rules: Mapping[str, Any], kind: str) -> int:
    c = rules["vetoes"]["columns_stale"]
    return int(c.get(f"{kind}_days", c["other_days"]))


def score(obs: Observations, rules: Mapping[str, Any]) -> Score:
    """Score one site's observations by the year's rules."""
    scorer = _Scorer(obs, rules)
    scorer.vetoes()
    scorer.deductions()
    return scorer.verdict()


class _Scorer:
    """One site's scoring: the single vetoes, then the deductions, then the verdict."""

    def __init__(self, obs: Observations, rules: Mapping[str, Any]) -> None:
        self.obs = obs
        self.rules = rules
        self.on = obs.checked_on
        self.v = rules["vetoes"]
        # a year stored before an indicator was added scores it by its default
        self.d = {**default_rules(obs.checked_on.year)["deductions"], **rules["deductions"]}
        self.results: list[IndicatorResult] = []
        self.crawl_unknown = "" if obs.crawled else (obs.crawl_note or "未能抓取首页")
        u = self.v["unreachable"]
        self.need = int(u["min_probes_per_day"]) * int(u["window_days"])
        self.stale: list[Column] = []
        self.long_stale: list[Column] = []
        self.empty: list[Column] = []
        for col in obs.columns:
            if col.reachable and col.items == 0:
                self.empty.append(col)
                continue
            age = _days(self.on, col.latest)
            if age is None or age > _column_limit(rules, col.kind):
                kind = col.kind in ("dynamic", "notice", "policy")
                (self.stale if kind else self.long_stale).append(col)
        self.serious = [w for w in obs.words if w.get("serious")]
        self.typos = [w for w in obs.words if not w.get("serious")]

    def add(
        self,
        key: str,
        veto: bool,
        outcome: Outcome,
        summary: str,
        evidence: Iterable[Evidence] = (),
        points: float = 0.0,
    ) -> None:
        part = self.v if veto else self.d
        self.results.append(
            IndicatorResult(
                key, part[key]["label"], veto, outcome, float(points), summary, list(evidence)
            )
        )

    def col_evidence(self, cols: list[Column]) -> list[Evidence]:
        def seen(col: Column) -> str:
            if col.items == 0:
                return "无内容"
            return f"最新信息 {col.latest}" if col.latest else "信息无发布日期"

        return [
            Evidence(
                col.url,
                self.on,
                f"栏目“{col.name}”" + seen(col) + ("（无法打开）" if not col.reachable else ""),
            )
            for col in cols
        ]

    def word_evidence(self, ws: list[dict[str, Any]]) -> list[Evidence]:
        return [
            Evidence(
                w["url"], self.on, f"“{w['wrong']}”应为“{w['right']}”：…{w.get('context', '')}…"
            )
            for w in ws[:50]
        ]

    # --- single vetoes -------------------------------------------------------------------

    def vetoes(self) -> None:
        self.unreachable()
        self.home_stale()
        self.columns_stale()
        self.interaction()
        self.serious_error()
        self.leak()

    def unreachable(self) -> None:
        """站点无法访问: share of failed probes over the window."""
        obs, u = self.obs, self.v["unreachable"]
        share = obs.probe_failures / obs.probes if obs.probes else 0.0
        if obs.probes < self.need:
            self.add(
                "unreachable",
                True,
                Outcome.UNKNOWN,
                f"监测次数不足：{obs.probe_days}天共{obs.probes}次，应至少{self.need}次",
            )
        elif share >= float(u["fail_share"]):
            self.add(
                "unreachable",
                True,
                Outcome.VETO,
                f"{obs.probes}次访问中{obs.probe_failures}次超过{u['timeout_seconds']}秒无法打开"
                f"（{share:.1%}）",
                [Evidence(obs.home_url, self.on, f"无法访问比例 {share:.1%}")],
            )
        else:
            self.add(
                "unreachable", True, Outcome.PASS, f"{obs.probes}次访问，失败{obs.probe_failures}次"
            )

    def home_stale(self) -> None:
        """首页不更新."""
        obs = self.obs
        limit = int(self.v["home_stale"]["days"])
        if self.crawl_unknown:
            self.add("home_stale", True, Outcome.UNKNOWN, self.crawl_unknown)
            return
        age = _days(self.on, obs.home_latest)
        if age is None or age > limit:
            seen = f"最新日期 {obs.home_latest}" if obs.home_latest else "首页没有标注日期的信息"
            self.add(
                "home_stale",
                True,
                Outcome.VETO,
                f"首页{limit}天内无更新（{seen}）",
                [Evidence(obs.home_url, self.on, seen)],
            )
        else:
            self.add("home_stale", True, Outcome.PASS, f"首页最新信息 {obs.home_latest}")

    def columns_stale(self) -> None:
        """栏目不更新 / 空白栏目."""
        c = self.v["columns_stale"]
        stale, long_stale, empty = self.stale, self.long_stale, self.empty
        if self.crawl_unknown:
            self.add("columns_stale", True, Outcome.UNKNOWN, self.crawl_unknown)
        elif not self.obs.columns:
            self.add("columns_stale", True, Outcome.UNKNOWN, "未登记应更新的栏目")
        elif (
            len(stale) >= int(c["stale_max"])
            or len(long_stale) >= int(c["long_stale_max"])
            or len(empty) >= int(c["empty_max"])
        ):
            self.add(
                "columns_stale",
                True,
                Outcome.VETO,
                f"未按时更新栏目{len(stale)}个、长期未更新{len(long_stale)}个、空白栏目{len(empty)}个",
                self.col_evidence(stale + long_stale + empty),
            )
        else:
            self.add("columns_stale", True, Outcome.PASS, f"检查栏目{len(self.obs.columns)}个")

    def interaction(self) -> None:
        """互动回应差."""
        obs, i = self.obs, self.v["interaction"]
        if obs.unanswered is None:
            self.add("interaction", True, Outcome.UNKNOWN, "没有该网站留言办理数据")
        elif obs.unanswered > int(i["max_unanswered"]):
            self.add(
                "interaction",
                True,
                Outcome.VETO,
                f"{obs.unanswered}件有效留言超过{i['days']}天未答复",
                [
                    Evidence(e.get("url", ""), self.on, e.get("what", ""))
                    for e in obs.unanswered_evidence[:20]
                ],
            )
        else:
            self.add("interaction", True, Outcome.PASS, f"无超过{i['days']}天未答复的留言")

    def serious_error(self) -> None:
        if self.crawl_unknown:
            self.add("serious_error", True, Outcome.UNKNOWN, self.crawl_unknown)
        elif self.serious:
            self.add(
                "serious_error",
                True,
                Outcome.VETO,
                f"严重表述错误{len(self.serious)}处",
                self.word_evidence(self.serious),
            )
        else:
            self.add("serious_error", True, Outcome.PASS, "未发现严重表述错误")

    def leak(self) -> None:
        obs = self.obs
        if self.crawl_unknown:
            self.add("leak", True, Outcome.UNKNOWN, self.crawl_unknown)
        elif obs.leaks:
            self.add(
                "leak",
                True,
                Outcome.VETO,
                f"发现未遮盖的个人信息{len(obs.leaks)}处",
                [
                    Evidence(
                        x["url"],
                        self.on,
                        f"{x.get('kind_label', x['kind'])}：{x.get('masked', '')}",
                    )
                    for x in obs.leaks[:50]
                ],
            )
        else:
            self.add("leak", True, Outcome.PASS, "未发现未遮盖的个人信息")

    # --- deductions ----------------------------------------------------------------------

    def per_item(self, key: str, count: int, summary: str, evidence: list[Evidence]) -> None:
        item = self.d[key]
        points = min(float(item["max"]), float(item["points_each"]) * count)
        if self.crawl_unknown:
            self.add(key, False, Outcome.UNKNOWN, self.crawl_unknown)
        elif count:
            self.add(key, False, Outcome.DEDUCT, summary, evidence, points)
        else:
            self.add(key, False, Outcome.PASS, "无")

    def deductions(self) -> None:
        obs, on = self.obs, self.on
        confirmed = [b for b in obs.broken_links if b.confirmed]
        self.per_item(
            "broken_links",
            len(confirmed),
            f"确定不可用链接{len(confirmed)}个（另有疑似不可用"
            f"{len(obs.broken_links) - len(confirmed)}个，不扣分）",
            [
                Evidence(
                    b.url,
                    on,
                    f"{b.status}；所在页面 {b.parent}；连续不可用{(on - b.first_seen).days + 1}天",
                )
                for b in confirmed[:100]
            ],
        )
        self.per_item(
            "typos", len(self.typos), f"错别字{len(self.typos)}处", self.word_evidence(self.typos)
        )
        self.per_item(
            "external_drift",
            len(obs.drifted),
            f"外部链接{len(obs.drifted)}个跳转到其他网站（外链变异）",
            [
                Evidence(x["url"], on, f"所在页面 {x['parent']}；现跳转至 {x['final']}")
                for x in obs.drifted[:50]
            ],
        )
        self.per_item(
            "stale_columns",
            len(self.stale),
            f"栏目更新不及时{len(self.stale)}个",
            self.col_evidence(self.stale),
        )
        self.per_item(
            "empty_columns",
            len(self.empty),
            f"空白栏目{len(self.empty)}个",
            self.col_evidence(self.empty),
        )
        self.home_availability()
        self.site_id()
        self.footer()

    def home_availability(self) -> None:
        obs = self.obs
        if obs.probes < self.need:
            self.add("home_availability", False, Outcome.UNKNOWN, "监测次数不足")
        elif obs.probe_failures:
            self.add(
                "home_availability",
                False,
                Outcome.DEDUCT,
                f"首页{obs.probes}次访问失败{obs.probe_failures}次",
                [Evidence(obs.home_url, self.on, f"失败{obs.probe_failures}次")],
                self.d["home_availability"]["points"],
            )
        else:
            self.add("home_availability", False, Outcome.PASS, "首页访问均成功")

    def site_id(self) -> None:
        obs = self.obs
        if obs.site_id_shown is None:
            self.add("site_id", False, Outcome.UNKNOWN, self.crawl_unknown or "未读取页面")
        elif not obs.site_id_shown:
            self.add(
                "site_id",
                False,
                Outcome.DEDUCT,
                "首页未标注政府网站标识码（SiteIDCode 元标签或页脚）",
                [Evidence(obs.home_url, self.on, "未见政府网站标识码")],
                self.d["site_id"]["points"],
            )
        else:
            self.add("site_id", False, Outcome.PASS, "已标注")

    def footer(self) -> None:
        obs = self.obs
        item = self.d["footer"]
        if obs.footer is None:
            self.add("footer", False, Outcome.UNKNOWN, self.crawl_unknown or "未读取首页页脚")
        elif obs.footer:
            self.add(
                "footer",
                False,
                Outcome.DEDUCT,
                "首页页脚缺少或写错：" + "、".join(dict.fromkeys(p["item"] for p in obs.footer)),
                [Evidence(obs.home_url, self.on, p["what"]) for p in obs.footer],
                min(float(item["max"]), float(item["points_each"]) * len(obs.footer)),
            )
        else:
            self.add(
                "footer", False, Outcome.PASS, "党政机关标识、ICP备案号、公安备案号、主办单位齐全"
            )

    # --- verdict -------------------------------------------------------------------------

    def verdict(self) -> Score:
        results = self.results
        vetoes = [r.key for r in results if r.outcome is Outcome.VETO]
        if vetoes:
            return Score(Verdict.FAIL, None, vetoes, results)
        total = max(float(self.rules.get("total", 100)) - sum(r.points for r in results), 0.0)
        if total < float(self.rules["pass_score"]):
            verdict = Verdict.FAIL
        elif any(r.outcome is Outcome.UNKNOWN for r in results):
            verdict = Verdict.UNKNOWN
        else:
            verdict = Verdict.PASS
        return Score(verdict, round(total, 1), vetoes, results)


def observations_to_json(obs: Observations) -> dict[str, Any]:
    def conv(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list):
            return [conv(x) for x in value]
        if isinstance(value, dict):
            return {k: conv(x) for k, x in value.items()}
        if hasattr(value, "__dataclass_fields__"):
            return {k: conv(getattr(value, k)) for k in value.__dataclass_fields__}
        return value

    result: dict[str, Any] = conv(obs)
    return result


def observations_from_json(data: Mapping[str, Any]) -> Observations:
    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    fields = dict(data)
    fields["checked_on"] = day(data["checked_on"])
    fields["home_latest"] = day(data.get("home_latest"))
    fields["columns"] = [
        Column(**{**c, "latest": day(c.get("latest"))}) for c in data.get("columns", [])
    ]
    fields["broken_links"] = [
        BrokenLink(**{**b, "first_seen": day(b["first_seen"])})
        for b in data.get("broken_links", [])
    ]
    return Observations(**fields)


def score_to_json(s: Score) -> dict[str, Any]:
    return {
        "verdict": s.verdict.value,
        "score": s.score,
        "vetoes": s.vetoes,
        "results": [
            {
                "key": r.key,
                "label": r.label,
                "veto": r.veto,
                "outcome": r.outcome.value,
                "points": r.points,
                "summary": r.summary,
                "evidence": [
                    {"url": e.url, "seen_on": e.seen_on.isoformat(), "what": e.what}
                    for e in r.evidence
                ],
            }
            for r in s.results
        ],
    }


# how the pages and exports name a verdict and a check's vetoes
VETO_LABELS = {
    "unreachable": "站点无法访问",
    "home_stale": "首页不更新",
    "columns_stale": "栏目不更新",
    "interaction": "互动回应差",
    "serious_error": "严重表述错误",
    "leak": "泄露个人信息",
    "stale": "内容不更新",
}
# the vetoes of a website check (the last one above is a new-media account's)
SITE_VETOES = ("unreachable", "home_stale", "columns_stale", "interaction", "serious_error", "leak")


def verdict_label(value: str) -> str:
    try:
        return Verdict(value).label
    except ValueError:
        return "未检查"


def veto_text(vetoes: str) -> str:
    return "、".join(VETO_LABELS.get(v, v) for v in vetoes.split(",") if v)
