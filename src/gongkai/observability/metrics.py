"""Prometheus metrics: request latency (every web worker process adds to it), and figures read
from the database at each scrape: jobs waiting and the age of the oldest, workers alive, and
how far each server's search index is behind the change log.

Granian runs several worker processes: ``gongkai serve`` points PROMETHEUS_MULTIPROC_DIR at a
fresh folder, where each process writes its samples and the scrape adds them up.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from gongkai import clock
from gongkai.apps.catalog.search.follow import log_head
from gongkai.apps.jobs.models import NodeRole
from gongkai.apps.jobs.selectors import nodes_live
from gongkai.apps.jobs.services import queue_stats

REQUEST_SECONDS = Histogram(
    "gongkai_http_request_duration_seconds",
    "Time to answer a request, by route pattern and status",
    ["method", "route", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)


class PlatformCollector:
    """Figures every server reads the same from the database at scrape time."""

    def collect(self) -> Iterator[Any]:
        now = clock.now()
        stats = queue_stats(now=now)
        yield GaugeMetricFamily(
            "gongkai_jobs_waiting", "Jobs queued or waiting for a retry", value=stats["waiting"]
        )
        yield GaugeMetricFamily(
            "gongkai_jobs_running", "Jobs being run by a worker", value=stats["running"]
        )
        yield GaugeMetricFamily(
            "gongkai_jobs_oldest_waiting_seconds",
            "Age of the oldest job still waiting",
            value=stats["oldest_age"],
        )
        yield GaugeMetricFamily(
            "gongkai_workers_live",
            "Workers that ran scheduled work in the last two minutes",
            value=len(nodes_live(role=NodeRole.WORKER, now=now)),
        )
        head = log_head()
        yield GaugeMetricFamily(
            "gongkai_search_log_head", "Last change in the search change log", value=head
        )
        lag = GaugeMetricFamily(
            "gongkai_search_index_lag",
            "Changes in the search log a server's index has not applied",
            labels=["server"],
        )
        for node in nodes_live(role=NodeRole.WEB, now=now):
            if node.position is not None:
                lag.add_metric([node.name], max(0, head - node.position))
        yield lag


def render() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(PlatformCollector())
    return generate_latest(registry)
