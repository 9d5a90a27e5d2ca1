"""The embedded server's file cache culls now and then, and still keeps to its bound."""

from __future__ import annotations

from gongkai.filecache import FileCache


def _cache(tmp_path, **options) -> FileCache:
    return FileCache(str(tmp_path / "cache"), {"OPTIONS": options})


def test_a_write_does_not_list_the_directory_each_time(tmp_path, monkeypatch):
    cache = _cache(tmp_path, CULL_EVERY=1000)
    listings = []
    original = FileCache._list_cache_files
    monkeypatch.setattr(
        FileCache, "_list_cache_files", lambda self: listings.append(1) or original(self)
    )
    for i in range(200):
        cache.set(f"k{i}", i)
    assert len(listings) < 20  # Django's own file cache lists it before each of the 200
    assert cache.get("k150") == 150


def test_culling_still_bounds_the_directory(tmp_path):
    cache = _cache(tmp_path, CULL_EVERY=1, MAX_ENTRIES=30, CULL_FREQUENCY=3)
    for i in range(100):
        cache.set(f"k{i}", i)
    assert len(cache._list_cache_files()) <= 30
    assert cache.get("k99") == 99  # the newest write is kept


def test_defaults_fit_a_city_catalogue(tmp_path):
    cache = _cache(tmp_path)
    assert cache._max_entries >= 10_000
    assert cache._cull_every > 1
