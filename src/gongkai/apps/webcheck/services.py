"""Writes of the webcheck context: registry and its import, indicators, checks (a job),
availability probes, samples (verifiable draws) and rectification tasks."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F

from gongkai import clock
from gongkai.apps.accounts.models import user_or_none
from gongkai.apps.accounts.permissions import is_admin, is_supervisor
from gongkai.apps.audit.frame import Actor, transition
from gongkai.apps.audit.services import SYSTEM, SystemActor, audit_record
from gongkai.apps.jobs.services import is_transient, job_enqueue
from gongkai.apps.mailbox.models import OPEN_STATUSES, Letter
from gongkai.apps.organizations.models import Agency
from gongkai.apps.webcheck.errors import WebcheckError
from gongkai.apps.webcheck.models import (
    BrokenLinkSeen,
    Check,
    IndicatorSet,
    MediaAccount,
    MediaPlatform,
    ProbeDay,
    Rectification,
    Sample,
    Site,
    SiteLevel,
    SiteStatus,
    WordEntry,
)
from gongkai.apps.webcheck.permissions import can_manage
from gongkai.apps.workcalendar.selectors import calendar_current
from gongkai.documents.extract import extract_plain_text, is_supported
from gongkai.documents.table import TableError, text_rows
from gongkai.domain.draws.record import build_record, commitment_hash
from gongkai.domain.draws.sources import SourceError, SourceKind, SourceSpec
from gongkai.domain.privacy import mask_value, scan_text
from gongkai.domain.webcheck.indicators import (
    COLUMN_KINDS,
    BrokenLink,
    Column,
    Observations,
    Outcome,
    RulesError,
    check_rules,
    default_rules,
    observations_from_json,
    observations_to_json,
    score,
    score_to_json,
    with_defaults,
)
from gongkai.domain.webcheck.pages import footer_problems
from gongkai.domain.webcheck.sampling import build_sample_commitment, drawn_sites
from gongkai.domain.webcheck.states import (
    CHECK_STATES,
    RECTIFY_STATES,
    SAMPLE_STATES,
    CheckState,
    RectifyState,
    WebcheckAction,
)
from gongkai.domain.webcheck.words import DEFAULT_WORDS, find_words
from gongkai.domain.webcheck.words import WordEntry as WordRule
from gongkai.registry import DueSource, job_kinds

SITE_FIELDS = (
    "name",
    "site_code",
    "domain",
    "home_url",
    "icp",
    "sponsor_id",
    "operator_id",
    "level",
    "status",
    "status_approval",
    "columns",
)
SITE_CODE_RE = re.compile(r"^(?:\d{10}|bm\d{8})$")


# -- registry ------------------------------------------------------------------------------


def _refuse(message: str) -> WebcheckError:
    return WebcheckError(message)


def site_save(*, actor: Actor, site: Site | None = None, **values: Any) -> Site:
    """Create or update a site; values are model fields (sponsor/operator as Agency)."""
    action = WebcheckAction.SITE_UPDATE if site and site.pk else WebcheckAction.SITE_CREATE
    obj = site or Site()
    with transition(
        actor=actor,
        obj=obj,
        action=action,
        fields=SITE_FIELDS,
        may=lambda a, _o: isinstance(a, SystemActor) or can_manage(a),
        refuse=_refuse,
        agency_id=getattr(values.get("operator"), "pk", None) or obj.operator_id,
    ) as step:
        for name, value in values.items():
            setattr(step.obj, name, value)
    return step.obj


HEADERS = {
    "kind": ("类型", "名录类型"),
    "name": ("网站名称", "名称", "账号名称"),
    "site_code": ("网站标识码", "标识码"),
    "domain": ("域名",),
    "home_url": ("首页地址", "首页", "网址", "主页地址"),
    "icp": ("icp备案号", "icp备案", "备案号"),
    "sponsor": ("主办单位",),
    "operator": ("承办单位", "运维单位", "承办（运维）单位"),
    "level": ("网站类别", "类别"),
    "status": ("状态",),
    "status_approval": ("批复", "开设/整合/关停批复", "批复文件"),
    "columns": ("应更新栏目", "栏目"),
    "platform": ("平台",),
    "account_id": ("账号id", "账号"),
}
REQUIRED = ("name", "sponsor")


@dataclass
class ImportStats:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len({line for line, _ in self.errors})


def _norm(text: Any) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip()


def read_rows(content: bytes, file_name: str) -> Iterator[list[str]]:
    """Rows of a CSV (UTF-8 or GBK) or XLSX file, header first, through the one table reader
    (documents.table: sniffed, size and expansion limits, encodings, line numbers)."""
    if not file_name.lower().endswith((".csv", ".txt", ".xlsx")):
        raise WebcheckError("只支持 CSV 或 XLSX 文件")
    if not content:
        raise WebcheckError("上传的文件是空的")
    try:
        yield from text_rows(file_name, content)
    except TableError as exc:
        raise WebcheckError(str(exc)) from exc


def _choice(value: str, choices: Any, what: str, default: str | None = None) -> str:
    value = _norm(value)
    if not value and default is not None:
        return default
    for key, label in choices:
        if value in (key, label):
            return str(key)
    raise ValueError(f"{what}“{value}”不是可选值（{'、'.join(label for _, label in choices)}）")


def parse_columns(text: str, home_url: str) -> list[dict[str, str]]:
    """``要闻动态|/ywdt/|dynamic；通知公告|/tzgg/|notice`` → column dicts."""
    out = []
    for part in re.split(r"[;；\n]+", _norm(text)):
        if not part.strip():
            continue
        bits = [b.strip() for b in re.split(r"[|｜]", part)]
        if len(bits) < 2:
            raise ValueError(f"栏目“{part}”应写作 名称|地址|类型")
        name, url = bits[0], bits[1]
        kind = bits[2] if len(bits) > 2 and bits[2] else "other"
        kinds = {**{k: k for k in COLUMN_KINDS}, **{v: k for k, v in COLUMN_KINDS.items()}}
        if kind not in kinds:
            raise ValueError(f"栏目“{name}”的类型“{kind}”应为 {'、'.join(COLUMN_KINDS)}")
        from urllib.parse import urljoin

        out.append({"name": name, "url": urljoin(home_url, url), "kind": kinds[kind]})
    return out


def _agency(name: str, cache: dict[str, Agency | None]) -> Agency:
    name = _norm(name)
    if name not in cache:
        cache[name] = (
            Agency.objects.filter(name=name).first()
            or Agency.objects.filter(short_name=name).first()
        )
    agency = cache[name]
    if agency is None:
        raise ValueError(f"单位“{name}”不在机关名录中")
    return agency


def import_registry(
    *, actor: Actor, content: bytes, file_name: str, now: dt.datetime
) -> ImportStats:
    """Import sites and 政务新媒体 accounts. Rows with errors are reported (line, message) and
    skipped; the good rows are stored; nothing already stored is lost."""
    if not can_manage(actor):
        raise WebcheckError("您没有权限导入网站名录")
    rows = read_rows(content, file_name)
    try:
        header = next(rows)
    except StopIteration:
        raise WebcheckError("文件没有内容") from None
    names = [_norm(h).lower() for h in header]
    columns: dict[str, int] = {}
    for key, aliases in HEADERS.items():
        for alias in aliases:
            if alias.lower() in names:
                columns[key] = names.index(alias.lower())
                break
    missing = [HEADERS[k][0] for k in REQUIRED if k not in columns]
    if missing:
        raise WebcheckError(f"表头缺少列：{'、'.join(missing)}（第一行应为列名）")
    stats = ImportStats()
    agencies: dict[str, Agency | None] = {}
    for line, cells in enumerate(rows, start=2):
        if not any(_norm(c) for c in cells):
            continue
        stats.rows += 1

        def get(key: str, cells: list[str] = cells) -> str:
            at = columns.get(key)
            return _norm(cells[at]) if at is not None and at < len(cells) else ""

        try:
            with transaction.atomic():
                created = _import_row(actor, get, agencies)
        except (ValueError, WebcheckError) as exc:
            stats.errors.append((line, str(exc)))
            continue
        if created:
            stats.created += 1
        else:
            stats.updated += 1
    audit_record(
        actor=actor,
        action=WebcheckAction.REGISTRY_IMPORT,
        object_type="webcheck.registry",
        object_id=file_name[:100],
        after={
            "file_name": file_name,
            "rows": stats.rows,
            "created": stats.created,
            "updated": stats.updated,
            "failed": stats.failed,
            "at": now.isoformat(),
        },
    )
    return stats


def _import_row(actor: Actor, get: Any, agencies: dict[str, Agency | None]) -> bool:
    kind = get("kind")
    is_account = kind in ("新媒体", "政务新媒体", "account") or (
        bool(get("platform")) and not get("site_code")
    )
    name = get("name")
    if not name:
        raise ValueError("名称为空")
    sponsor = _agency(get("sponsor"), agencies)
    status = _choice(get("status"), SiteStatus.choices, "状态", SiteStatus.OPEN)
    approval = get("status_approval")
    if status != SiteStatus.OPEN and not approval:
        raise ValueError("整合或关停的网站、账号应填写批复")
    if is_account:
        platform = _choice(get("platform"), MediaPlatform.choices, "平台")
        account = MediaAccount.objects.filter(platform=platform, name=name).first()
        created = account is None
        account = account or MediaAccount(platform=platform, name=name)
        with transition(
            actor=actor,
            obj=account,
            action=WebcheckAction.ACCOUNT_CREATE if created else WebcheckAction.ACCOUNT_UPDATE,
            fields=("platform", "name", "account_id", "sponsor_id", "status", "url"),
            agency_id=sponsor.pk,
        ) as step:
            step.obj.account_id = get("account_id")[:100]
            step.obj.sponsor = sponsor
            step.obj.status = status
            step.obj.status_approval = approval[:200]
            step.obj.url = get("home_url")[:300]
        return created
    code = get("site_code")
    if not SITE_CODE_RE.match(code):
        raise ValueError(f"网站标识码“{code}”应为10位数字或“bm”加8位数字")
    home = get("home_url")
    if not home.startswith(("http://", "https://")):
        home = f"https://{home or get('domain')}/"
    host = urlsplit(home).hostname or ""
    if not host:
        raise ValueError("首页地址无效")
    operator = _agency(get("operator") or get("sponsor"), agencies)
    level = _choice(get("level"), SiteLevel.choices, "网站类别", SiteLevel.DEPARTMENT)
    cols = parse_columns(get("columns"), home) if get("columns") else []
    site = Site.objects.filter(site_code=code).first()
    created = site is None
    site_save(
        actor=actor,
        site=site,
        name=name[:100],
        site_code=code,
        domain=get("domain") or host,
        home_url=home,
        icp=get("icp")[:60],
        sponsor=sponsor,
        operator=operator,
        level=level,
        status=status,
        status_approval=approval[:200],
        columns=cols or (site.columns if site else []),
    )
    return created


# -- indicators and words ------------------------------------------------------------------


def rules_for(year: int) -> dict[str, Any]:
    row = IndicatorSet.objects.filter(year=year).first()
    return with_defaults(row.rules) if row else default_rules(year)


def rules_set(*, actor: Actor, year: int, rules: dict[str, Any]) -> IndicatorSet:
    if not (is_admin(actor) or is_supervisor(actor)):
        raise WebcheckError("只有市公开办或系统管理员可以调整检查指标")
    rules = {**rules, "year": year}
    try:
        check_rules(rules)
    except RulesError as exc:
        raise WebcheckError(str(exc)) from exc
    row = IndicatorSet.objects.filter(year=year).first() or IndicatorSet(year=year)
    with transition(
        actor=actor, obj=row, action=WebcheckAction.RULES_SET, fields=("rules",)
    ) as step:
        step.obj.rules = rules
    return step.obj


def word_rules() -> list[WordRule]:
    if not WordEntry.objects.exists():
        return list(DEFAULT_WORDS)
    return [
        WordRule(w.wrong, w.right, w.serious)
        for w in WordEntry.objects.filter(active=True).order_by("wrong")
    ]


# -- availability probes -------------------------------------------------------------------


def probe_record(site: Site, *, on: dt.date, ok: bool) -> None:
    row, _ = ProbeDay.objects.get_or_create(site=site, day=on)
    ProbeDay.objects.filter(pk=row.pk).update(
        probes=F("probes") + 1, failures=F("failures") + (0 if ok else 1)
    )


async def _probe(urls: list[tuple[int, str]], timeout: float) -> dict[int, bool]:
    import httpx

    out: dict[int, bool] = {}
    sem = asyncio.Semaphore(8)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, trust_env=False) as c:

        async def one(pk: int, url: str) -> None:
            async with sem:
                try:
                    r = await c.get(url, headers={"User-Agent": "gongkai-webcheck/1.0"})
                    out[pk] = r.status_code < 400
                except httpx.HTTPError:
                    out[pk] = False

        await asyncio.gather(*(one(pk, u) for pk, u in urls))
    return out


def probe_all_sites(*, now: dt.datetime) -> int:
    """One availability visit to every open site (the scheduler runs it every 30 minutes:
    48 spaced visits a day, above the indicators' 20). A visit failing to open within the
    timeout counts against the site."""
    sites = list(Site.objects.filter(status=SiteStatus.OPEN).values_list("pk", "home_url"))
    if not sites:
        return 0
    timeout = float(rules_for(now.year)["vetoes"]["unreachable"]["timeout_seconds"])
    results = asyncio.run(_probe(sites, timeout))
    on = clock.local_date(now)
    for site in Site.objects.filter(pk__in=results):
        probe_record(site, on=on, ok=results[site.pk])
    return len(results)


# -- checks --------------------------------------------------------------------------------


def check_start(
    *,
    actor: Actor,
    site: Site,
    now: dt.datetime,
    reason: str = Check.Reason.MANUAL,
    sample: Sample | None = None,
) -> Check:
    """Queue a check of ``site`` as a background job (never crawled inside a request)."""
    if not isinstance(actor, SystemActor) and not can_manage(actor):
        raise WebcheckError("您没有权限发起网站检查")
    on = clock.local_date(now)
    with transaction.atomic():
        check = Check.objects.create(
            site=site,
            sample=sample,
            reason=reason,
            checked_on=on,
            year=on.year,
            created_by=user_or_none(actor),
        )
        audit_record(
            actor=actor,
            action=WebcheckAction.CHECK_START,
            obj=check,
            agency_id=site.operator_id,
            after={"site": site.site_code, "reason": reason},
        )
        job = job_enqueue(
            kind="webcheck.check",
            title=f"网站检查：{site.name}",
            params={"check_id": check.pk},
            actor=actor,
            agency=site.operator,
        )
        Check.objects.filter(pk=check.pk).update(job_id=job.pk)
    return check


@dataclass
class CrawlSettings:
    """Politeness and bounds for the checks of this installation (overridable per call)."""

    max_depth: int = 3
    max_pages: int = 2000
    rate: float = 10.0
    per_host: int = 4
    retries: int = 2
    retry_delay: float = 2.0
    timeout: float = 15.0
    check_external: bool = True


CRAWL = CrawlSettings()
LEAK_KINDS = {"id_number", "bank_card", "mobile", "passport"}


class ObservationBuilder:
    """Turns the crawler's stream of pages and links into one site's observations, keeping
    only what the indicators need (dates per column, counts, findings with evidence)."""

    def __init__(self, site: Site, on: dt.date, words: list[WordRule]) -> None:
        self.site = site
        self.on = on
        self.words = words
        self.columns = {
            c["url"].rstrip("/"): Column(
                c["name"], c["url"], c.get("kind", "other"), reachable=False
            )
            for c in site.columns
        }
        self.obs = Observations(
            site=site.site_code, checked_on=on, home_url=site.home_url, crawled=False
        )
        self.home = site.home_url.rstrip("/")
        self._word_seen: set[str] = set()
        # read here: the crawler's callbacks run inside its event loop, where no query may run
        self.sponsor_names = [site.sponsor.name, site.sponsor.short_name]

    def page(self, result: Any) -> None:
        url = result.url.rstrip("/")
        page = result.page
        if url == self.home:
            if page is not None:
                self.obs.crawled = True
                self.obs.home_latest = page.latest
                code = self.site.site_code
                self.obs.site_id_shown = page.meta.get("siteidcode") == code or code in page.text
                self.obs.footer = footer_problems(
                    page,
                    site_code=code,
                    icp=self.site.icp,
                    sponsor_names=self.sponsor_names,
                )
            elif result.error or result.status >= 400:
                self.obs.crawl_note = f"首页无法打开（{result.error or result.status}）"
        if page is None:
            if result.status >= 400 or result.error:
                self.link_failed(
                    result.url, result.parent, result.error or str(result.status), result.confirmed
                )
            return
        self.obs.pages += 1
        col = self.columns.get(url)
        if col is not None:
            col.reachable = True
            col.items = page.list_items
            col.latest = page.latest
        for hit in find_words(page.text, self.words):
            key = f"{hit.wrong}@{result.url}"
            if key not in self._word_seen and len(self.obs.words) < 200:
                self._word_seen.add(key)
                self.obs.words.append(
                    {
                        "url": result.url,
                        "wrong": hit.wrong,
                        "right": hit.right,
                        "serious": hit.serious,
                        "context": hit.context,
                    }
                )
        self.scan_privacy(result.url, page.text)

    def scan_privacy(self, url: str, text: str) -> None:
        if len(self.obs.leaks) >= 200 or not text:
            return
        for finding in scan_text(text[:200_000]):
            if finding.kind.value not in LEAK_KINDS or finding.score < 0.8:
                continue
            self.obs.leaks.append(
                {
                    "url": url,
                    "kind": finding.kind.value,
                    "kind_label": finding.kind.label,
                    "masked": mask_value(finding.kind, finding.text),
                }
            )

    def attachment(self, url: str, parent: str, body: bytes) -> None:
        name = urlsplit(url).path.rsplit("/", 1)[-1] or "attachment"
        if not is_supported(name):
            return
        try:
            text = extract_plain_text(name, body)
        except Exception:  # a damaged attachment is not a leak; it is skipped
            return
        self.scan_privacy(url, text)

    def link(self, result: Any) -> None:
        if result.ok and result.final_url:
            start = (urlsplit(result.url).hostname or "").lower()
            end = (urlsplit(result.final_url).hostname or "").lower()
            site_host = (urlsplit(self.site.home_url).hostname or "").lower()
            if (
                start != site_host
                and end
                and _registrable(end) != _registrable(start)
                and len(self.obs.drifted) < 200
            ):
                self.obs.drifted.append(
                    {"url": result.url, "parent": result.parent, "final": result.final_url}
                )
        if not result.ok:
            self.link_failed(
                result.url, result.parent, result.status, result.confirmed, result.text
            )

    def link_failed(
        self, url: str, parent: str, status: str, confirmed: bool, text: str = ""
    ) -> None:
        if url.rstrip("/") in self.columns:
            self.columns[url.rstrip("/")].reachable = False
        if len(self.obs.broken_links) < 1000:
            self.obs.broken_links.append(
                BrokenLink(url, parent, status, confirmed, self.on, text[:100])
            )

    def finish(self) -> Observations:
        self.obs.columns = list(self.columns.values())
        for col in self.obs.columns:
            if not col.reachable:
                col.items = 0
        return self.obs


def _registrable(host: str) -> str:
    """The last two labels (three under .gov.cn, .com.cn …): a redirect from www.x.gov.cn to
    x.gov.cn is not a drift, one to another domain is."""
    parts = host.split(".")
    keep = 3 if len(parts) >= 3 and parts[-2] in ("gov", "com", "org", "net", "edu") else 2
    return ".".join(parts[-keep:])


def _crawl_site(check: Check, settings: CrawlSettings | None = None) -> Observations:
    # deferred: loads httpx only when a site is crawled
    from gongkai.apps.webcheck.crawler import CrawlConfig, Crawler, CrawlState

    settings = settings or CRAWL
    site = check.site
    builder = ObservationBuilder(site, check.checked_on, word_rules())
    config = CrawlConfig(
        start_url=site.home_url,
        max_depth=settings.max_depth,
        max_pages=settings.max_pages,
        rate=settings.rate,
        per_host=settings.per_host,
        retries=settings.retries,
        retry_delay=settings.retry_delay,
        timeout=settings.timeout,
        check_external=settings.check_external,
        respect_robots=site.respect_robots,
    )
    saved = check.crawl_state or {}
    state = CrawlState.from_json(saved.get("crawler"))
    if saved.get("observations"):
        builder.obs = observations_from_json(saved["observations"])
        builder.columns = {c.url.rstrip("/"): c for c in builder.obs.columns}

    def checkpoint(st: CrawlState) -> None:
        builder.obs.columns = list(builder.columns.values())
        Check.objects.filter(pk=check.pk).update(
            crawl_state={
                "crawler": st.to_json(),
                "observations": observations_to_json(builder.obs),
            },
            pages=st.pages,
            requests=st.requests,
        )

    crawler = Crawler(
        config,
        state=state,
        on_page=builder.page,
        on_link=builder.link,
        on_attachment=builder.attachment,
        on_checkpoint=checkpoint,
        today=check.checked_on,
    )
    final = asyncio.run(crawler.run())
    if crawler.robots_note and not builder.obs.crawled:
        builder.obs.crawl_note = crawler.robots_note
    Check.objects.filter(pk=check.pk).update(pages=final.pages, requests=final.requests)
    return builder.finish()


def unanswered_letters(site: Site, on: dt.date, days: int) -> tuple[int, list[dict[str, Any]]]:
    """Letters to the site's sponsor in the year before ``on`` left unanswered past ``days``
    (still open, or answered late). Evidence names the letter number and dates only."""
    since = on - dt.timedelta(days=365)
    limit = on - dt.timedelta(days=days)
    rows = Letter.objects.filter(agency_id=site.sponsor_id, received_on__gte=since).values_list(
        "number", "status", "received_on", "replied_on"
    )
    found = []
    for number, status, received, replied in rows:
        late = (status in OPEN_STATUSES and received < limit) or (
            replied is not None and (replied - received).days > days
        )
        if late:
            what = (
                f"信件{number}于{received}收到，至今未答复"
                if replied is None
                else f"信件{number}于{received}收到，{replied}才答复"
            )
            found.append({"url": "", "what": what})
    return len(found), found


def _probe_counts(site: Site, on: dt.date, window: int) -> tuple[int, int, int]:
    rows = list(
        ProbeDay.objects.filter(
            site=site, day__gt=on - dt.timedelta(days=window), day__lte=on
        ).values_list("probes", "failures")
    )
    return len(rows), sum(p for p, _ in rows), sum(f for _, f in rows)


def complete_observations(check: Check, obs: Observations, rules: dict[str, Any]) -> Observations:
    """Add what the platform itself knows: probes, the mailbox, days broken per link."""
    site = check.site
    on = check.checked_on
    days, probes, failures = _probe_counts(
        site, on, int(rules["vetoes"]["unreachable"]["window_days"])
    )
    if probes or not obs.probes:  # the platform's own probes; else the recorded ones
        obs.probe_days, obs.probes, obs.probe_failures = days, probes, failures
    obs.unanswered, obs.unanswered_evidence = unanswered_letters(
        site, on, int(rules["vetoes"]["interaction"]["days"])
    )
    known = {
        b.url_hash: b
        for b in BrokenLinkSeen.objects.filter(site=site, last_seen__gte=on - dt.timedelta(days=45))
    }
    for link in obs.broken_links:
        h = hashlib.blake2b(link.url.encode(), digest_size=16).hexdigest()
        row = known.get(h)
        if row is not None:
            link.first_seen = min(link.first_seen, row.first_seen)
            if not link.confirmed and (on - row.first_seen).days >= 1:
                link.confirmed = True  # suspected again on a later day: it persists across runs
    return obs


def check_run(
    check: Check, *, actor: Actor = SYSTEM, settings: CrawlSettings | None = None
) -> Check:
    """Crawl (resuming a previous attempt), score and finish one check."""
    with transition(
        actor=actor,
        obj=check,
        action=WebcheckAction.CHECK_RUN,
        fields=(),
        table=CHECK_STATES,
        agency_id=check.site.operator_id,
    ):
        pass
    check.refresh_from_db()
    obs = _crawl_site(check, settings)
    return check_finish(check, obs, actor=actor, now=clock.now())


def check_record(
    *,
    actor: Actor,
    site: Site,
    obs: Observations,
    now: dt.datetime,
    sample: Sample | None = None,
) -> Check:
    """A check from recorded observations (an imported monitoring result, the demo): scored
    and followed up exactly like a crawled one."""
    with transaction.atomic():
        check = Check.objects.create(
            site=site,
            sample=sample,
            reason=Check.Reason.SAMPLE if sample else Check.Reason.RECORDED,
            checked_on=obs.checked_on,
            year=obs.checked_on.year,
        )
        audit_record(
            actor=actor,
            action=WebcheckAction.CHECK_START,
            obj=check,
            agency_id=site.operator_id,
            after={"site": site.site_code, "reason": check.reason},
        )
        return check_finish(check, obs, actor=actor, now=now)


def check_finish(check: Check, obs: Observations, *, actor: Actor, now: dt.datetime) -> Check:
    """Score the observations; store result and evidence; open and close rectification tasks."""
    rules = rules_for(check.year)
    obs = complete_observations(check, obs, rules)
    result = score(obs, rules)
    site = check.site
    with transition(
        actor=actor,
        obj=check,
        action=WebcheckAction.CHECK_FINISH,
        fields=("verdict", "score", "vetoes"),
        table=CHECK_STATES,
        agency_id=site.operator_id,
        label=f"{site.name} {check.checked_on}",
    ) as step:
        step.obj.observations = observations_to_json(obs)
        step.obj.result = score_to_json(result)
        step.obj.verdict = result.verdict.value
        step.obj.score = result.score
        step.obj.vetoes = ",".join(result.vetoes)
        step.obj.finished_at = now
        step.obj.crawl_state = None
        step.obj.pages = max(step.obj.pages, obs.pages)
    check = step.obj
    _remember_broken(site, obs)
    rectify_sync(
        actor=actor,
        result=result,
        rules=rules,
        check=check,
        owner={"site": check.site},
        opened_by="check_run",
        closed_by="closed_by",
        agency_id=check.site.operator_id,
        name=check.site.name,
    )
    return check


def _remember_broken(site: Site, obs: Observations) -> None:
    on = obs.checked_on
    for link in obs.broken_links:
        h = hashlib.blake2b(link.url.encode(), digest_size=16).hexdigest()
        row, created = BrokenLinkSeen.objects.get_or_create(
            site=site,
            url_hash=h,
            defaults={"url": link.url[:1000], "first_seen": link.first_seen, "last_seen": on},
        )
        if not created:
            if (on - row.last_seen).days > 45:
                row.first_seen = on
            row.last_seen = on
            row.save(update_fields=["first_seen", "last_seen"])


def rectify_sync(
    *,
    actor: Actor,
    result: Any,
    rules: dict[str, Any],
    check: Any,
    owner: dict[str, Any],
    opened_by: str,
    closed_by: str,
    agency_id: int,
    name: str,
) -> None:
    """Open a task per failed indicator not already open; close open tasks whose indicator
    now passes (the re-check). The same for a site's check and an account's: ``owner`` is
    what the tasks belong to (``{"site": site}`` or ``{"account": account}``), ``opened_by``
    and ``closed_by`` the task's links to the check that opened and the one that closed it."""
    failing = {r.key: r for r in result.results if r.outcome in (Outcome.VETO, Outcome.DEDUCT)}
    passing = {r.key for r in result.results if r.outcome is Outcome.PASS}
    open_tasks = {
        t.indicator: t for t in Rectification.objects.filter(**owner, state=RectifyState.OPEN)
    }
    days = int(rules.get("rectify_days", 10))
    calendar = calendar_current()
    for key, r in failing.items():
        if key in open_tasks:
            continue
        task = Rectification(
            **owner,
            **{opened_by: check},
            agency_id=agency_id,
            indicator=key,
            label=r.label[:60],
            summary=r.summary[:500],
            veto=r.veto,
            opened_on=check.checked_on,
            time_limit_days=days,
        )
        task.set_due(calendar.due(check.checked_on, days))
        with transition(
            actor=actor,
            obj=task,
            action=WebcheckAction.RECTIFY_OPEN,
            fields=("indicator", "summary", "due_date", "agency_id"),
            agency_id=agency_id,
            label=f"{name}：{r.label}",
        ):
            pass
    for key, task in open_tasks.items():
        if key in passing and getattr(task, f"{opened_by}_id") != check.pk:
            with transition(
                actor=actor,
                obj=task,
                action=WebcheckAction.RECTIFY_CLOSE,
                fields=("closed_on",),
                table=RECTIFY_STATES,
                agency_id=agency_id,
                label=f"{name}：{task.label}",
            ) as step:
                step.obj.closed_on = check.checked_on
                setattr(step.obj, closed_by, check)


def rectify_refresh_due(task: Rectification, calendar: Any) -> None:
    task.set_due(calendar.due(task.opened_on, task.time_limit_days))


RECTIFY_DUES = DueSource(
    name="webcheck",
    open_rows=lambda: Rectification.objects.filter(state=RectifyState.OPEN),
    refresh=rectify_refresh_due,
    action=WebcheckAction.RECTIFY_DEADLINE,
)


def run_check_job(job: Any, report: Any) -> dict[str, Any]:
    """Job handler ``webcheck.check``: resumes from the stored crawl state on a retry."""
    check = Check.objects.select_related("site").get(pk=job.params["check_id"])
    if check.state == CheckState.DONE:
        return {"check": check.pk, "verdict": check.verdict}
    report(0, None, f"正在检查 {check.site.name}")
    try:
        check = check_run(check)
    except Exception as exc:
        if _is_last_attempt(job, exc):
            with transition(
                actor=SYSTEM,
                obj=check,
                action=WebcheckAction.CHECK_FAIL,
                fields=("error",),
                table=CHECK_STATES,
                agency_id=check.site.operator_id,
            ) as step:
                step.obj.error = str(exc)[:300]
        raise
    return {"check": check.pk, "verdict": check.verdict, "score": str(check.score or "")}


def _is_last_attempt(job: Any, exc: BaseException) -> bool:
    """The jobs engine retries only transient failures, up to the kind's retries."""
    kind = job_kinds.get("webcheck.check")
    attempts = int(getattr(job, "attempts", 0) or 0)
    return kind is None or not is_transient(exc) or attempts > kind.retries


# -- samples -------------------------------------------------------------------------------


def sample_freeze(
    *,
    actor: Actor,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    sources: list[Any],
    ratio: Fraction | None = None,
    now: dt.datetime,
) -> Sample:
    """Freeze the list of open sites and the announced random sources (the commitment)."""
    if not (is_admin(actor) or is_supervisor(actor)):
        raise WebcheckError("只有市公开办可以组织网站抽查")
    if kind == Sample.Kind.QUARTER:
        ratio = Fraction(1)
    ratio = ratio if ratio is not None else Fraction(3, 10)
    if ratio < Fraction(3, 10) or ratio > 1:
        raise WebcheckError("半月抽查比例不得低于30%")
    sites = list(
        Site.objects.filter(status=SiteStatus.OPEN)
        .order_by("site_code")
        .values_list("site_code", "name")
    )
    if not sites:
        raise WebcheckError("没有开设中的网站可抽查")
    number = (
        f"WZCC-{period_start:%Y%m%d}-{Sample.objects.filter(period_start=period_start).count() + 1}"
    )
    previous = Sample.objects.exclude(record=None).order_by("-pk").first()
    try:
        commitment = build_sample_commitment(
            header={
                "number": number,
                "title": f"政府网站{Sample.Kind(kind).label}（{period_start}至{period_end}）",
                "frozen_at": now.isoformat(),
            },
            sites=sites,
            ratio=ratio,
            sources=sources,
            previous_record_hash=previous.record["record_hash"]
            if previous is not None and previous.record is not None
            else None,
        )
    except ValueError as exc:
        raise WebcheckError(str(exc)) from exc
    sample = Sample(
        number=number,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        ratio=f"{ratio.numerator}/{ratio.denominator}",
        commitment=commitment,
        commitment_hash=commitment_hash(commitment),
    )
    with transition(
        actor=actor,
        obj=sample,
        action=WebcheckAction.SAMPLE_FREEZE,
        fields=("number", "commitment_hash"),
    ):
        pass
    return sample


def sample_draw(
    *,
    actor: Actor,
    sample: Sample,
    observed: list[str],
    now: dt.datetime,
    start_checks: bool = True,
) -> list[Check]:
    """Enter the observed source values, run the draw, queue a check of every drawn site."""
    if not (is_admin(actor) or is_supervisor(actor)):
        raise WebcheckError("只有市公开办可以组织网站抽查")
    try:
        record = build_record(
            sample.commitment,
            observed,
            drawn_at=now.isoformat(),
            engine={"name": "gongkai", "component": "webcheck"},
        )
    except (SourceError, ValueError) as exc:
        raise WebcheckError(str(exc)) from exc
    with transition(
        actor=actor,
        obj=sample,
        action=WebcheckAction.SAMPLE_DRAW,
        fields=(),
        table=SAMPLE_STATES,
        refuse=_refuse,
    ) as step:
        step.obj.record = record
        step.extra["record_hash"] = record["record_hash"]
    codes = drawn_sites(record)
    if not start_checks:
        return []
    return [
        check_start(actor=SYSTEM, site=site, now=now, reason=Check.Reason.SAMPLE, sample=sample)
        for site in Site.objects.filter(site_code__in=codes)
    ]


def sources_default(on: dt.date) -> list[Any]:
    return [
        SourceSpec(
            name=f"中国福利彩票双色球（{on}后第一期）红球",
            description="中国福利彩票发行管理中心公布的开奖结果",
            expected_on=on.isoformat(),
            kind=SourceKind.NUMBERS,
            count=6,
            minimum=1,
            maximum=33,
        )
    ]


def iter_open_sites() -> Iterable[Site]:
    return Site.objects.filter(status=SiteStatus.OPEN).select_related("sponsor", "operator")
