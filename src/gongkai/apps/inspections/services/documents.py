"""Storing and reading published commitments and records (canonical JSON, gzip in the database)."""

from __future__ import annotations

import gzip
from typing import Any

from gongkai.apps.inspections.models import DrawDocument
from gongkai.apps.inspections.selectors import (
    document_load as document_load,
)  # a read; kept here for callers
from gongkai.domain.draws.canonical import canonical_json, sha256_hex


def document_store(
    *, kind: str, document: Any, task: Any = None, lottery: Any = None
) -> DrawDocument:
    data = canonical_json(document, check=False)
    return DrawDocument.objects.create(
        task=task,
        lottery=lottery,
        kind=kind,
        sha256=sha256_hex(data),
        size=len(data),
        content=gzip.compress(data, compresslevel=6),
    )
