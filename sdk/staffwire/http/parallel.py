"""The SDK's one ordered parallel reader: producers run in a bounded thread pool, their items come out in producer
order.

Used for every parallel read in the SDK (offset pages of a known total, partitions, key ranges)::

    for items in ordered_parallel([lambda: read(a), lambda: read(b)], workers=3):
        for item in items:      # a's items, then b's: exactly as a sequential read would give them
            ...

Why this shape: a checkpoint after any item is exact only if items leave in the order a sequential read would give
them, and memory stays bounded only if a producer far ahead of the reader waits. So:

* at most ``workers`` producers run at once; ``ahead`` producers (default ``2 * workers``) are handed to the pool
  in order, so a thread whose producer ended picks up the next one while the reader is still busy with an earlier
  one; each writes into its own queue of ``queue_size`` items and blocks when it is full, so at most
  ``ahead * queue_size`` items wait in memory;
* the reader takes producer *i*'s items until its end, then moves to *i + 1* (handing the next producer to the
  pool); the pool runs producers first come first served, so the one being read is always running and the pool
  never deadlocks;
* a producer's error is raised to the reader where it happened in order (after the items it produced before it);
  errors of later producers never overtake the items of earlier ones;
* closing the iterator (the consumer stopped early, or failed) tells every worker to stop and waits for them, so no
  thread keeps requesting after a read ends;
* workers run in a copy of the reader's context (log ownership, the rate-limit listener are context variables).

A consumer must read (or abandon) each producer's iterator before asking for the next one: the iterators are
views on one ordered stream, not independent streams.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

__all__ = ["ordered_parallel", "ordered_parallel_chain"]

T = TypeVar("T")

_DONE = object()
_POLL = 0.05


class _Failed:
    """A producer's error, carried to the reader in order."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Channel(Generic[T]):
    """One producer's bounded queue; ``put`` gives up when the reader has stopped."""

    def __init__(self, size: int, stop: threading.Event) -> None:
        self.items: queue.Queue[Any] = queue.Queue(maxsize=max(1, size))
        self.stop = stop

    def put(self, item: Any) -> bool:
        while not self.stop.is_set():
            try:
                self.items.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def run(self, produce: Callable[[], Iterable[T]]) -> None:
        """Worker: every item of the producer, then the end marker (or its error), unless told to stop."""
        try:
            items = produce()
            iterator = iter(items)
            try:
                for item in iterator:
                    if not self.put(item):
                        return
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()
            self.put(_DONE)
        except BaseException as exc:  # handed to the reader, which raises it in order
            self.put(_Failed(exc))

    def drain(self) -> Iterator[T]:
        while True:
            item = self.items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item


def ordered_parallel(
    producers: Iterable[Callable[[], Iterable[T]]],
    *,
    workers: int,
    queue_size: int = 2,
    ahead: int | None = None,
    thread_name: str = "staffwire-read",
) -> Generator[Iterator[T], None, None]:
    """For each producer, in order, an iterator over its items (see the module docstring). ``workers <= 1`` runs
    the producers one after the other on the reader's thread (no pool, no queue)."""
    if workers <= 1:
        for produce in producers:
            yield iter(produce())
        return
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=thread_name)
    running: deque[_Channel[T]] = deque()
    remaining = iter(producers)

    def start() -> bool:
        produce = next(remaining, None)
        if produce is None:
            return False
        channel: _Channel[T] = _Channel(queue_size, stop)
        pool.submit(contextvars.copy_context().run, channel.run, produce)
        running.append(channel)
        return True

    try:
        for _ in range(max(workers, ahead if ahead is not None else 2 * workers)):
            if not start():
                break
        while running:
            channel = running.popleft()
            yield channel.drain()
            start()
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


def ordered_parallel_chain(
    producers: Iterable[Callable[[], Iterable[T]]],
    *,
    workers: int,
    queue_size: int = 2,
    ahead: int | None = None,
    thread_name: str = "staffwire-read",
) -> Iterator[T]:
    """:func:`ordered_parallel` flattened: every item of every producer, in producer order."""
    for items in ordered_parallel(
        producers, workers=workers, queue_size=queue_size, ahead=ahead, thread_name=thread_name
    ):
        yield from items
