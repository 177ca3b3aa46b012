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
  one;
* each producer holds at most ``queue_size`` items and waits when it has them, so at most ``ahead * queue_size``
  items wait in memory; or, given a ``buffer``, the items waiting are bounded in total instead: producers share a
  budget of up to ``buffer`` items (it starts at ``workers`` and grows while the reader waits for data, see
  ``_Buffer``) and wait when it is spent, and the producer being read may hold ``queue_size`` more. Given a
  ``weight`` too, the budget counts what each item weighs (a page: its rows) rather than items, in steps of
  ``step``: a page an API cut short (200 rows where 500 were asked) then takes only its share of the budget.
  With the shared budget a producer ahead of the reader keeps its thread busy (a latency-bound read of many small
  ranges keeps ``workers`` requests in flight) while at most ``buffer + queue_size`` items wait, whatever the
  number of items;
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
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

__all__ = ["ordered_parallel", "ordered_parallel_chain"]

T = TypeVar("T")

_DONE = object()
_POLL = 0.05
_SHRINK_AFTER = 4
_CPU_BOUND = 0.6  # share of one core above which a read is CPU-bound (a latency-bound one used ~0.4)


class _Failed:
    """A producer's error, carried to the reader in order."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Buffer:
    """The items waiting across every producer, bounded in total rather than per producer.

    Why shared: with a small queue per producer, a producer ahead of the reader fills its queue and waits while
    its thread could fetch, so fewer than ``workers`` requests are in flight on a latency-bound read. A shared
    budget lets any producer run ahead while the total waiting stays bounded. The producer being read (the head)
    may always hold ``head_room`` items beyond the budget, so a budget filled by later producers never blocks the
    one the reader waits for. Without a budget (``limit`` None) every producer holds at most ``head_room``.

    The budget adapts between ``start`` and ``limit``: it grows by one each time the reader has to wait for the
    producer it reads while the budget is spent and the process has CPU to spare (producers ahead wait for room: a
    latency-bound read, where room means requests in flight), and shrinks by one after every ``_SHRINK_AFTER``
    items the reader got without waiting or waited, while the process kept a core busy (the reader or the CPU is
    the bottleneck: more room would only hold more pages in memory and give the garbage collector more to scan).
    With a ``weight``, ``count`` and the budget are in its units and move by ``step`` (or by the first item's
    weight when that is smaller: see :meth:`learn`)."""

    def __init__(
        self,
        limit: int | None,
        head_room: int,
        stop: threading.Event,
        start: int = 1,
        step: int = 1,
        weight: Callable[[Any], int] | None = None,
    ) -> None:
        self.cond = threading.Condition()
        self.step = max(1, step)
        self.weight = weight
        self.most = max(self.step, limit) if limit is not None else None
        self.least = min(self.most, max(self.step, start)) if self.most is not None else None
        self.limit = self.least
        self.learned = weight is None
        self.head_room = max(1, head_room)
        self.count = 0
        self.fed = 0  # items the reader got without waiting since the budget last changed
        self._since = (time.monotonic(), time.process_time())
        self._busy = False
        self.head: _Channel[Any] | None = None
        self.stop = stop

    def starved(self) -> None:
        """The reader waits for the producer it reads (called under ``cond``)."""
        if self.limit is None or self.most is None or self.count < self.limit:
            return
        if self._cpu_bound():
            self.fed_at_once()
        elif self.limit < self.most:
            self.limit = min(self.most, self.limit + self.step)
            self.fed = 0
            self.cond.notify_all()

    def _cpu_bound(self) -> bool:
        """Whether the process used most of a core since the last look (looks at most every 0.2 s). Then the
        reader waits for CPU, not for the network: more room would not start more work, only hold more pages."""
        now, cpu = time.monotonic(), time.process_time()
        if now - self._since[0] >= 0.2:
            self._busy = (cpu - self._since[1]) / (now - self._since[0]) > _CPU_BOUND
            self._since = (now, cpu)
        return self._busy

    def fed_at_once(self) -> None:
        """The reader got an item without waiting (called under ``cond``). That shrinks the budget only while the
        process keeps a core busy: on a latency-bound read the reader also finds items at once when it reaches a
        producer that finished ahead of it, and shrinking then would stall the producers after it."""
        if (
            self.limit is not None
            and self.least is not None
            and self.limit > self.least
            and self._cpu_bound()
        ):
            self.fed += 1
            if self.fed >= _SHRINK_AFTER:
                self.limit = max(self.least, self.limit - self.step)
                self.fed = 0

    def size(self, item: Any) -> int:
        return 1 if self.weight is None else self.weight(item)

    def learn(self, size: int) -> None:
        """The first weighed item smaller than ``step`` becomes the step (called under ``cond``): pages as the API
        answers them (200 rows where 500 were asked), so the budget starts at ``start / step`` such pages and
        moves a page at a time; ``most`` stays, in rows."""
        if self.learned or size <= 0 or self.most is None or self.least is None or self.limit is None:
            return
        self.learned = True
        if size >= self.step:
            return
        pages = self.least // self.step
        at_least = self.limit == self.least
        self.step = size
        self.least = min(self.most, max(size, pages * size))
        if at_least:
            self.limit = self.least

    def read_next(self, channel: _Channel[Any]) -> None:
        with self.cond:
            self.head = channel
            self.cond.notify_all()

    def wake(self) -> None:
        with self.cond:
            self.cond.notify_all()


class _Channel(Generic[T]):
    """One producer's items, in order; ``put`` waits for room in the shared buffer, gives up when the reader has
    stopped."""

    def __init__(self, buffer: _Buffer) -> None:
        self.items: deque[Any] = deque()
        self.buffer = buffer

    def put(self, item: Any, *, marker: bool = False) -> bool:
        buffer = self.buffer
        with buffer.cond:
            while not marker:  # end markers take no room: a finished producer never waits
                if buffer.stop.is_set():
                    return False
                if len(self.items) < buffer.head_room and (buffer.limit is None or buffer.head is self):
                    break
                if buffer.limit is not None and buffer.count < buffer.limit:
                    break
                buffer.cond.wait(_POLL)
            if buffer.stop.is_set():
                return False
            self.items.append(item)
            if not marker:
                size = buffer.size(item)
                buffer.learn(size)
                buffer.count += size
            buffer.cond.notify_all()
            return True

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
            self.put(_DONE, marker=True)
        except BaseException as exc:  # handed to the reader, which raises it in order
            self.put(_Failed(exc), marker=True)

    def drain(self) -> Iterator[T]:
        buffer = self.buffer
        buffer.read_next(self)
        while True:
            with buffer.cond:
                if self.items:
                    buffer.fed_at_once()
                while not self.items:
                    buffer.starved()
                    buffer.cond.wait()
                item = self.items.popleft()
                if item is not _DONE and not isinstance(item, _Failed):
                    buffer.count -= buffer.size(item)
                    buffer.cond.notify_all()
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
    buffer: int | None = None,
    weight: Callable[[T], int] | None = None,
    step: int = 1,
    thread_name: str = "staffwire-read",
) -> Generator[Iterator[T], None, None]:
    """For each producer, in order, an iterator over its items (see the module docstring). ``workers <= 1`` runs
    the producers one after the other on the reader's thread (no pool, no queue)."""
    if workers <= 1:
        for produce in producers:
            yield iter(produce())
        return
    stop = threading.Event()
    started = max(workers, ahead if ahead is not None else 2 * workers)
    shared = _Buffer(buffer, queue_size, stop, start=workers * step, step=step, weight=weight)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=thread_name)
    running: deque[_Channel[T]] = deque()
    remaining = iter(producers)

    def start() -> bool:
        produce = next(remaining, None)
        if produce is None:
            return False
        channel: _Channel[T] = _Channel(shared)
        pool.submit(contextvars.copy_context().run, channel.run, produce)
        running.append(channel)
        return True

    try:
        for _ in range(started):
            if not start():
                break
        while running:
            channel = running.popleft()
            yield channel.drain()
            start()
    finally:
        stop.set()
        shared.wake()
        pool.shutdown(wait=True, cancel_futures=True)


def ordered_parallel_chain(
    producers: Iterable[Callable[[], Iterable[T]]],
    *,
    workers: int,
    queue_size: int = 2,
    ahead: int | None = None,
    buffer: int | None = None,
    weight: Callable[[T], int] | None = None,
    step: int = 1,
    thread_name: str = "staffwire-read",
) -> Iterator[T]:
    """:func:`ordered_parallel` flattened: every item of every producer, in producer order."""
    for items in ordered_parallel(
        producers,
        workers=workers,
        queue_size=queue_size,
        ahead=ahead,
        buffer=buffer,
        weight=weight,
        step=step,
        thread_name=thread_name,
    ):
        yield from items
