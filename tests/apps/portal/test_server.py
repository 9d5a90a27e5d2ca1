"""The server as an operator runs it: a real `gongkai serve` process (granian), killed workers,
the watchdog; and the health and metrics endpoints."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gongkai.observability.watchdog import RequestWatchdog

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("PYTEST_", "GONGKAI_", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
        )
    }
    env.update(GONGKAI_DATA_DIR=str(data_dir), GONGKAI_NODE_NAME="test-server")
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    data = tmp_path_factory.mktemp("served")
    subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "migrate", "--verbosity", "0"],
        env=_env(data),
        check=True,
        timeout=300,
    )
    return data


def _get(url: str, timeout: float = 5.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _web_workers(pid: int) -> list[int]:
    """granian's worker processes (they carry the serve command line; the supervised
    children carry their own)."""
    return [p for p in _children(pid) if " serve " in _cmdline(p)]


def _wait_answering(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return _get(url, timeout=2)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds}s")


@pytest.mark.slow
def test_a_killed_web_worker_is_replaced_and_the_site_keeps_answering(migrated, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(migrated, data)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), "--workers", "2"],
        env=_env(data),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        home = f"http://127.0.0.1:{port}/"
        assert _wait_answering(home, 60) == 200
        workers = _web_workers(server.pid)
        assert len(workers) == 2, [_cmdline(p) for p in _children(server.pid)]
        os.kill(workers[0], signal.SIGKILL)
        # the other worker answers meanwhile, and a new one takes the killed one's place
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            now_workers = _web_workers(server.pid)
            if len(now_workers) == 2 and workers[0] not in now_workers:
                break
            time.sleep(0.3)
        assert len(now_workers) == 2 and workers[0] not in now_workers
        assert server.poll() is None
        # a request may wait for the new worker to finish starting on a busy machine
        assert all(_get(home, timeout=60) == 200 for _ in range(6))
        # the search follower is a supervised child too: killed, it is started again
        follower = [p for p in _children(server.pid) if "follow" in _cmdline(p)]
        assert len(follower) == 1
        os.kill(follower[0], signal.SIGKILL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            again = [p for p in _children(server.pid) if "follow" in _cmdline(p)]
            if again and again != follower:
                break
            time.sleep(0.3)
        assert again and again != follower
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_the_watchdog_ends_a_worker_only_for_a_request_past_the_limit():
    seen = []

    def app(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return [b"ok"]

    dog = RequestWatchdog(app, timeout=30, check_every=3600)  # its thread stays asleep
    assert dog({"PATH_INFO": "/"}, None) == [b"ok"]
    assert dog.overdue(time.monotonic() + 3600) == []  # finished requests are forgotten
    dog._running[1] = (time.monotonic() - 31, "/reports/check/")
    assert [path for _s, path in dog.overdue(time.monotonic())] == ["/reports/check/"]


def test_the_watchdog_really_ends_the_process(tmp_path):
    script = tmp_path / "stuck.py"
    script.write_text(
        "import time\n"
        "from gongkai.observability.watchdog import RequestWatchdog\n"
        "def app(environ, start_response):\n"
        "    time.sleep(30)\n"
        "RequestWatchdog(app, timeout=1, check_every=0.2)({'PATH_INFO': '/slow'}, None)\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=20, cwd=ROOT
    )
    assert done.returncode == 70 and "/slow" in done.stderr
    assert time.monotonic() - started < 10


@pytest.mark.django_db
def test_healthz_lists_every_check_and_fails_only_for_what_this_server_needs(
    client, monkeypatch, settings, tmp_path
):
    from gongkai.apps.catalog.search.indexing import index_flush

    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    unfollowed = json.loads(client.get("/healthz").content)
    assert not unfollowed["checks"]["search"]["ok"]  # a new index that never caught up
    index_flush()
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert set(body["checks"]) == {"database", "cache", "search", "worker", "calendar"}
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    # no worker ran scheduled work in this test: degraded, but the server stays in service
    assert not body["checks"]["worker"]["ok"] and response.status_code == 200
    assert body["status"] == "degraded"

    from gongkai.apps.catalog.search import tantivy_engine

    def broken(self):
        raise OSError("索引文件损坏")

    monkeypatch.setattr(tantivy_engine.TantivyEngine, "count", broken)
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503 and body["status"] == "failing"
    assert "索引文件损坏" in body["checks"]["search"]["detail"]


@pytest.mark.django_db
def test_healthz_sees_a_worker_that_ran_scheduled_work(client):
    from gongkai import clock
    from gongkai.apps.jobs.services import worker_heartbeat

    worker_heartbeat(now=clock.now())
    body = json.loads(client.get("/healthz").content)
    assert body["checks"]["worker"]["ok"]


@pytest.mark.django_db
def test_metrics_from_this_machine_only_with_queue_and_latency(client, world):
    from gongkai.apps.jobs.models import Job

    Job.objects.create(kind="x", title="等待中")
    client.get("/")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "gongkai_jobs_waiting 1.0" in text
    assert "gongkai_jobs_oldest_waiting_seconds" in text
    assert (
        'gongkai_http_request_duration_seconds_count{method="GET",route="/",status="200"}' in text
    )
    assert "gongkai_search_log_head" in text
    proxied = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxied.status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 403


@pytest.mark.django_db
def test_metrics_with_a_token(client, settings):
    settings.GONGKAI_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    ok = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert ok.status_code == 200
