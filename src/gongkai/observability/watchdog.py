"""The request timeout: a web worker busy with one request longer than
``GONGKAI_REQUEST_TIMEOUT`` seconds ends itself, and granian starts a fresh one.

A WSGI thread cannot be interrupted from outside; ending the process is what gunicorn's
worker timeout does too. Each granian worker serves one request at a time (one blocking
thread), so only the stuck request is lost; nginx answers its client with a gateway error.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

EXIT_TIMEOUT = 70


class RequestWatchdog:
    def __init__(self, app: Any, timeout: float, *, check_every: float = 1.0) -> None:
        self.app = app
        self.timeout = timeout
        self.check_every = check_every
        self._running: dict[int, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def _ensure_thread(self) -> None:
        # started in the worker process on its first request (never in a parent that forks)
        if self._thread is None or self._thread.ident is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._watch, name="request-watchdog", daemon=True
            )
            self._thread.start()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        key = threading.get_ident()
        with self._lock:
            self._ensure_thread()
            self._running[key] = (time.monotonic(), environ.get("PATH_INFO", ""))
        try:
            return self.app(environ, start_response)
        finally:
            with self._lock:
                self._running.pop(key, None)

    def overdue(self, now: float) -> list[tuple[float, str]]:
        with self._lock:
            return [
                (now - started, path)
                for started, path in self._running.values()
                if now - started > self.timeout
            ]

    def _watch(self) -> None:
        while True:
            time.sleep(self.check_every)
            late = self.overdue(time.monotonic())
            if late:
                seconds, path = late[0]
                message = (
                    f"request to {path} still running after {seconds:.0f}s "
                    f"(limit {self.timeout:.0f}s): ending web worker {os.getpid()}"
                )
                log.critical(message)
                sys.stderr.write(message + "\n")
                sys.stderr.flush()
                os._exit(EXIT_TIMEOUT)
