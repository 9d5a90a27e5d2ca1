"""The leak sweep over the demo: ``gongkai privacy sweep`` walks the whole public surface of
the demo site (pages, feeds, sitemaps, API answers, exports, every download) in process.

    python -m bench bench_sweep

Loads the demo into bench/data/sweep/ (git-ignored) the first time, then times the sweep.
Target: under 2 minutes on the 2-core machine, with zero unmasked findings (exit 0).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "sweep"
GONGKAI = str(Path(sys.executable).with_name("gongkai"))


def main() -> None:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(DATA)}
    if not (DATA / "demo-loaded").exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run([GONGKAI, "demo", "--no-serve", "--no-worker"], env=env, check=True)
        (DATA / "demo-loaded").touch()
    load = os.getloadavg()
    started = time.monotonic()
    done = subprocess.run(
        [GONGKAI, "privacy", "sweep"], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    summary = [
        line for line in done.stdout.splitlines() if line.startswith(("共访问", "未发现", "发现"))
    ]
    print(f"exit {done.returncode}, {seconds:.1f} s, load {load[0]:.2f}")
    print("\n".join(summary))
    if done.returncode != 0:
        print(done.stdout[-4000:])
