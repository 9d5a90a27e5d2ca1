"""Small helpers shared by CLI commands: progress bars and one-line errors."""

from __future__ import annotations

import sys
import time


class Progress:
    """A progress bar on stderr (a line every few seconds when stderr is not a terminal)."""

    def __init__(self, label: str, total: int | None = None, stream=None) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self._last = time.monotonic() if not self.tty else 0.0
        self._printed = False
        self.done = 0

    def update(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if now - self._last < (0.1 if self.tty else 5.0):
            return
        self._last = now
        self._draw()
        self._printed = True

    def _draw(self, end: str = "") -> None:
        elapsed = time.monotonic() - self.started
        if self.total:
            share = min(1.0, self.done / self.total)
            filled = int(share * 30)
            bar = "█" * filled + "·" * (30 - filled)
            text = f"{self.label} [{bar}] {self.done}/{self.total} {share:5.1%} {elapsed:5.1f}s"
        else:
            text = f"{self.label} {self.done} {elapsed:5.1f}s"
        prefix = "\r" if self.tty else ""
        self.stream.write(prefix + text + (end if self.tty else "\n"))
        self.stream.flush()

    def finish(self) -> None:
        if self._printed or (self.tty and (self.done or self.total)):
            self._draw(end="\n")


def fail(message: str, code: int = 2) -> int:
    """Print a one-line Chinese error to stderr and return the exit code."""
    sys.stderr.write(f"错误：{message}\n")
    return code
