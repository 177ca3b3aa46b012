"""Fault switches for sandboxes: error statuses, dropped connections, slow, truncated or HTML answers, short pages.

Part of the sandbox kit (:mod:`staffwire.testing.sandbox` re-exports these names); each :class:`Sandbox
<staffwire.testing.sandbox.Sandbox>` has one :class:`Faults` that every request consults once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FAULT_KINDS", "Fault", "FaultSpecError", "Faults", "apply_fault_spec", "parse_fault_spec"]


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

    def listing(self) -> list[dict[str, Any]]:
        """The switches and how often each fired (the sandbox's admin route answers it)."""
        with self._lock:
            return [
                {
                    "kind": f.kind,
                    "path": f.path,
                    "method": f.method,
                    "status": f.status,
                    "times": f.times,
                    "after": f.after,
                    "fired": f.fired,
                }
                for f in self._faults
            ]

    def pick(self, method: str, path: str) -> Fault | None:
        """The fault that fires for this request, if any (counts it as fired)."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.fires(method, path):
                    return fault
        return None


# ------------------------------------------------------------------------------------- switches as text
#: the fault kinds of ``staffwire sandbox run --fault`` and the admin endpoint, with the options each takes
FAULT_KINDS: dict[str, tuple[str, ...]] = {
    "rate-limit": ("times", "after", "method", "retry-after"),
    "server-error": ("times", "after", "method", "status", "retry-after"),
    "drop": ("times", "after", "method"),
    "drop-after-write": ("times", "after", "method"),
    "slow": ("times", "after", "method", "delay"),
    "truncate": ("times", "after", "method"),
    "html": ("times", "after", "method"),
    "short-pages": ("times", "after", "method", "max"),
    "expire-tokens": ("uses", "seconds"),
}


class FaultSpecError(ValueError):
    """A fault switch written as text that cannot be read; the message says what is allowed."""


def parse_fault_spec(spec: str) -> tuple[str, str, dict[str, Any]]:
    """``KIND[@PATH_REGEX][,option=value...]`` -> (kind, path, options), e.g.
    ``rate-limit@/oauth/token,times=2,retry-after=1``, ``truncate@/token,times=forever``,
    ``expire-tokens,uses=2``. ``times=forever`` keeps a fault on; numbers are read as numbers."""
    head, *pairs = [part.strip() for part in spec.split(",")]
    kind, _, path = head.partition("@")
    if kind not in FAULT_KINDS:
        raise FaultSpecError(f"unknown fault kind {kind!r} in {spec!r}; kinds: {', '.join(FAULT_KINDS)}")
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in FAULT_KINDS[kind]:
            allowed = ", ".join(f"{k}=" for k in FAULT_KINDS[kind])
            raise FaultSpecError(f"fault {kind!r} takes the options {allowed} (got {pair!r} in {spec!r})")
        options[key] = _option_value(key, value, spec)
    if path:
        try:
            re.compile(path)
        except re.error as exc:
            raise FaultSpecError(f"the path of {spec!r} is not a regular expression: {exc}") from None
    return kind, path, options


def _option_value(key: str, value: str, spec: str) -> Any:
    if key in ("method", "retry-after"):
        return value
    if key == "times" and value == "forever":
        return None
    try:
        return float(value) if key in ("delay", "seconds") else int(value)
    except ValueError:
        raise FaultSpecError(f"option {key} of {spec!r} must be a number, got {value!r}") from None


def apply_fault_spec(faults: Faults, spec: str, token_books: Sequence[Any] = ()) -> str:
    """Switch on the fault ``spec`` describes (see :func:`parse_fault_spec`); a line saying what is on.
    ``expire-tokens`` applies to ``token_books`` (the sandbox's :class:`~staffwire.testing.tokens.TokenBook`s)."""
    kind, path, options = parse_fault_spec(spec)
    if kind == "expire-tokens":
        uses, seconds = options.get("uses"), options.get("seconds")
        if uses is None and seconds is None:
            raise FaultSpecError(f"{spec!r}: say uses=N and/or seconds=S")
        for book in token_books:
            book.expire_after(uses, seconds=seconds)
        return f"tokens and sessions expire after {uses if uses is not None else 'any number of'} uses" + (
            f" or {seconds:g}s" if seconds is not None else ""
        )
    common = {
        "times": options.get("times", 1),
        "after": options.get("after", 0),
        "method": options.get("method"),
    }
    if kind == "rate-limit":
        faults.rate_limit(path, retry_after=options.get("retry-after"), **common)
    elif kind == "server-error":
        faults.server_error(
            path, status=options.get("status", 500), retry_after=options.get("retry-after"), **common
        )
    elif kind in ("drop", "drop-after-write"):
        faults.drop(path, applied=kind == "drop-after-write", **common)
    elif kind == "slow":
        faults.slow(path, delay=options.get("delay", 1.0), **common)
    elif kind == "truncate":
        faults.truncate(path, **common)
    elif kind == "html":
        faults.html(path, **common)
    else:
        faults.short_pages(path, max_records=options.get("max", 1), **common)
    times = "every time" if common["times"] is None else f"{common['times']} time(s)"
    return (
        f"{kind} on {path or 'every path'} ({times}"
        + (f", after {common['after']}" if common["after"] else "")
        + ")"
    )
