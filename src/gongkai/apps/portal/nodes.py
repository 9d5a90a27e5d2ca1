"""Refuse to serve in a multi-server configuration that would diverge (ADR 0121, 0122).

A server registers itself in the node table when it starts. When other servers were seen
lately, the platform runs on several machines, and then every server must reach the same
database, cache, broker, files and search: a server that finds it would not is refused with
the reason, before it answers anyone.
"""

from __future__ import annotations

import secrets
import socket

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from gongkai import clock
from gongkai.apps.catalog.search import get_engine
from gongkai.apps.catalog.search.follow import cursor_for
from gongkai.apps.jobs.models import Node, NodeRole
from gongkai.apps.jobs.selectors import LIVE, nodes_live
from gongkai.apps.jobs.services import node_report

MARKS = ".gongkai-servers"


def _this_server() -> str:
    return settings.GONGKAI_NODE_NAME or socket.gethostname()


def _leave_marks(name: str) -> tuple[str, str]:
    """A file in the uploads storage and a key in the cache, each holding a fresh token, that
    the other servers must be able to read."""
    token = secrets.token_hex(8)
    path = f"{MARKS}/{name}"
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(token.encode()))
    cache.set(f"{MARKS}:{name}", token, None)
    return token, token


def _reads_mark(other: Node) -> tuple[bool, bool]:
    path = f"{MARKS}/{other.name}"
    try:
        with default_storage.open(path, "rb") as handle:
            files = handle.read().decode() == other.storage_mark
    except (FileNotFoundError, OSError):
        files = False
    shared_cache = cache.get(f"{MARKS}:{other.name}") == other.cache_mark
    return files, shared_cache


def deployment_problems() -> list[str]:
    """Why this server must not start next to the others (empty: it may)."""
    now = clock.now()
    name = _this_server()
    engine = get_engine()
    index_id = cursor_for(engine).index_id()
    others = [n for n in nodes_live(role=NodeRole.WEB, now=now) if n.name != name]
    problems: list[str] = []
    same_name = Node.objects.filter(
        name=name, role=NodeRole.WEB, seen_at__gte=now - clock_live()
    ).first()
    if same_name is not None and same_name.index_id and same_name.index_id != index_id:
        problems.append(
            f"另一台服务器也叫“{name}”且仍在运行：请用 GONGKAI_NODE_NAME 给每台服务器不同的名字"
        )
    storage_mark, cache_mark = _leave_marks(name)
    if others:
        problems += _multi_server_problems(others, engine.name, index_id)
    if not problems:
        node_report(
            name=name,
            role=NodeRole.WEB,
            now=now,
            started_at=now,
            engine=engine.name,
            index_id=index_id,
            storage_mark=storage_mark,
            cache_mark=cache_mark,
            secret_mark=secret_mark(),
        )
    return problems


def secret_mark() -> str:
    """A fingerprint of SECRET_KEY (never the key): servers with different keys reject each
    other's sessions, CSRF tokens and signed links."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("gongkai.portal.nodes", "secret-key-fingerprint").hexdigest()[:16]


def clock_live():
    return LIVE


def _multi_server_problems(others: list[Node], engine: str, index_id: str) -> list[str]:
    names = "、".join(n.name for n in others)
    problems = []
    if connection.vendor == "sqlite":
        problems.append(f"已有其他服务器（{names}）在运行：多台服务器须共用 PostgreSQL 数据库")
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        problems.append("多台服务器须共用 Redis 缓存（设置 REDIS_URL），否则限流和页面缓存各自为政")
    if settings.GONGKAI_BROKER_URL.startswith("filesystem:"):
        problems.append("多台服务器须共用任务队列（设置 GONGKAI_BROKER_URL），否则任务只在本机排队")
    for other in others:
        if other.engine and other.engine != engine:
            problems.append(
                f"服务器“{other.name}”使用 {other.engine} 检索，本机配置为 {engine}："
                "全部服务器须使用同一种（GONGKAI_SEARCH_ENGINE）"
            )
        elif engine == "tantivy" and other.index_id == index_id:
            problems.append(
                f"本机的检索索引目录与服务器“{other.name}”是同一个：每台服务器须有自己的"
                " GONGKAI_SEARCH_DIR（放在本机磁盘上）"
            )
        if other.secret_mark and other.secret_mark != secret_mark():
            problems.append(
                f"本机的 SECRET_KEY 与服务器“{other.name}”不同：全部服务器须使用同一个密钥，"
                "否则登录状态和表单在服务器之间失效"
            )
        files, shared_cache = _reads_mark(other)
        if other.storage_mark and not files:
            problems.append(
                f"读不到服务器“{other.name}”写入的上传文件：上传文件须放在共享目录或对象存储"
                "（GONGKAI_MEDIA_ROOT 指向共享存储，或 GONGKAI_STORAGE=s3）"
            )
        if other.cache_mark and not shared_cache:
            problems.append(f"与服务器“{other.name}”不是同一个缓存：须设置相同的 REDIS_URL")
    return list(dict.fromkeys(problems))
