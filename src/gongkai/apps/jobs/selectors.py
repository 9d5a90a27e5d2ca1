"""Reads about the platform's processes: which servers and workers reported lately."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from gongkai import clock
from gongkai.apps.jobs.models import Node, NodeRole

LIVE = dt.timedelta(minutes=2)  # a process reports at least every 30 s while it runs


def nodes_live(*, role: str, now: dt.datetime) -> list[Node]:
    return list(Node.objects.filter(role=role, seen_at__gte=now - LIVE).order_by("name"))


def nodes_wait_for_position(
    position: int,
    *,
    progress: Callable[[int, int], None],
    poll: float = 2.0,
) -> tuple[list[str], int]:
    """Wait until every web server seen lately has applied the log up to ``position``;
    return the servers that did and how many were waited for."""
    while True:
        live = [n for n in nodes_live(role=NodeRole.WEB, now=clock.now()) if n.engine == "tantivy"]
        done = [n.name for n in live if n.position is not None and n.position >= position]
        progress(len(done), len(live))
        if len(done) == len(live):
            return done, len(live)
        time.sleep(poll)
