"""Work spread over forked processes while this one goes on, its results taken back in order.

The catalogue's index rebuild cuts texts this way while it feeds the index; the 双公示 import
checks rows while it stores the batches already checked. The processes are forked, so they
inherit the task and everything it refers to (a segmenter, an import's settings): only each
item's payload and its result are pickled. At most ``ahead`` items are in flight, so memory
stays flat however long the input.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

K = TypeVar("K")
R = TypeVar("R")

# the task the forked processes run: set before they are forked, so they inherit it
_task: Callable[[Any], Any] | None = None


def _run(payload: Any) -> Any:
    assert _task is not None  # inherited from the process that forked this one
    return _task(payload)


def ordered_map(
    task: Callable[[Any], R],
    items: Iterable[tuple[K, Any]],
    *,
    workers: int,
    ahead: int,
    initializer: Callable[[], object] | None = None,
) -> Iterator[tuple[K, R | None]]:
    """For each ``(kept, payload)`` of ``items``, in order: ``(kept, task(payload))``, the
    task run in one of ``workers`` forked processes; ``kept`` stays in this process. A
    payload of None is not sent (its result is None)."""
    global _task
    previous, _task = _task, task
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=initializer) as pool:
            pending: deque[tuple[K, Future[R] | None]] = deque()
            for kept, payload in items:
                pending.append((kept, None if payload is None else pool.submit(_run, payload)))
                while len(pending) > ahead:
                    done, future = pending.popleft()
                    yield done, None if future is None else future.result()
            while pending:
                done, future = pending.popleft()
                yield done, None if future is None else future.result()
    finally:
        _task = previous
