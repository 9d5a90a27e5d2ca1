"""Public pages against a minimal Django view and a static file, on the same server.

    python -m bench bench_pages                 # demo data, granian with 2 workers, wrk -c16
    GONGKAI_BENCH_SECONDS=10 python -m bench bench_pages

Two servers run the product with the same settings on the demo data (bench/data/pages), one
with the anonymous page cache (ADR 0110) and one without. For each page the benchmark
alternates, round after round, between the page on both servers, the minimal view (one query,
the whole middleware stack) and a static file served by whitenoise, each measured with
``wrk -t2 -c16`` for a few seconds while the other server is idle. It prints requests per
second and the ratios the targets are stated in (cached page / static file, uncached page /
minimal view), and writes them with the machine's load (``uptime``) to bench/results/pages.md.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
DATA = ROOT / "data" / "pages"
RESULTS = ROOT / "results" / "pages.md"
CACHED_PORT, UNCACHED_PORT = 8191, 8192
SEARCH = "/search/?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80+%E5%9F%B9%E8%AE%AD"  # 政务公开 培训


def _seconds() -> float:
    return float(os.environ.get("GONGKAI_BENCH_SECONDS", "5"))


def _rounds() -> int:
    return int(os.environ.get("GONGKAI_BENCH_ROUNDS", "2"))


def _env(page_cache: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GONGKAI_DATA_DIR=str(DATA),
        GONGKAI_ACCESS_LOG="off",
        GONGKAI_PAGE_CACHE="true" if page_cache else "false",
        DJANGO_SETTINGS_MODULE="bench.pages_settings",
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def _gongkai() -> str:
    return str(Path(sys.executable).with_name("gongkai"))


def _prepare() -> None:
    if not (DATA / "gongkai.sqlite3").exists():
        DATA.mkdir(parents=True, exist_ok=True)
        print("loading the demo city (once) …", flush=True)
        subprocess.run([_gongkai(), "demo", "--no-serve"], env=_env(True), check=True, cwd=REPO)
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        subprocess.run(["bash", str(REPO / "scripts" / "system-packages.sh"), "wrk"], check=True)


def _start(port: int, page_cache: bool) -> subprocess.Popen:
    log = open(DATA / f"server-{port}.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [_gongkai(), "serve", "--port", str(port), "--workers", "2", "--no-worker"],
        env=_env(page_cache),
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait(port: int) -> None:
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/minimal/", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"服务器 {port} 未能启动，见 {DATA}/server-{port}.log")


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return response.read().decode("utf-8", "replace")


def _wrk(port: int, path: str) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{_seconds():g}s", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if non2xx:
        print(f"  ! {path}: {non2xx.group(1)} responses were not 2xx/3xx", flush=True)
    return float(match.group(1)) if match else 0.0


def _pages() -> list[tuple[str, str]]:
    home = _get(CACHED_PORT, "/")
    document = re.search(r'href="(/catalog/documents/\d+/)"', home)
    column = re.search(r'href="(/catalog/columns/[\w-]+/)"', home)
    assert document and column, "首页上没有文件或栏目链接"
    return [
        ("home `/`", "/"),
        ("document page", document.group(1)),
        ("column list", column.group(1)),
        ("`/search/?q=政务公开 培训`", SEARCH),
        ("`/api/catalog/documents`", "/api/catalog/documents"),
    ]


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    _prepare()
    servers = [_start(CACHED_PORT, True), _start(UNCACHED_PORT, False)]
    try:
        _wait(CACHED_PORT)
        _wait(UNCACHED_PORT)
        pages = _pages()
        for _, path in pages:  # warm both servers (and the cache)
            _get(CACHED_PORT, path)
            _get(UNCACHED_PORT, path)
        load_before = _uptime()
        print(load_before, flush=True)
        rows = []
        for label, path in pages:
            runs: dict[str, list[float]] = {
                "cached": [],
                "uncached": [],
                "minimal": [],
                "static": [],
            }
            for _ in range(_rounds()):
                runs["cached"].append(_wrk(CACHED_PORT, path))
                runs["minimal"].append(_wrk(CACHED_PORT, "/bench/minimal/"))
                runs["uncached"].append(_wrk(UNCACHED_PORT, path))
                runs["static"].append(_wrk(CACHED_PORT, "/static/gongkai.css"))
            med = {k: statistics.median(v) for k, v in runs.items()}
            row = (
                label,
                med["cached"],
                med["uncached"],
                med["minimal"],
                med["static"],
                med["cached"] / med["static"] if med["static"] else 0.0,
                med["uncached"] / med["minimal"] if med["minimal"] else 0.0,
            )
            rows.append(row)
            print(
                f"{label}: cached {row[1]:.0f}/s, uncached {row[2]:.0f}/s, minimal view "
                f"{row[3]:.0f}/s, static {row[4]:.0f}/s → cached/static {row[5]:.2f}, "
                f"uncached/minimal {row[6]:.2f}",
                flush=True,
            )
        load_after = _uptime()
        print(load_after, flush=True)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    _write(rows, load_before, load_after)


def _write(rows, load_before: str, load_after: str) -> None:
    cpus = os.cpu_count()
    lines = [
        "# Public pages against a minimal Django view and a static file",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `python -m bench bench_pages`: "  # noqa: TID251
        f"demo data on SQLite, granian with 2 workers per server, `wrk -t2 -c16 -d{_seconds():g}s`, "
        f"{_rounds()} alternated rounds per page (median), {cpus} CPUs.",
        "",
        f"Load before: `{load_before}`  ",
        f"Load after: `{load_after}`",
        "",
        "| page | cached req/s | uncached req/s | minimal view req/s | static file req/s "
        "| cached / static (target ≥ 0.50) | uncached / minimal (target ≥ 0.25) |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, cached, uncached, minimal, static, r1, r2 in rows:
        lines.append(
            f"| {label} | {cached:,.0f} | {uncached:,.0f} | {minimal:,.0f} | {static:,.0f} "
            f"| {r1:.2f} | {r2:.2f} |"
        )
    lines.append("")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
