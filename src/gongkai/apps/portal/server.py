"""Serve the platform: granian (WSGI) plus the background-job worker as a child process."""

from __future__ import annotations

import os
import subprocess
import sys


def serve(*, host: str, port: int, workers: int, worker: bool) -> int:
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    child = None
    if worker:
        child = subprocess.Popen(
            [sys.executable, "-m", "gongkai.cli", "worker"], env=os.environ.copy()
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
        ).serve()
    except KeyboardInterrupt:
        pass
    finally:
        if child is not None:
            child.terminate()
            child.wait(timeout=10)
    return 0
