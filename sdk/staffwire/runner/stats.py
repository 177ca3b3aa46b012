"""What a run has done so far: per-stream counts and statuses, rejections and errors.

Shared by the relay (which updates it), the progress display (which reads it) and the history (which stores it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from staffwire.runner.store import StreamCounts

__all__ = ["RunError", "RunResult", "RunStats", "StreamCounts", "stream_label"]

StreamKey = tuple[str, str]  # (namespace or "", name)


def stream_label(key: StreamKey) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


@dataclass(frozen=True)
class RunError:
    origin: str  # "source", "destination" or "runner"
    failure_type: str
    message: str
    stream: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "failure_type": self.failure_type,
            "message": self.message,
            "stream": self.stream,
        }


@dataclass
class RunStats:
    connection: str
    run_id: int = 0
    streams: dict[StreamKey, StreamCounts] = field(default_factory=dict)
    status: dict[StreamKey, str] = field(default_factory=dict)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    estimates: dict[StreamKey, int] = field(default_factory=dict)  # rows a source's ESTIMATE trace announced

    def counts(self, key: StreamKey) -> StreamCounts:
        counts = self.streams.get(key)
        if counts is None:
            counts = self.streams[key] = StreamCounts()
        return counts

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


@dataclass
class RunResult:
    """The outcome of :func:`staffwire.runner.run_sync`."""

    run_id: int
    connection: str
    status: str  # "succeeded" | "failed"
    duration_s: float
    streams: dict[str, dict[str, Any]]
    rejected_records: list[dict[str, Any]]
    errors: list[RunError]
    failure_type: str | None = None
    error: str | None = None
    log: str | None = None  # the run's log file (staffwire.runner.logfile)

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"

    @property
    def exit_code(self) -> int:
        return 0 if self.succeeded else 1

    def totals(self) -> dict[str, int]:
        keys = ("records_read", "records_written", "records_rejected")
        return {k: sum(int(s[k]) for s in self.streams.values()) for k in keys}

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "connection": self.connection,
            "status": self.status,
            "duration_s": self.duration_s,
            "streams": self.streams,
            "rejected_records": self.rejected_records,
            "errors": [e.as_dict() for e in self.errors],
            "failure_type": self.failure_type,
            "error": self.error,
            "log": self.log,
        }
