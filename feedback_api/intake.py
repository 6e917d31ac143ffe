"""Group processing of new cases: a pipeline of stages, each in its own thread, each handling
everything that queued up while it was busy as one batch.

The case service (:func:`feedback_api.cases.submit`) runs two stages: routing (one call to the
classifier for the whole batch, much cheaper per message than one call each) and writing (one
transaction and one durable commit for the whole batch — a group commit). A caller waits on
its item's future, which is resolved only after the commit, so "acknowledged" still means "on
disk". Under light load a batch is a single item and nothing waits for company; under heavy
load batches grow by themselves and the cost of routing and fsync is shared.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

log = logging.getLogger(__name__)

MAX_BATCH = 64
_STOP = object()


class PipelineItem:
    """Something passing through the pipeline; its ``future`` carries the outcome."""

    def __init__(self) -> None:
        self.future: Future = Future()


Stage = Callable[[list[Any]], None]


class BatchPipeline:
    """Items go through ``stages`` in order. A stage gets a list of items; it may resolve an
    item's future (with a result or an exception), and resolved items skip later stages. A
    stage that raises fails every unresolved item of its batch with that exception."""

    def __init__(self, stages: list[Stage], name: str):
        self._queues: list[queue.SimpleQueue] = [queue.SimpleQueue() for _ in stages]
        self._threads = [
            threading.Thread(
                target=self._run, args=(index, stage), name=f"{name}-{index}", daemon=True
            )
            for index, stage in enumerate(stages)
        ]
        for thread in self._threads:
            thread.start()

    def put(self, item: PipelineItem) -> Future:
        self._queues[0].put(item)
        return item.future

    def close(self) -> None:
        """Finish what is queued, then stop the threads."""
        self._queues[0].put(_STOP)
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self, index: int, stage: Stage) -> None:
        inbox = self._queues[index]
        outbox = self._queues[index + 1] if index + 1 < len(self._queues) else None
        while True:
            batch = [inbox.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(inbox.get_nowait())
                except queue.Empty:
                    break
            stopping = _STOP in batch
            items = [item for item in batch if item is not _STOP and not item.future.done()]
            if items:
                try:
                    stage(items)
                except Exception as exc:  # the batch fails; the service keeps running
                    log.exception("pipeline stage %s failed for %d items", index, len(items))
                    for item in items:
                        if not item.future.done():
                            item.future.set_exception(exc)
            if outbox is not None:
                for item in items:
                    if not item.future.done():
                        outbox.put(item)
                if stopping:
                    outbox.put(_STOP)
            if stopping:
                return
