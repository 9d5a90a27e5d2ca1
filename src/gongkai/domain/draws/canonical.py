"""Canonical JSON and hashing for draw commitments and records.

Every hash the platform publishes for a draw is SHA-256 over the canonical JSON of a document:
keys sorted by code point, no whitespace (``,`` and ``:`` separators), UTF-8 text without
``\\u`` escapes except for control characters, and only strings, integers, booleans, null,
arrays and objects — no floating-point numbers (ratios are decimal strings such as "0.05").
For these types the bytes equal RFC 8785 (JSON Canonicalization Scheme) output, so the hash
can be recomputed in any language.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any


class CanonicalError(ValueError):
    """A document holds something canonical JSON does not allow (the message is Chinese)."""


def _check(value: Any, path: str) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return
    if isinstance(value, str):
        if unicodedata.normalize("NFC", value) != value:
            raise CanonicalError(f"{path} 的文字未按 Unicode NFC 规范化")
        return
    if isinstance(value, float):
        raise CanonicalError(f"{path} 为浮点数；比例等小数请写成十进制字符串")
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise CanonicalError(f"{path} 的键“{key}”应为 ASCII 字符串")
            _check(item, f"{path}.{key}")
        return
    raise CanonicalError(f"{path} 的类型 {type(value).__name__} 不能写入规范 JSON")


def canonical_json(document: Any, *, check: bool = True) -> bytes:
    """The canonical UTF-8 bytes of ``document``.

    ``check`` walks the document first; the engine skips it for documents it built itself.
    """
    if check:
        _check(document, "$")
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_hash(document: Any, *, check: bool = True) -> str:
    """SHA-256 (lower-case hex) of the canonical JSON of ``document``."""
    return sha256_hex(canonical_json(document, check=check))


def nfc(text: str) -> str:
    """Text as it enters a draw document: NFC-normalised, surrounding white space removed."""
    return unicodedata.normalize("NFC", text).strip()
