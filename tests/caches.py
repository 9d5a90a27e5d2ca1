"""Emptying the cache in a test without touching other test processes' keys."""

from __future__ import annotations

from django.conf import settings


def clear_cache_of_this_process() -> None:
    """Empty the cache this test process sees. On a shared Redis (the PostgreSQL pass of CI)
    only this process's keys (its own key prefix) are deleted: ``cache.clear()`` would empty
    the whole database, sessions of the tests running beside it in other processes included,
    and sign their clients out in the middle of a test."""
    from django.core.cache import cache

    if "locmem" in settings.CACHES["default"]["BACKEND"]:
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
