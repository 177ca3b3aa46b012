"""Showing a person what a run is doing.

:func:`make_progress` picks a live rich table (per-stream records read / written / rejected and rates) when the
output is a terminal, and plain timestamped log lines otherwise (CI logs, files). Both end with the same summary.
The relay calls :meth:`Progress.tick` often; displays throttle themselves.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, Protocol, TextIO

from staffwire.runner.stats import RunResult, RunStats, stream_label

__all__ = ["LogProgress", "NullProgress", "Progress", "RichProgress", "format_summary", "make_progress"]

_LEVELS = {"FATAL": 50, "ERROR": 40, "WARN": 30, "WARNING": 30, "INFO": 20, "DEBUG": 10, "TRACE": 5}


class Progress(Protocol):
    def started(self, stats: RunStats, description: str) -> None: ...

    def tick(self, stats: RunStats) -> None: ...

    def stream_status(self, stats: RunStats, stream: str, status: str) -> None: ...

    def log(self, origin: str, level: str, message: str) -> None: ...

    def finished(self, stats: RunStats, result: RunResult) -> None: ...


class NullProgress:
    """Shows nothing (library use, tests)."""

    def started(self, stats: RunStats, description: str) -> None:
        pass

    def tick(self, stats: RunStats) -> None:
        pass

    def stream_status(self, stats: RunStats, stream: str, status: str) -> None:
        pass

    def log(self, origin: str, level: str, message: str) -> None:
        pass

    def finished(self, stats: RunStats, result: RunResult) -> None:
        pass


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s" if seconds > 0.05 else "-"


def format_summary(result: RunResult) -> list[str]:
    """The end-of-run summary as plain lines (also used by the demo)."""
    lines = [f"run {result.run_id} of {result.connection}: {result.status} in {result.duration_s:.2f}s"]
    for name, s in result.streams.items():
        lines.append(
            f"  {name}: {s['records_read']} read, {s['records_written']} written, "
            f"{s['records_rejected']} rejected" + (f" ({s['status']})" if s.get("status") else "")
        )
    for rejected in result.rejected_records[:20]:
        where = " ".join(p for p in (rejected.get("stream"), rejected.get("record_id")) if p)
        lines.append(f"  rejected {where}: {rejected['message']}")
    if len(result.rejected_records) > 20:
        lines.append(
            f"  ... and {len(result.rejected_records) - 20} more rejected records (staffwire runs show "
            f"{result.run_id})"
        )
    for error in result.errors:
        lines.append(f"  error ({error.origin}, {error.failure_type}): {error.message}")
    return lines


class LogProgress:
    """Plain log lines: stream status changes, a counts line every ``interval`` seconds, warnings and errors."""

    def __init__(
        self, out: TextIO | None = None, *, interval: float = 5.0, level: str = "WARN", summary: bool = True
    ) -> None:
        self.out = out or sys.stderr
        self.summary = summary
        self.interval = interval
        self.min_level = _LEVELS.get(level, 30)
        self._last = 0.0
        self._lock = threading.Lock()

    def _line(self, text: str) -> None:
        with self._lock:
            self.out.write(f"{time.strftime('%H:%M:%S')} {text}\n")
            self.out.flush()

    def started(self, stats: RunStats, description: str) -> None:
        self._last = time.monotonic()
        self._line(f"run {stats.run_id} of {stats.connection} started: {description}")

    def tick(self, stats: RunStats) -> None:
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        parts = [
            f"{stream_label(k)} {c.read} read ({_rate(c.read, stats.elapsed)}), {c.written} written"
            for k, c in stats.streams.items()
            if c.read or c.committed
        ]
        if parts:
            self._line("progress: " + "; ".join(parts))

    def stream_status(self, stats: RunStats, stream: str, status: str) -> None:
        self._line(f"stream {stream}: {status.lower()}")

    def log(self, origin: str, level: str, message: str) -> None:
        if _LEVELS.get(level.upper(), 20) >= self.min_level:
            self._line(f"{origin} {level.lower()}: {message}")

    def finished(self, stats: RunStats, result: RunResult) -> None:
        if not self.summary:
            return
        for line in format_summary(result):
            self._line(line)


class RichProgress:
    """A live table on a terminal, refreshed a few times a second, then the summary."""

    def __init__(self, out: TextIO | None = None, *, level: str = "WARN", summary: bool = True) -> None:
        from rich.console import Console

        self.console = Console(file=out or sys.stderr)
        self.summary = summary
        self.min_level = _LEVELS.get(level, 30)
        self._live: Any = None
        self._stats: RunStats | None = None
        self._description = ""

    def _table(self) -> Any:
        from rich.table import Table

        stats = self._stats
        table = Table(title=f"{stats.connection if stats else ''}  {self._description}", title_justify="left")
        for column in ("stream", "status", "read", "rate", "written", "rejected"):
            table.add_column(column, justify="left" if column in ("stream", "status") else "right")
        if stats is not None:
            elapsed = stats.elapsed
            for key, c in list(stats.streams.items()):
                table.add_row(
                    stream_label(key),
                    stats.status.get(key, "pending").lower(),
                    f"{c.read:,}",
                    _rate(c.read, elapsed),
                    f"{c.written:,}",
                    f"{c.all_rejected:,}",
                )
            table.caption = f"{elapsed:.1f}s"
        return table

    def started(self, stats: RunStats, description: str) -> None:
        from rich.live import Live

        self._stats = stats
        self._description = description
        self._live = Live(
            self._table(), console=self.console, refresh_per_second=4, get_renderable=self._table
        )
        self._live.start()

    def tick(self, stats: RunStats) -> None:
        pass  # the Live display pulls the table itself

    def stream_status(self, stats: RunStats, stream: str, status: str) -> None:
        pass

    def log(self, origin: str, level: str, message: str) -> None:
        if _LEVELS.get(level.upper(), 20) >= self.min_level:
            self.console.print(
                f"[dim]{origin}[/dim] {level.lower()}: {message}", markup=True, highlight=False
            )

    def finished(self, stats: RunStats, result: RunResult) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        if not self.summary:
            return
        style = "green" if result.succeeded else "red"
        lines = format_summary(result)
        self.console.print(lines[0], style=style, highlight=False, markup=False)
        for line in lines[1:]:
            self.console.print(line, highlight=False, markup=False)


def make_progress(
    out: TextIO | None = None,
    *,
    quiet: bool = False,
    level: str = "WARN",
    summary: bool = True,
    plain: bool = True,
) -> Progress:
    """A live table on a terminal, plain log lines otherwise (nothing with ``plain=False``); nothing when
    ``quiet``. ``summary=False`` leaves the end-of-run summary to the caller."""
    if quiet:
        return NullProgress()
    stream = out or sys.stderr
    if stream.isatty():
        return RichProgress(stream, level=level, summary=summary)
    return LogProgress(stream, level=level, summary=summary) if plain else NullProgress()
