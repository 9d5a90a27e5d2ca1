"""Text messages through a small adapter: cities plug in their own SMS gateway.

A backend is any class with ``send(phone, text) -> str`` returning the gateway's message id
(raise ``SmsError`` when the gateway refuses). ``GONGKAI_SMS_BACKEND`` names it by dotted
path. The default, ``LoggingSmsBackend``, sends nothing: it appends each message as a JSON
line to ``GONGKAI_SMS_OUTBOX`` (var/sms/outbox.jsonl in the demo) and logs it, so the demo
shows what a citizen would receive.
"""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from gongkai import clock

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not take the message (the reason in Chinese)."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> str: ...


class LoggingSmsBackend:
    """Writes messages to a file and the log instead of a gateway (demo, development)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path or settings.GONGKAI_SMS_OUTBOX)

    def send(self, phone: str, text: str) -> str:
        message_id = f"log-{uuid.uuid4().hex[:16]}"
        line = {"id": message_id, "at": clock.now().isoformat(), "to": phone, "text": text}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise SmsError(f"短信日志无法写入：{exc}") from exc
        log.info("sms %s to %s: %s", message_id, phone[:3] + "****", text)
        return message_id


class MemorySmsBackend:
    """Keeps messages in ``outbox`` (tests)."""

    outbox: list[dict[str, str]] = []

    def send(self, phone: str, text: str) -> str:
        message_id = f"mem-{len(self.outbox) + 1}"
        self.outbox.append({"id": message_id, "to": phone, "text": text})
        return message_id


def sms_backend() -> SmsBackend:
    return import_string(settings.GONGKAI_SMS_BACKEND)()


def backend_name() -> str:
    return settings.GONGKAI_SMS_BACKEND
