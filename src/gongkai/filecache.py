"""The embedded server's shared cache: Django's file cache, culled now and then.

Django's ``FileBasedCache`` lists its whole directory before *every* write to decide whether
to cull, and by default keeps 300 entries, so a portal with more pages than that spent more
time listing and deleting files than rendering (a first visit of a document page writes
three entries: its tag version, its rendition fragment and the page). Here the directory is
looked at on one write in ``CULL_EVERY`` (drawn at random, so processes that share the
directory need not agree on a counter), and the bound is a size that fits a city's catalogue.
Between two looks the directory may exceed ``MAX_ENTRIES`` by about ``CULL_EVERY`` entries.
"""

from __future__ import annotations

import random
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

DEFAULT_MAX_ENTRIES = 50_000
DEFAULT_CULL_EVERY = 500


class FileCache(FileBasedCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        cull_every = int(options.pop("CULL_EVERY", DEFAULT_CULL_EVERY))
        options.setdefault("MAX_ENTRIES", DEFAULT_MAX_ENTRIES)
        super().__init__(dir, {**params, "OPTIONS": options})
        self._cull_every = max(1, cull_every)

    def _cull(self) -> None:
        if random.randrange(self._cull_every) == 0:
            super()._cull()
