"""Find and mask personal information in Chinese text (pure: no Django, no I/O).

``scan_text`` and ``scan_blocks`` return :class:`Finding` objects (kind, span, score, reason);
``mask_text`` and ``mask_value`` produce masked forms under a :class:`MaskPolicy`.
"""

from gongkai.domain.privacy.engine import (
    BlockFinding,
    ScanOptions,
    resolve_overlaps,
    scan_blocks,
    scan_text,
)
from gongkai.domain.privacy.kinds import KIND_LABELS, Finding, Kind, PublicKind, PublicSpan
from gongkai.domain.privacy.masking import (
    AddressStyle,
    KeepRule,
    MaskPolicy,
    NameStyle,
    apply_replacements,
    apply_to_pieces,
    mask_text,
    mask_value,
    replacements,
)
from gongkai.domain.privacy.patterns import Scope, detect_public

__all__ = [
    "KIND_LABELS",
    "AddressStyle",
    "BlockFinding",
    "Finding",
    "KeepRule",
    "Kind",
    "MaskPolicy",
    "NameStyle",
    "PublicKind",
    "PublicSpan",
    "ScanOptions",
    "Scope",
    "apply_replacements",
    "apply_to_pieces",
    "detect_public",
    "mask_text",
    "mask_value",
    "replacements",
    "resolve_overlaps",
    "scan_blocks",
    "scan_text",
]
