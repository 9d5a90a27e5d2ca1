"""The public form of what staff write about a draw (ADR 0033).

A result note (结果说明) and the reason an entity was replaced (被替换原因) are free text typed
by inspectors; the portal, the results CSV, the API, substitutions.json and the entity pages
show them only as the privacy context masks them, stored beside the original when it is
written. The original stays in the back office.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongkai.apps.privacy.services import mask_decider
from gongkai.documents.mask import mask_plain_text


def public_masker(*, conf: Any = None) -> Callable[[str], str]:
    """A masking function for many texts (the privacy settings are read once, a text repeated
    in a bulk import is scanned once): every finding at or above the review threshold is
    replaced by its masked form."""
    decider = mask_decider(conf=conf)
    done: dict[str, str] = {}

    def mask(text: str) -> str:
        if not text:
            return text
        if text not in done:
            done[text] = mask_plain_text(text, decider)
        return done[text]

    return mask
