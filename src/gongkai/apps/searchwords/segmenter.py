"""The process-wide segmenter (ADR 0140, 0186): legal terms plus every agency's full and short
name. The catalogue's index and the query side of search cut text with the same one, so a word
is found as it was indexed."""

from __future__ import annotations

import threading

from gongkai.apps.organizations.models import Agency
from gongkai.domain.segment import Segmenter

_segmenter: Segmenter | None = None
_segmenter_lock = threading.Lock()


def get_segmenter() -> Segmenter:
    """The process-wide segmenter: legal terms plus every agency's full and short name."""
    global _segmenter
    with _segmenter_lock:
        if _segmenter is None:
            segmenter = Segmenter()
            segmenter.add_words(_agency_words())
            _segmenter = segmenter
        return _segmenter


def refresh_segmenter_words() -> int:
    """Add agency names created since the segmenter was loaded (a rebuild calls this)."""
    return get_segmenter().add_words(_agency_words())


def _agency_words() -> list[str]:
    words: list[str] = []
    for name, short in Agency.objects.values_list("name", "short_name"):
        words.append(name)
        if short and len(short) >= 3:
            words.append(short)
    return words
