"""Hostile uploads against a real server: the portal keeps answering.

    python -m bench bench_hostile_uploads

Starts ``gongkai serve`` (granian, 2 workers) on 127.0.0.1:8167 with a throw-away SQLite
database under bench/data/hostile/, then, while a second thread asks ``/healthz`` every 0.2 s:

- the decompression bomb: a DOCX of ≈430 KB whose document.xml unpacks to 100 MB;
- the huge sheet: an XLSX of 3,000,000 cells (≈10 MB);
- a sheet just under the cell cap (19,900 cells), which the checker reads slowly: it is
  stopped by the child process's wall-time limit (4 s) if it takes longer;

each sent to the checker page (``/reports/check/``, with its CSRF token) and to
``POST /api/reports/check``. Recorded: the time to the answer and its message, and the slowest
``/healthz`` answer during the run. Target: each hostile file refused within 5 s, ``/healthz``
never slower than 1 s. Results: bench/results/hostile_uploads.md.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "hostile"
RESULTS = ROOT / "results" / "hostile_uploads.md"
PORT = int(os.environ.get("BENCH_HOSTILE_PORT", "8167"))
BASE = f"http://127.0.0.1:{PORT}"


def _multipart(name: str, data: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Health(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.slowest = 0.0
        self.failures = 0
        self.count = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                with urllib.request.urlopen(f"{BASE}/healthz", timeout=10) as response:
                    response.read()
            except (urllib.error.URLError, TimeoutError, OSError):
                self.failures += 1
            self.slowest = max(self.slowest, time.monotonic() - started)
            self.count += 1
            time.sleep(0.2)


def _page(name: str, data: bytes) -> tuple[float, int, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{BASE}/reports/check/", timeout=30) as response:
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()
        ).group(1)
    body, content_type = _multipart(name, data, {"csrfmiddlewaretoken": token})
    request = urllib.request.Request(
        f"{BASE}/reports/check/",
        data=body,
        headers={"Content-Type": content_type, "Referer": f"{BASE}/reports/check/"},
        method="POST",
    )
    started = time.monotonic()
    try:
        with opener.open(request, timeout=120) as response:
            status, html = response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        status, html = exc.code, exc.read().decode()
    elapsed = time.monotonic() - started
    message = re.search(r'<p class="error" role="alert">([^<]+)</p>', html)
    return elapsed, status, message.group(1) if message else "（页面无错误信息）"


def _api(name: str, data: bytes) -> tuple[float, int, str]:
    body, content_type = _multipart(name, data, {})
    request = urllib.request.Request(
        f"{BASE}/api/reports/check",
        data=body,
        headers={"Content-Type": content_type},
        method="POST",
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, payload = exc.code, exc.read()
    elapsed = time.monotonic() - started
    try:
        detail = json.loads(payload).get("detail", "")
    except ValueError:
        detail = payload[:200].decode(errors="replace")
    return elapsed, status, detail


def main() -> None:
    sys.path.insert(0, str(ROOT.parent))
    from tests.hostile import big_xlsx, bomb_docx

    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(DATA),
        "GONGKAI_TRUSTED_PROXIES": "",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    gongkai = str(Path(sys.executable).parent / "gongkai")
    subprocess.run([gongkai, "migrate"], env=env, check=True, capture_output=True)
    files = [
        ("年报-炸弹.docx", "decompression bomb (100 MB of XML)", bomb_docx(100)),
        ("年报-巨表.xlsx", "3,000,000-cell sheet", big_xlsx(3_000_000)),
        ("年报-慢表.xlsx", "19,900-cell sheet (under the cap)", big_xlsx(19_900)),
    ]
    server = subprocess.Popen(
        [gongkai, "serve", "--host", "127.0.0.1", "--port", str(PORT), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{BASE}/healthz", timeout=2).read()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        health = Health()
        health.start()
        for name, label, data in files:
            for where, send in (("page", _page), ("API", _api)):
                elapsed, status, message = send(name, data)
                rows.append((label, len(data), where, elapsed, status, message))
                print(f"{label:38} {where:4} {elapsed:6.2f} s  {status}  {message}", flush=True)
        health.stop.set()
        health.join()
    finally:
        server.terminate()
        server.wait(timeout=20)
    lines = [
        "# Hostile uploads against a real server",
        "",
        "`python -m bench bench_hostile_uploads` — `gongkai serve` (granian, 2 workers), SQLite,",
        "on this machine (2 cores, shared). Target: every hostile file refused within 5 s while",
        "`/healthz` keeps answering.",
        "",
        "| file | size | sent to | answered in | status | message |",
        "|---|---|---|---|---|---|",
    ]
    for label, size, where, elapsed, status, message in rows:
        lines.append(
            f"| {label} | {size / 1024:,.0f} KB | {where} | {elapsed:.2f} s | {status} | {message} |"
        )
    lines += [
        "",
        f"`/healthz` during the run: {health.count} requests, {health.failures} failed, "
        f"slowest {health.slowest:.2f} s.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"slowest /healthz {health.slowest:.2f} s, {health.failures} failures")


if __name__ == "__main__":
    main()
