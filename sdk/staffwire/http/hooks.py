"""How the runtime hears that a connector is waiting on a rate limit, without the HTTP layer importing it.

The runtime (``staffwire.source``) wraps a stream's read in :func:`rate_limit_listener` with a callable that emits a
STREAM_STATUS ``RATE_LIMITED`` trace; every :class:`~staffwire.http.HttpClient` calls it before sleeping on a 429 (or
a long client-side throttle). A client built with ``on_rate_limited=`` uses its own callable instead.

A context variable follows the generator that reads the stream (generators run in their caller's context);
:mod:`staffwire.http.parallel` (every parallel read) copies the context into its worker threads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["RateLimitCallback", "current_rate_limit_listener", "rate_limit_listener"]

RateLimitCallback = Callable[[float], None]

_listener: ContextVar[RateLimitCallback | None] = ContextVar("staffwire_rate_limit_listener", default=None)


@contextmanager
def rate_limit_listener(callback: RateLimitCallback | None) -> Iterator[None]:
    """Within the block, HTTP clients call ``callback(wait_seconds)`` before each rate-limit wait."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)


def current_rate_limit_listener() -> RateLimitCallback | None:
    return _listener.get()
