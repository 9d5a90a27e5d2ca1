"""One rate limiter for the platform: fixed-window counters in the shared cache (ADR 0082).

Login, online applications, query-code look-ups, registration, the report checker and the API
count through :func:`hit`. A counter belongs to a window (``window`` seconds, aligned to the
epoch), so it never outlives its window and is never extended by a later hit. Increments are
atomic on every backend: Redis INCR on a key created with SET NX and its expiry; the in-process
cache under its own lock; the file cache under an exclusive file lock (one machine, several
worker processes). Parallel requests therefore cannot slip past a limit.

``claim`` takes a gate for some seconds (atomic add): the login delay is built on it.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache

from gongkai import clock


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window: int  # seconds

    @property
    def minutes(self) -> int:
        return max(1, self.window // 60)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends


_process_lock = threading.Lock()


def _ident(value: str) -> str:
    # keys never carry an address or a user name in clear
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def _window(rule: Rule) -> tuple[str, int]:
    now = int(clock.now().timestamp())
    index, into = divmod(now, rule.window)
    return str(index), rule.window - into


def _key(rule: Rule, ident: str, index: str) -> str:
    return f"rl:{rule.name}:{_ident(ident)}:{index}"


def _backend() -> str:
    name = type(cache).__name__
    if name == "RedisCache":
        return "redis"
    if name == "LocMemCache":
        return "locmem"
    return "locked"


@contextmanager
def _file_lock() -> Iterator[None]:
    """An exclusive lock shared by the processes of one machine (the embedded file cache)."""
    location = Path(getattr(cache, "_dir", settings.DATA_DIR))
    location.mkdir(parents=True, exist_ok=True)
    with _process_lock, open(location / ".ratelimit.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _redis() -> Any:
    return cache._cache.get_client(write=True)


def _incr(key: str, ttl: int, delta: int = 1) -> int:
    backend = _backend()
    if backend == "redis":
        client = _redis()
        raw = cache.make_and_validate_key(key)
        client.set(raw, 0, nx=True, ex=ttl)
        return int(client.incrby(raw, delta))
    if backend == "locmem":
        cache.add(key, 0, timeout=ttl)
        try:
            return int(cache.incr(key, delta))
        except ValueError:  # expired between the two calls
            cache.add(key, 0, timeout=ttl)
            return int(cache.incr(key, delta))
    with _file_lock():
        value = int(cache.get(key) or 0) + delta
        cache.set(key, value, timeout=ttl)
        return value


def hit(rule: Rule, ident: str) -> Verdict:
    """Count one event for ``ident``; allowed while the count stays within the limit."""
    index, remaining = _window(rule)
    count = _incr(_key(rule, ident, index), remaining + 1)
    return Verdict(count <= rule.limit, count, remaining)


def undo(rule: Rule, ident: str) -> None:
    """Take back one event counted in this window (a refused attempt that was not made)."""
    index, remaining = _window(rule)
    _incr(_key(rule, ident, index), remaining + 1, delta=-1)


def count(rule: Rule, ident: str) -> int:
    index, _ = _window(rule)
    return int(cache.get(_key(rule, ident, index)) or 0)


def check(rule: Rule, ident: str) -> Verdict:
    """Whether one more event would be allowed, without counting it."""
    index, remaining = _window(rule)
    current = int(cache.get(_key(rule, ident, index)) or 0)
    return Verdict(current < rule.limit, current, remaining)


def reset(rule: Rule, ident: str) -> None:
    index, _ = _window(rule)
    cache.delete(_key(rule, ident, index))


def claim(name: str, ident: str, seconds: int) -> bool:
    """Take the gate ``name`` for ``ident`` during ``seconds``; False when someone holds it."""
    key = f"rl-gate:{name}:{_ident(ident)}"
    backend = _backend()
    if backend == "redis":
        return bool(_redis().set(cache.make_and_validate_key(key), 1, nx=True, ex=seconds))
    if backend == "locmem":
        return bool(cache.add(key, 1, timeout=seconds))
    with _file_lock():
        return bool(cache.add(key, 1, timeout=seconds))


def release(name: str, ident: str) -> None:
    cache.delete(f"rl-gate:{name}:{_ident(ident)}")
