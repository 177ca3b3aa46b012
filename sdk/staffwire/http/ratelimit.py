"""A client-side rate limiter shared by every stream of a connector.

Limits are exact sliding windows ("at most N requests in any ``period`` seconds"), any number of them
(per second and per minute, say), plus a cap on requests in flight. One instance is passed to the
:class:`~staffwire.http.HttpClient` of a connector, so parallel streams and page fetches share the budget.

Hand-written rather than pyrate-limiter: the whole job is ~60 lines with an injectable clock (exact tests without
waiting), and it keeps the connectors' runtime dependencies to requests + orjson.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["RateLimiter"]


class RateLimiter:
    """``RateLimiter(per_second=10, per_minute=1500, max_concurrency=4)``; use ``with limiter.slot(): ...``."""

    def __init__(
        self,
        *,
        per_second: float | None = None,
        per_minute: float | None = None,
        limits: list[tuple[int, float]] | None = None,
        max_concurrency: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        windows: list[tuple[int, float]] = list(limits or [])
        if per_second:
            windows.extend(_as_window(per_second, 1.0))
        if per_minute:
            windows.extend(_as_window(per_minute, 60.0))
        for count, period in windows:
            if count < 1 or period <= 0:
                raise ValueError(
                    f"a rate limit needs at least 1 request per positive period, got {count}/{period}s"
                )
        self.windows = windows
        self.max_concurrency = max_concurrency
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._history: list[deque[float]] = [deque() for _ in windows]
        self._slots = threading.BoundedSemaphore(max_concurrency) if max_concurrency else None

    def acquire(self) -> float:
        """Wait until a request may start (and record it); returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait = 0.0
                for (count, period), history in zip(self.windows, self._history, strict=True):
                    # Same expression as the wait below: `t <= now - period` rounds differently, and a stale
                    # entry that computes a zero wait would stay in the window and let requests through.
                    while history and history[0] + period <= now:
                        history.popleft()
                    if len(history) >= count:
                        wait = max(wait, history[0] + period - now)
                if wait <= 0:
                    for history in self._history:
                        history.append(now)
                    return waited
            self._sleep(wait)
            waited += wait

    def next_wait(self) -> float:
        """Seconds until the next request could start (0 when it could start now). Does not record anything."""
        with self._lock:
            now = self._clock()
            wait = 0.0
            for (count, period), history in zip(self.windows, self._history, strict=True):
                recent = [t for t in history if t + period > now]
                if len(recent) >= count:
                    wait = max(wait, recent[0] + period - now)
            return wait

    @contextmanager
    def slot(self) -> Iterator[float]:
        """Hold a concurrency slot and a rate-limit token for one request; yields the seconds waited."""
        if self._slots is not None:
            self._slots.acquire()
        try:
            yield self.acquire()
        finally:
            if self._slots is not None:
                self._slots.release()


def _as_window(rate: float, period: float) -> list[tuple[int, float]]:
    """``per_second=2.5`` becomes 5 requests per 2 seconds: an integer count over a stretched period."""
    if float(rate).is_integer():
        return [(int(rate), period)]
    scale = 1
    while not float(rate * scale).is_integer() and scale < 1000:
        scale *= 10
    return [(max(1, round(rate * scale)), period * scale)]
