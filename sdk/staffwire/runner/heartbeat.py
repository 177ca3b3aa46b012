"""Noticing a connector that hangs: no sign of life for longer than ``heartbeat_timeout``.

A sign of life is any line the process prints, on stdout or on stderr (a subprocess's stderr is read line by
line; an in-process connector has only stdout). Silence only counts while the runner is waiting for that
process:

* the **source** is judged while the relay waits for its next line -- not while the relay is blocked handing a
  record to a slow destination (the source is then blocked on a full pipe because of us, not hanging);
* the **destination** is judged while a write to its stdin is blocked (it stopped reading) and after its stdin
  was closed (it is finishing). A destination that reads records but prints nothing for hours is *batching*, not
  hanging: a completed write counts as a sign of life. While it waits for the source it is not judged at all.

This is the split Airbyte's platform makes (a heartbeat on the source's messages, default 3 hours; a timeout on
blocked calls into the destination). The relay beats a :class:`Pulse` per line (a clock read and an
attribute write) and switches which side is judged around each block it writes to the destination; the
:class:`Watchdog` thread looks at them a few times per timeout.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["DEFAULT_HEARTBEAT_TIMEOUT", "Pulse", "Watchdog", "format_duration", "parse_duration"]

#: Like Airbyte's platform (``HEARTBEAT_MAX_SECONDS_BETWEEN_MESSAGES``): 3 hours.
DEFAULT_HEARTBEAT_TIMEOUT = 3 * 3600.0

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


def parse_duration(value: object) -> float:
    """Seconds from a number of seconds or a string like ``90s``, ``45m``, ``3h``, ``250ms``; ``ValueError`` with
    a message a person can act on otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration; write seconds (10800) or e.g. 3h, 45m, 90s")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if match is None:
            raise ValueError(f"{value!r} is not a duration; write seconds (10800) or e.g. 3h, 45m, 90s")
        seconds = float(match[1]) * _UNIT[match[2]]
    if seconds <= 0:
        raise ValueError(f"{value!r} is not a positive duration; write e.g. 3h, 45m, 90s")
    return seconds


def format_duration(seconds: float) -> str:
    """``0.25s``, ``42s``, ``12m 5s``, ``3h 0m``: short and exact enough for an error message."""
    if seconds < 10:
        return f"{seconds:.2f}s"
    if seconds < 60:
        return f"{seconds:.0f}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m {int(seconds % 60)}s"
    return f"{int(seconds // 3600)}h {int(seconds % 3600 // 60)}m"


class Pulse:
    """The signs of life of one connector process, and whether its silence counts right now.

    Writers set ``last`` before setting ``watched = True``; the watchdog reads ``watched`` before ``last``. So a
    pulse that has just been resumed is never judged by a stale ``last``.
    """

    __slots__ = ("last", "name", "role", "watched")

    def __init__(self, role: str, name: str, *, watched: bool) -> None:
        self.role = role
        self.name = name
        self.last = time.monotonic()
        self.watched = watched

    def beat(self) -> None:
        self.last = time.monotonic()

    def resume(self) -> None:
        """Start judging its silence from now."""
        self.last = time.monotonic()
        self.watched = True

    def silence(self, now: float) -> float | None:
        """Seconds since its last sign of life, or None while its silence does not count."""
        if not self.watched:
            return None
        return now - self.last


class Watchdog:
    """A thread that calls ``on_silent(pulse, seconds)`` once, for the first pulse silent longer than ``timeout``.

    It checks every ``timeout / 4`` (at most every second), so a hang is noticed within 1.25 x ``timeout``.
    """

    def __init__(
        self, timeout: float, pulses: list[Pulse], on_silent: Callable[[Pulse, float], None]
    ) -> None:
        self.timeout = timeout
        self.pulses = pulses
        self.on_silent = on_silent
        self.fired: tuple[Pulse, float] | None = None
        self._stop = threading.Event()

    def check(self) -> bool:
        """One look at every pulse; True once a hang was found (and reported)."""
        if self.fired is not None:
            return True
        now = time.monotonic()
        for pulse in self.pulses:
            silent = pulse.silence(now)
            if silent is not None and silent > self.timeout:
                self.fired = (pulse, silent)
                self.on_silent(pulse, silent)
                return True
        return False

    def _loop(self) -> None:
        interval = min(self.timeout / 4, 1.0)
        while not self._stop.wait(interval):
            if self.check():
                return

    @contextmanager
    def running(self) -> Iterator[Watchdog]:
        thread = threading.Thread(target=self._loop, name="staffwire-watchdog", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()
