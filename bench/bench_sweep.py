"""The leak sweep over the demo: ``gongkai privacy sweep`` walks the whole public surface of
the demo site (pages, feeds, sitemaps, API answers and their items, exports, every download)
in process, then the demo applicant's own pages and released files.

    python -m bench bench_sweep            (SWEEP_WORKERS=N to set the parallelism)

Loads the demo into bench/data/sweep/ (git-ignored) the first time, saying how long that
took, and runs the background work it leaves queued (``gongkai worker --drain``: the report
files and gazette PDFs a site's worker renders after publication), then times the sweep: wall seconds, the CPU seconds of the sweep and its worker
processes (what the machine's other work cannot inflate), URLs, downloads, URLs per second,
and the load average from /proc/loadavg before and after (the machine is shared).
Target: under 2 minutes on the 2-core machine, with zero unmasked findings (exit 0).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench import loadavg

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "sweep"
GONGKAI = str(Path(sys.executable).with_name("gongkai"))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(DATA), "GONGKAI_ACCESS_LOG": "off"}
    if not (DATA / "demo-loaded").exists():
        DATA.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        subprocess.run(
            [GONGKAI, "demo", "--no-serve", "--no-worker"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"demo loaded in {time.monotonic() - started:.0f} s")
        # what the demo leaves to its worker (report files, gazette PDFs), as a site's worker
        # renders them after publication: the sweep reads them, it does not make them
        started = time.monotonic()
        drained = subprocess.run(
            [GONGKAI, "worker", "--drain"],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        print(f"{drained.stdout.strip()} ({time.monotonic() - started:.0f} s)")
        (DATA / "demo-loaded").touch()
    command = [GONGKAI, "privacy", "sweep", "--applicant", "zhangsan"]
    if os.environ.get("SWEEP_WORKERS"):
        command += ["--workers", os.environ["SWEEP_WORKERS"]]
    load_before = loadavg()
    cpu_before = _children_cpu()
    started = time.monotonic()
    # the progress bar goes to stderr as it is; the report (stdout) is read below
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    seconds = time.monotonic() - started
    cpu = _children_cpu() - cpu_before
    load_after = loadavg()
    match = re.search(r"共访问 (\d+) 个网址，其中下载文件 (\d+) 个", done.stdout)
    urls, downloads = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    print(f"exit {done.returncode}; {urls} URLs, {downloads} downloads")
    print(f"{seconds:.1f} s wall, {cpu:.1f} s CPU (sweep and workers), {urls / seconds:.1f} URLs/s")
    print(f"load average before {load_before}, after {load_after} ({os.cpu_count()} cores)")
    summary = [
        line
        for line in done.stdout.splitlines()
        if line.startswith(("共访问", "未发现", "发现", "无法读取", "服务器错误"))
    ]
    print("\n".join(summary))
    if done.returncode != 0:
        print(done.stdout[-4000:])
