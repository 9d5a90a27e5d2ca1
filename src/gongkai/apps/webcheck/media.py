"""Writes for 政务新媒体 accounts: their recorded posts and messages (imported from the
platform's export, or read from an archive page), checks scored by the year's indicators, and
the rectification tasks that follow (ADR 0163)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai import clock
from gongkai.apps.audit.frame import Actor, transition
from gongkai.apps.audit.services import SYSTEM, SystemActor, audit_record
from gongkai.apps.webcheck.errors import WebcheckError
from gongkai.apps.webcheck.models import (
    MediaAccount,
    MediaCheck,
    MediaMessage,
    MediaPlatform,
    MediaPost,
    SiteStatus,
)
from gongkai.apps.webcheck.permissions import can_manage
from gongkai.apps.webcheck.services import (
    _choice,
    _norm,
    read_rows,
    rectify_sync,
    rules_for,
    word_rules,
)
from gongkai.domain.webcheck.indicators import score_to_json
from gongkai.domain.webcheck.media import (
    MediaObservations,
    Message,
    Post,
    read_archive,
    score_media,
)
from gongkai.domain.webcheck.pages import parse_dates
from gongkai.domain.webcheck.states import WebcheckAction

RECORD_HEADERS = {
    "platform": ("平台",),
    "name": ("账号名称", "账号", "名称"),
    "kind": ("记录类型", "类型"),
    "day": ("日期", "发布日期", "发布时间", "留言日期", "留言时间"),
    "title": ("标题",),
    "url": ("链接", "网址"),
    "original": ("原创", "是否原创"),
    "text": ("正文", "内容"),
    "number": ("留言编号", "编号"),
    "replied": ("回复日期", "回复时间"),
}
TEXT_LIMIT = 20_000


@dataclass
class RecordStats:
    rows: int = 0
    posts: int = 0
    messages: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    accounts: set[int] = field(default_factory=set)

    @property
    def failed(self) -> int:
        return len({line for line, _ in self.errors})


def post_key(published_on: dt.date, title: str, url: str) -> str:
    basis = url.strip() or f"{published_on.isoformat()}|{title.strip()}"
    return hashlib.blake2b(basis.encode("utf-8"), digest_size=16).hexdigest()


def _day(text: str, what: str) -> dt.date:
    found = parse_dates(text)
    if not found:
        raise ValueError(f"{what}“{text}”不是日期（应写作 2026-11-20）")
    return found[0]


def _original(text: str) -> bool:
    value = text.strip().lower()
    if value in ("", "是", "原创", "y", "yes", "1", "true"):
        return True
    if value in ("否", "转载", "转发", "n", "no", "0", "false"):
        return False
    raise ValueError(f"“原创”一栏应填 是/否（原创/转载），现为“{text}”")


def _account(platform: str, name: str, cache: dict[tuple[str, str], Any]) -> MediaAccount:
    key = (_norm(platform), _norm(name))
    if key not in cache:
        code = _choice(key[0], MediaPlatform.choices, "平台")
        cache[key] = MediaAccount.objects.filter(platform=code, name=key[1]).first()
    account = cache[key]
    if account is None:
        raise ValueError(f"账号“{platform}：{name}”不在政务新媒体名录中，请先导入名录")
    return account


def import_records(
    *, actor: Actor, content: bytes, file_name: str, now: dt.datetime
) -> RecordStats:
    """Import posts and messages of registered accounts from CSV/XLSX (the platforms'
    back-office exports put in one table). Rows with errors are reported by line and skipped;
    a post or message already recorded is not counted twice. The accounts in the file count as
    recorded up to the import day."""
    if not can_manage(actor):
        raise WebcheckError("您没有权限导入新媒体发布记录")
    rows = read_rows(content, file_name)
    try:
        header = [_norm(h).lower() for h in next(rows)]
    except StopIteration:
        raise WebcheckError("文件没有内容") from None
    at: dict[str, int] = {}
    for key, aliases in RECORD_HEADERS.items():
        for alias in aliases:
            if alias.lower() in header:
                at[key] = header.index(alias.lower())
                break
    missing = [RECORD_HEADERS[k][0] for k in ("platform", "name", "day") if k not in at]
    if missing:
        raise WebcheckError(f"表头缺少列：{'、'.join(missing)}（第一行应为列名）")
    stats = RecordStats()
    cache: dict[tuple[str, str], Any] = {}
    for line, cells in enumerate(rows, start=2):
        if not any(_norm(c) for c in cells):
            continue
        stats.rows += 1

        def get(key: str, cells: list[str] = cells) -> str:
            i = at.get(key)
            return _norm(cells[i]) if i is not None and i < len(cells) else ""

        try:
            with transaction.atomic():
                _import_record(get, cache, stats)
        except ValueError as exc:
            stats.errors.append((line, str(exc)))
    on = clock.local_date(now)
    for account in MediaAccount.objects.filter(pk__in=stats.accounts):
        if account.recorded_until is None or account.recorded_until < on:
            MediaAccount.objects.filter(pk=account.pk).update(recorded_until=on)
    audit_record(
        actor=actor,
        action=WebcheckAction.MEDIA_RECORDS_IMPORT,
        object_type="webcheck.media_records",
        object_id=file_name[:100],
        after={
            "file_name": file_name,
            "rows": stats.rows,
            "posts": stats.posts,
            "messages": stats.messages,
            "duplicates": stats.duplicates,
            "failed": stats.failed,
            "at": now.isoformat(),
        },
    )
    return stats


def _import_record(get: Any, cache: dict[tuple[str, str], Any], stats: RecordStats) -> None:
    account = _account(get("platform"), get("name"), cache)
    kind = get("kind") or ("留言" if get("number") else "发布")
    if kind in ("留言", "评论", "私信", "message"):
        number = get("number")
        if not number:
            raise ValueError("留言记录应填写留言编号")
        received = _day(get("day"), "留言日期")
        replied = _day(get("replied"), "回复日期") if get("replied") else None
        if replied is not None and replied < received:
            raise ValueError("回复日期早于留言日期")
        _, created = MediaMessage.objects.update_or_create(
            account=account,
            number=number[:60],
            defaults={"received_on": received, "replied_on": replied},
        )
        stats.messages += int(created)
        stats.duplicates += int(not created)
    elif kind in ("发布", "文章", "post"):
        published = _day(get("day"), "发布日期")
        title = get("title") or get("text")[:60]
        if not title:
            raise ValueError("发布记录应有标题或正文")
        key = post_key(published, title, get("url"))
        _, created = MediaPost.objects.get_or_create(
            account=account,
            key=key,
            defaults={
                "published_on": published,
                "title": title[:200],
                "url": get("url")[:500],
                "original": _original(get("original")),
                "text": get("text")[:TEXT_LIMIT],
            },
        )
        stats.posts += int(created)
        stats.duplicates += int(not created)
    else:
        raise ValueError(f"记录类型“{kind}”应为 发布 或 留言")
    stats.accounts.add(account.pk)


def record_posts(account: MediaAccount, posts: list[Post], *, on: dt.date) -> int:
    """Store posts read for ``account`` (new ones only); the account counts as recorded to
    ``on``. Returns how many were new."""
    new = 0
    for post in posts:
        _, created = MediaPost.objects.get_or_create(
            account=account,
            key=post_key(post.published_on, post.title, post.url),
            defaults={
                "published_on": post.published_on,
                "title": post.title[:200],
                "url": post.url[:500],
                "original": post.original,
                "text": post.text[:TEXT_LIMIT],
            },
        )
        new += int(created)
    if account.recorded_until is None or account.recorded_until < on:
        MediaAccount.objects.filter(pk=account.pk).update(recorded_until=on)
        account.recorded_until = on
    return new


def pull_archive(account: MediaAccount, *, now: dt.datetime, timeout: float = 15.0) -> int:
    """Read the account's archive page (its 主页地址: the platform's list of past posts, as
    published or saved by the operator) and record the dated posts on it. A page that cannot be
    read records nothing and says why."""
    import httpx

    if not account.url:
        raise WebcheckError("该账号没有登记主页地址")
    on = clock.local_date(now)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, trust_env=False) as client:
            response = client.get(account.url, headers={"User-Agent": "gongkai-webcheck/1.0"})
    except httpx.HTTPError as exc:
        raise WebcheckError(f"无法打开账号主页：{exc.__class__.__name__}") from exc
    if response.status_code >= 400:
        raise WebcheckError(f"无法打开账号主页：HTTP {response.status_code}")
    posts = read_archive(str(response.url), response.text[:5_000_000], today=on)
    return record_posts(account, posts, on=on)


def media_observations(account: MediaAccount, on: dt.date) -> MediaObservations:
    since = on - dt.timedelta(days=400)
    posts = [
        Post(p.published_on, p.title, p.url, p.original, p.text)
        for p in account.posts.filter(published_on__gte=since, published_on__lte=on)
    ]
    messages = [
        Message(m.received_on, m.replied_on, m.number)
        for m in account.messages.filter(received_on__gte=since, received_on__lte=on)
    ]
    return MediaObservations(
        account=str(account),
        checked_on=on,
        url=account.url,
        recorded_until=account.recorded_until,
        interactive=account.interactive,
        posts=posts,
        messages=messages,
    )


def _obs_summary(obs: MediaObservations) -> dict[str, Any]:
    """What the check saw, kept with it (counts and dates; the posts stay in their table)."""
    return {
        "account": obs.account,
        "checked_on": obs.checked_on.isoformat(),
        "recorded_until": obs.recorded_until.isoformat() if obs.recorded_until else None,
        "interactive": obs.interactive,
        "posts": len(obs.posts),
        "latest": max(p.published_on for p in obs.posts).isoformat() if obs.posts else None,
        "messages": len(obs.messages),
    }


def media_check(
    *, actor: Actor, account: MediaAccount, now: dt.datetime, on: dt.date | None = None
) -> MediaCheck:
    """Score ``account`` from its records as of ``on`` (default: today); open a task per failed
    indicator and close the open ones whose indicator now passes."""
    if not isinstance(actor, SystemActor) and not can_manage(actor):
        raise WebcheckError("您没有权限发起政务新媒体检查")
    on = on or clock.local_date(now)
    rules = rules_for(on.year)
    obs = media_observations(account, on)
    result = score_media(obs, rules, word_rules())
    check = MediaCheck(account=account, checked_on=on, year=on.year)
    with transition(
        actor=actor,
        obj=check,
        action=WebcheckAction.MEDIA_CHECK,
        fields=("verdict", "score", "vetoes"),
        agency_id=account.sponsor_id,
        label=f"{account} {on}",
    ) as step:
        step.obj.observations = _obs_summary(obs)
        step.obj.result = score_to_json(result)
        step.obj.verdict = result.verdict.value
        step.obj.score = result.score
        step.obj.vetoes = ",".join(result.vetoes)
    check = step.obj
    rectify_sync(
        actor=actor,
        result=result,
        rules=rules,
        check=check,
        owner={"account": account},
        opened_by="media_check",
        closed_by="closed_by_media",
        agency_id=account.sponsor_id,
        name=str(account),
    )
    return check


def check_all_accounts(*, actor: Actor, now: dt.datetime) -> list[MediaCheck]:
    """A check of every open account (the scheduler runs it with the half-monthly check)."""
    return [
        media_check(actor=actor, account=account, now=now)
        for account in MediaAccount.objects.filter(status=SiteStatus.OPEN)
    ]


def check_due_accounts(*, now: dt.datetime, every_days: int = 15) -> int:
    """The periodic work: check each open account whose latest check is older than half a
    month (or that was never checked). Returns how many were checked."""
    from django.db.models import Max

    on = clock.local_date(now)
    due = MediaAccount.objects.filter(status=SiteStatus.OPEN).annotate(
        last=Max("checks__checked_on")
    )
    done = 0
    for account in due:
        if account.last is None or (on - account.last).days >= every_days:
            media_check(actor=SYSTEM, account=account, now=now, on=on)
            done += 1
    return done
