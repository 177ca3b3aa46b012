"""Fault switches for sandboxes: error statuses, dropped connections, slow, truncated or HTML answers, short pages.

Part of the sandbox kit (:mod:`staffwire.testing.sandbox` re-exports these names); each :class:`Sandbox
<staffwire.testing.sandbox.Sandbox>` has one :class:`Faults` that every request consults once.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

__all__ = ["Fault", "Faults"]


@dataclass
class Fault:
    """One fault switch.

    kind: ``status`` (answer ``status`` with ``body``/``retry_after``), ``drop_before`` (close the connection
    before the handler runs), ``drop_after`` (run the handler, so its change is applied, then close without an
    answer), ``slow`` (sleep ``delay`` seconds, then answer normally), ``truncate`` (send the first half of the
    real body), ``html`` (answer 200 with an HTML page, as a proxy or login wall would).
    The fault skips the first ``after`` matching requests, then fires ``times`` times (None: forever).
    """

    kind: str
    path: str = ""
    method: str | None = None
    status: int = 500
    body: Any = None
    retry_after: str | None = None
    delay: float = 0.0
    times: int | None = 1
    after: int = 0
    seen: int = 0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return re.search(self.path, path) is not None if self.path else True

    def fires(self, method: str, path: str) -> bool:
        """Count a matching request; True when this one is past ``after`` and within ``times`` (counted as
        fired). Call with the owning :class:`Faults`' lock held."""
        if not self.matches(method, path):
            return False
        self.seen += 1
        if self.seen <= self.after or (self.times is not None and self.fired >= self.times):
            return False
        self.fired += 1
        return True


class Faults:
    """The fault switches of one sandbox. Thread-safe; each request consults them once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._page_caps: list[tuple[Fault, int]] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._page_caps.clear()

    def short_pages(
        self,
        path: str = "",
        *,
        max_records: int = 1,
        times: int | None = None,
        after: int = 0,
        method: str | None = None,
    ) -> Fault:
        """Answer at most ``max_records`` per page (as an API capping wide pages does). Handlers opt in by asking
        :meth:`Sandbox.page_limit` for the page size; independent of the other switches."""
        fault = Fault("short_page", path, method, times=times, after=after)
        with self._lock:
            self._page_caps.append((fault, max_records))
        return fault

    def page_cap(self, method: str, path: str) -> int | None:
        """The record cap a short-pages switch puts on this request, if any (counts it as fired)."""
        if not self._page_caps:
            return None
        with self._lock:
            for fault, cap in self._page_caps:
                if fault.fires(method, path):
                    return cap
        return None

    def rate_limit(
        self,
        path: str = "",
        *,
        times: int | None = 1,
        after: int = 0,
        retry_after: str | None = None,
        body: Any = None,
        method: str | None = None,
    ) -> Fault:
        return self.add(Fault("status", path, method, 429, body, retry_after, times=times, after=after))

    def server_error(
        self,
        path: str = "",
        *,
        status: int = 500,
        times: int | None = 1,
        after: int = 0,
        body: Any = None,
        method: str | None = None,
        retry_after: str | None = None,
    ) -> Fault:
        """Answer ``status`` (default 500); a 503 may carry ``retry_after`` (a maintenance window)."""
        return self.add(Fault("status", path, method, status, body, retry_after, times=times, after=after))

    def drop(
        self,
        path: str = "",
        *,
        applied: bool = False,
        times: int | None = 1,
        after: int = 0,
        method: str | None = None,
    ) -> Fault:
        """Drop the connection; with ``applied=True`` only after the handler has made its change."""
        return self.add(
            Fault("drop_after" if applied else "drop_before", path, method, times=times, after=after)
        )

    def slow(
        self,
        path: str = "",
        *,
        delay: float = 1.0,
        times: int | None = 1,
        after: int = 0,
        method: str | None = None,
    ) -> Fault:
        return self.add(Fault("slow", path, method, delay=delay, times=times, after=after))

    def truncate(
        self, path: str = "", *, times: int | None = 1, after: int = 0, method: str | None = None
    ) -> Fault:
        return self.add(Fault("truncate", path, method, times=times, after=after))

    def html(
        self, path: str = "", *, times: int | None = 1, after: int = 0, method: str | None = None
    ) -> Fault:
        return self.add(Fault("html", path, method, times=times, after=after))

    def pick(self, method: str, path: str) -> Fault | None:
        """The fault that fires for this request, if any (counts it as fired)."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.fires(method, path):
                    return fault
        return None
