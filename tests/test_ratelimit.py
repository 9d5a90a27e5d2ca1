"""The one rate limiter: fixed windows, atomic counts on every cache backend."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches

from gongkai import ratelimit
from gongkai.ratelimit import Rule

RULE = Rule("test", 5, 900)


@pytest.fixture(params=["default", "file"])
def backend(request, settings, tmp_path, monkeypatch):
    """The configured cache (in-process, or Redis on the PostgreSQL pass) and the file cache
    of the embedded deployment."""
    if request.param == "file":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "gongkai.filecache.FileCache",
                "LOCATION": str(tmp_path / "cache"),
            },
        }
        caches._settings = None  # re-read CACHES
        monkeypatch.setattr(ratelimit, "cache", caches.create_connection("default"))
    return request.param


def test_a_window_allows_the_limit_and_then_refuses(backend):
    verdicts = [ratelimit.hit(RULE, "198.51.100.1") for _ in range(6)]
    assert [v.allowed for v in verdicts] == [True] * 5 + [False]
    assert [v.count for v in verdicts] == [1, 2, 3, 4, 5, 6]
    assert ratelimit.hit(RULE, "198.51.100.2").allowed  # someone else


def test_parallel_hits_are_all_counted(backend):
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = sorted(pool.map(lambda _: ratelimit.hit(RULE, "x").count, range(40)))
    assert counts == list(range(1, 41))


def test_the_window_is_fixed_and_a_new_one_starts_empty(backend, clock_at):
    start = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    clock_at(start, tick=False)
    for _ in range(5):
        ratelimit.hit(RULE, "x")
    clock_at(start + dt.timedelta(seconds=899), tick=False)
    later = ratelimit.hit(RULE, "x")
    assert not later.allowed and later.retry_after == 1
    clock_at(start + dt.timedelta(seconds=900), tick=False)
    assert ratelimit.hit(RULE, "x").count == 1


def test_undo_reset_and_gates(backend):
    ratelimit.hit(RULE, "x")
    ratelimit.hit(RULE, "x")
    ratelimit.undo(RULE, "x")
    assert ratelimit.count(RULE, "x") == 1
    ratelimit.reset(RULE, "x")
    assert ratelimit.count(RULE, "x") == 0
    assert ratelimit.claim("g", "x", 30) and not ratelimit.claim("g", "x", 30)
    ratelimit.release("g", "x")
    assert ratelimit.claim("g", "x", 30)


def test_keys_carry_no_address_in_clear(backend):
    ratelimit.hit(RULE, "203.0.113.77")
    assert "203.0.113.77" not in ratelimit._key(RULE, "203.0.113.77", "1")
