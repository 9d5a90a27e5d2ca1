"""The default selection method: keyed-hash tickets, smallest first.

seed     = HMAC-SHA256(key = "gongkai-draw-v1", msg = commitment_hash_hex ‖ "\\n" ‖ key_string)
subkey   = HMAC-SHA256(key = seed, msg = UTF-8(label))        label e.g. "entities/A/东城区/*"
ticket   = HMAC-SHA256(key = subkey, msg = UTF-8(candidate id))

Tickets compare as 32-byte strings (equivalently as unsigned big-endian integers); ties, which
need a SHA-256 collision, fall back to the id. Binding the commitment hash into the seed makes
two draws that share a lottery result independent, and makes the result depend on every
committed input. The order of a candidate list never matters.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
from collections.abc import Callable, Iterable

SEED_KEY = b"gongkai-draw-v1"


def derive_seed(commitment_hash: str, key_string: str) -> bytes:
    message = commitment_hash.encode("ascii") + b"\n" + key_string.encode("ascii")
    return hmac.digest(SEED_KEY, message, "sha256")


def subkey(seed: bytes, label: str) -> bytes:
    return hmac.digest(seed, label.encode("utf-8"), "sha256")


def ticket(key: bytes, candidate_id: str) -> bytes:
    return hmac.digest(key, candidate_id.encode("utf-8"), "sha256")


def hmac_sha256(key: bytes) -> Callable[[bytes], bytes]:
    """HMAC-SHA256 under a fixed key (RFC 2104), with the padded key states hashed once.

    Identical output to ``hmac.digest``; about twice as fast for a million short messages.
    """
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def mac(message: bytes) -> bytes:
        i = inner.copy()
        i.update(message)
        o = outer.copy()
        o.update(i.digest())
        return o.digest()

    return mac


def ranked(key: bytes, ids: Iterable[str], limit: int | None = None) -> list[tuple[bytes, str]]:
    """(ticket, id) smallest ticket first — all of them, or the first ``limit``."""
    mac = hmac_sha256(key)
    pairs = [(mac(i.encode("utf-8")), i) for i in ids]
    if limit is not None and limit * 8 < len(pairs):
        return heapq.nsmallest(limit, pairs)
    pairs.sort()
    return pairs if limit is None else pairs[:limit]


def tiebreak_order(stratum_id: str) -> bytes:
    """A fixed, key-independent order of strata for largest-remainder ties (known at freeze)."""
    return hashlib.sha256(("gongkai-draw-v1/tiebreak/" + stratum_id).encode("utf-8")).digest()
