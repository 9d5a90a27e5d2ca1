"""The task engine on this machine (ADR 0120): Celery with RabbitMQ and with Redis as broker.

For each broker: how long 500 empty jobs take from enqueue to done with two worker processes,
the latency of one job at a time (enqueue to done, median and 95th percentile of 50), and how
long a job whose worker is killed with SIGKILL in the middle takes to be finished by a second
worker. Jobs record completion in Redis (DB 7 by default, BENCH_REDIS_DB); RabbitMQ uses the
vhost BENCH_VHOST (default "/"). Run: ``.venv/bin/python -m bench bench_queues``.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
import uuid

import redis

REDIS_DB = os.environ.get("BENCH_REDIS_DB", "7")
VHOST = os.environ.get("BENCH_VHOST", "")
DONE = redis.Redis(host="127.0.0.1", db=int(REDIS_DB))
BROKERS = {
    "RabbitMQ": f"amqp://guest:guest@127.0.0.1:5672/{VHOST}",
    "Redis": f"redis://127.0.0.1:6379/{REDIS_DB}",
}
VISIBILITY = 20  # Redis broker: seconds before an unacknowledged job is handed out again


def make_app(broker: str):
    from celery import Celery

    app = Celery("bench_queues", broker=broker)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_transport_options={"visibility_timeout": VISIBILITY},
        worker_hijack_root_logger=False,
    )

    @app.task(name="bench.mark")
    def mark(key: str, seconds: float = 0.0) -> None:
        if seconds:
            DONE.set(f"{key}:started", "1")
            time.sleep(seconds)
        DONE.set(key, time.time())

    return app, mark


def worker(broker: str, name: str) -> subprocess.Popen:
    code = (
        "import sys; sys.argv=['x']; from bench.bench_queues import make_app; "
        f"app, _ = make_app({broker!r}); "
        f"app.worker_main(['worker', '--concurrency=2', '--hostname={name}', '--loglevel=WARNING',"
        " '--without-mingle', '--without-gossip', '--pool=prefork'])"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait(keys: list[str], limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if DONE.exists(*keys) == len(keys):
            return time.monotonic() - started
        time.sleep(0.005)
    raise TimeoutError(f"{len(keys)} jobs not done within {limit}s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def measure(label: str, broker: str) -> dict[str, float]:
    app, mark = make_app(broker)
    app.control.purge()
    first = worker(broker, f"one@{label}")
    time.sleep(6)
    warm = [uuid.uuid4().hex]
    mark.delay(warm[0])
    wait(warm, 60)
    keys = [uuid.uuid4().hex for _ in range(500)]
    started = time.monotonic()
    for key in keys:
        mark.delay(key)
    burst = time.monotonic() - started + wait(keys, 120)
    latencies = []
    for _ in range(50):
        key = uuid.uuid4().hex
        sent = time.monotonic()
        mark.delay(key)
        wait([key], 30)
        latencies.append(time.monotonic() - sent)
    # a job in the middle when its worker dies
    key = uuid.uuid4().hex
    mark.delay(key, 3.0)
    while not DONE.exists(f"{key}:started"):
        time.sleep(0.01)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    killed = time.monotonic()
    second = worker(broker, f"two@{label}")
    try:
        wait([key], VISIBILITY * 4 + 60)
        recovered = time.monotonic() - killed
    finally:
        stop(second)
    return {
        "500 jobs (s)": round(burst, 2),
        "jobs/s": round(500 / burst),
        "latency p50 (ms)": round(statistics.median(latencies) * 1000, 1),
        "latency p95 (ms)": round(sorted(latencies)[int(0.95 * len(latencies)) - 1] * 1000, 1),
        "killed job finished after (s)": round(recovered, 1),
    }


def main() -> None:
    for label, broker in BROKERS.items():
        print(label, measure(label, broker), flush=True)


if __name__ == "__main__":
    main()
