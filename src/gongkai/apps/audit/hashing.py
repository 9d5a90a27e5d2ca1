"""Canonical serialisation and hashing of audit events (shared by writer and verifier)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from gongkai.domain.sm3 import sm3_hex

GENESIS = "0" * 64


def to_jsonable(value: Any) -> Any:
    """Turn model field values into JSON values with one stable text form."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or ""
    return str(value)


def canonical_json(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_body(fields: Mapping[str, Any]) -> str:
    """The canonical content of an event, the same for both hashes."""
    payload = {
        "chain": fields["chain"],
        "seq": fields["seq"],
        "created_at": to_jsonable(fields["created_at"]),
        "actor_id": fields["actor_id"],
        "actor_label": fields["actor_label"],
        "agency_id": fields["agency_id"],
        "action": fields["action"],
        "object_type": fields["object_type"],
        "object_id": fields["object_id"],
        "object_label": fields["object_label"],
        "before": fields["before"],
        "after": fields["after"],
        "context": fields["context"],
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_digest(fields: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 over the previous hash and the event's canonical content."""
    return hashlib.sha256((prev_hash + "\n" + event_body(fields)).encode("utf-8")).hexdigest()


def event_digest_sm3(fields: Mapping[str, Any], prev_hash: str) -> str:
    """SM3 over the previous SM3 hash and the same content: a second chain beside SHA-256."""
    return sm3_hex((prev_hash + "\n" + event_body(fields)).encode("utf-8"))


def heads_digest(heads: dict[str, dict[str, Any]]) -> tuple[str, str]:
    """SHA-256 and SM3 over a set of published chain heads, as anyone can recompute them from
    the published JSON (sorted keys, no spaces)."""
    body = json.dumps(heads, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(body).hexdigest(), sm3_hex(body)
