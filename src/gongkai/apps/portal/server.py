"""Serve the platform: granian (WSGI) and, beside it, this server's search follower.

Granian replaces a web worker process that dies (a crash, a kill, the request watchdog of
``gongkai.config.wsgi``, too much memory) instead of shutting the server down. The search
follower (``gongkai catalog follow``) keeps this server's index in step with the change log;
it is a child this process restarts when it dies. Embedded (not production, no broker) the
job worker with the scheduler runs as a second supervised child; in production workers and
the scheduler are always their own services (docs/deploy.md), on this machine or others.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

from gongkai.apps.portal.nodes import deployment_problems

log = logging.getLogger(__name__)

RESTART_PAUSE = 2.0


class Supervised:
    """A child process that is started again whenever it exits, until ``stop()``."""

    def __init__(self, name: str, argv: list[str]) -> None:
        self.name = name
        self.argv = argv
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"supervise-{name}", daemon=True)
        self.restarts = 0

    def start(self) -> Supervised:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.process = subprocess.Popen(self.argv, env=os.environ.copy())
            code = self.process.wait()  # reaped here: never left <defunct>
            if self._stopping.is_set() or code in (-signal.SIGTERM, -signal.SIGINT):
                return  # stopped on purpose (the service manager stops the whole group)
            self.restarts += 1
            log.error("%s exited with %s; starting it again", self.name, code)
            sys.stderr.write(f"{self.name} 已退出（{code}），{RESTART_PAUSE:.0f} 秒后重新启动\n")
            self._pause(RESTART_PAUSE)

    def _pause(self, seconds: float) -> None:
        """Short relative sleeps, not a timed wait on the event: a timed wait computes an
        absolute deadline, which never comes when the process clock is shifted (libfaketime
        in the dated test runs)."""
        end = time.monotonic() + seconds
        while not self._stopping.is_set() and time.monotonic() < end:
            time.sleep(0.1)

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._thread.join(timeout=timeout)


def _gongkai(*args: str) -> list[str]:
    return [sys.executable, "-m", "gongkai.cli", *args]


def _metrics_folder(data_dir, port: int) -> None:
    """Where granian's worker processes leave their metric samples: emptied at each start
    (samples of workers that no longer run would otherwise count forever)."""
    import shutil
    from pathlib import Path

    folder = Path(data_dir) / "metrics" / str(port)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def serve(*, host: str, port: int, workers: int, worker: bool) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    try:
        problems = deployment_problems()
    except DatabaseError as exc:
        sys.stderr.write(f"无法启动：数据库不可用或尚未建立（先运行 gongkai migrate）：{exc}\n")
        return 3
    if problems:
        for problem in problems:
            sys.stderr.write(f"无法启动：{problem}\n")
        return 3
    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    _metrics_folder(settings.DATA_DIR, port)
    children = [Supervised("检索索引跟随进程", _gongkai("catalog", "follow")).start()]
    embedded = not settings.PRODUCTION and settings.GONGKAI_BROKER_URL.startswith("filesystem:")
    if worker and embedded:
        children.append(
            Supervised(
                "后台任务进程", _gongkai("worker", "--concurrency=1", "--with-scheduler")
            ).start()
        )
    print(f"gongkai 正在 http://{host}:{port}/ 提供服务（按 Ctrl+C 停止）", flush=True)
    try:
        from granian import Granian
        from granian.constants import Interfaces

        Granian(
            "gongkai.config.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=max(1, workers),
            blocking_threads=1,
            respawn_failed_workers=True,
            respawn_interval=1.0,
            workers_max_rss=settings.GONGKAI_WORKER_MAX_RSS or None,
            rss_sample_interval=5,
            workers_kill_timeout=settings.GONGKAI_REQUEST_TIMEOUT + 5,
            log_access=settings.GONGKAI_ACCESS_LOG == "granian",
        ).serve()
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            child.stop()
        time.sleep(0)
    return 0
