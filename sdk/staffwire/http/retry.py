"""When to retry a request and how long to wait: exponential backoff with jitter, ``Retry-After`` parsing."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["RetryPolicy", "parse_retry_after"]


@dataclass
class RetryPolicy:
    """Retry timings. Tests pass tiny values (``RetryPolicy(base_delay=0.001)``) so faults cost milliseconds.

    ``max_attempts`` counts the first try. Waits grow ``base_delay * factor ** (attempt - 1)`` up to
    ``max_delay``; ``jitter`` (0..1) takes up to that fraction off each wait at random so parallel workers do
    not retry in lock-step. A ``Retry-After`` is honoured up to ``max_retry_after`` seconds (longer is
    treated as the cap). ``sleep`` and ``clock`` are injectable.
    """

    max_attempts: int = 6
    base_delay: float = 0.5
    factor: float = 2.0
    max_delay: float = 60.0
    jitter: float = 0.5
    max_retry_after: float = 300.0
    rate_limit_attempts: int = 10
    retry_statuses: frozenset[int] = frozenset({500, 502, 503, 504, 408})
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.time, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)

    def backoff(self, attempt: int) -> float:
        """The wait after failed attempt number ``attempt`` (1-based)."""
        delay = min(self.max_delay, self.base_delay * self.factor ** max(0, attempt - 1))
        return delay * (1.0 - self.jitter * self.random())

    def retry_after(self, header: str | None, attempt: int) -> float:
        """The wait a 429 asks for: its ``Retry-After`` (seconds or HTTP date, capped), else the backoff."""
        parsed = parse_retry_after(header, now=self.clock())
        if parsed is None:
            return self.backoff(attempt)
        return min(parsed, self.max_retry_after)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delta-seconds or an HTTP date; None when absent/invalid."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, moment.timestamp() - current)
