"""Showing a person what a run is doing.

:func:`make_progress` picks a live rich table (per-stream records read / written / rejected and rates) when the
output is a terminal, and plain timestamped log lines otherwise (CI logs, files). Both end with the same summary.
The relay calls :meth:`Progress.tick` often; displays throttle themselves.
"""

from __future__ import annotations

import sys
import textwrap
import threading
import time
from typing import Any, Protocol, TextIO

from staffwire.runner.stats import RunResult, RunStats, stream_label

__all__ = [
    "LogProgress",
    "NullProgress",
    "Progress",
    "RichProgress",
    "format_summary",
    "make_progress",
    "wrap_lines",
]

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


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s" if seconds > 0.05 else "-"


def _clock(seconds: float) -> str:
    """Elapsed time for a live display: ``4.2s``, ``2m 05s``, ``1h 02m``."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m {int(seconds % 60):02d}s"
    return f"{int(seconds // 3600)}h {int(seconds % 3600 // 60):02d}m"


def estimate_text(read: int, total: int | None, seconds: float) -> str:
    """`` of 5,000 (24%, ETA 1m 02s)`` for a stream whose source announced ``total`` rows (an ESTIMATE trace);
    empty without an estimate. The ETA assumes the rate so far holds."""
    if not total:
        return ""
    share = min(read / total, 1.0)
    text = f" of {total:,} ({share:.0%}"
    if 0 < read < total and seconds > 0.05:
        text += f", ETA {_clock((total - read) / (read / seconds))}"
    return text + ")"


class _StreamTimes:
    """When each stream started and ended (from its STARTED / COMPLETE / INCOMPLETE status), so a stream's rate
    is its records over the time it was read -- not over the whole run, which would make a finished stream's
    rate keep falling while the others run."""

    def __init__(self) -> None:
        self.began: dict[str, float] = {}
        self.ended: dict[str, float] = {}

    def status(self, stream: str, status: str) -> None:
        now = time.monotonic()
        if status == "STARTED":
            self.began.setdefault(stream, now)
        elif status in ("COMPLETE", "INCOMPLETE"):
            self.ended.setdefault(stream, now)

    def rate(self, stream: str, count: int, stats: RunStats) -> str:
        if not count:
            return "-"
        began = self.began.get(stream, stats.started)
        return _rate(count, self.ended.get(stream, time.monotonic()) - began)


def format_summary(result: RunResult) -> list[str]:
    """The end-of-run summary as plain lines (also used by the demo)."""
    lines = [f"run {result.run_id} of {result.connection}: {result.status} in {result.duration_s:.2f}s"]
    for name, s in result.streams.items():
        lines.append(
            f"  {name}: {s['records_read']} read, {s['records_written']} written, "
            f"{s['records_rejected']} rejected" + (f" ({s['status']})" if s.get("status") else "")
        )
    for rejected in result.rejected_records[:20]:
        where = " ".join(p for p in (rejected.get("stream"), rejected.get("record_id") or "(no id)") if p)
        reasons = [
            str(r["message"])
            for r in rejected.get("reasons") or []
            if isinstance(r, dict) and r.get("message")
        ]
        lines.append(f"  rejected {where}: {'; '.join(reasons) or rejected['message']}")
    if len(result.rejected_records) > 20:
        lines.append(
            f"  ... and {len(result.rejected_records) - 20} more rejected records (staffwire runs show "
            f"{result.run_id})"
        )
    for error in result.errors:
        lines.append(f"  error ({error.origin}, {error.failure_type}): {error.message}")
    if result.errors and result.log:
        lines.append(f"  log: {result.log}")
    return lines


class LogProgress:
    """Plain log lines for CI logs and files: stream status changes, warnings and errors as they happen, and every
    ``interval`` seconds one line with each started stream's counts and its rate over that interval (so a
    stalled stream shows ``0/s``), whether or not records arrive -- a quiet CI log then still shows the run is
    alive and where it is."""

    def __init__(
        self, out: TextIO | None = None, *, interval: float = 5.0, level: str = "WARN", summary: bool = True
    ) -> None:
        self.out = out or sys.stderr
        self.summary = summary
        self.interval = interval
        self.min_level = _LEVELS.get(level, 30)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None
        self._previous: dict[str, int] = {}
        self._last = 0.0

    def _line(self, text: str) -> None:
        with self._lock:
            self.out.write(f"{time.strftime('%H:%M:%S')} {text}\n")
            self.out.flush()

    def started(self, stats: RunStats, description: str) -> None:
        self._last = time.monotonic()
        self._previous = {}
        self._stop.clear()
        self._line(f"run {stats.run_id} of {stats.connection} started: {description}")
        self._timer = threading.Thread(
            target=self._every_interval, args=(stats,), name="staffwire-progress", daemon=True
        )
        self._timer.start()

    def _every_interval(self, stats: RunStats) -> None:
        while not self._stop.wait(self.interval):
            self.report(stats)

    def report(self, stats: RunStats) -> None:
        """One counts line: ``progress: users 1,200 read (240/s), 1,000 written, 3 rejected; orders ...``."""
        now = time.monotonic()
        seconds, self._last = now - self._last, now
        parts = []
        for key, c in list(stats.streams.items()):
            name = stream_label(key)
            if not (c.read or c.committed or key in stats.status):
                continue  # not started yet
            rate = _rate(c.read - self._previous.get(name, 0), seconds)
            self._previous[name] = c.read
            rejected = c.all_rejected
            total = stats.estimates.get(key)
            parts.append(
                f"{name} {c.read:,}{estimate_text(c.read, total, stats.elapsed)} read ({rate}), {c.written:,} written"
                + (f", {rejected:,} rejected" if rejected else "")
            )
        if parts:
            self._line(f"progress after {_clock(stats.elapsed)}: " + "; ".join(parts))

    def tick(self, stats: RunStats) -> None:
        pass  # the interval thread reports; ticks come per 1,000 records, too often or too rarely for a log

    def stream_status(self, stats: RunStats, stream: str, status: str) -> None:
        self._line(f"stream {stream}: {status.lower()}")

    def log(self, origin: str, level: str, message: str) -> None:
        if _LEVELS.get(level.upper(), 20) >= self.min_level:
            self._line(f"{origin} {level.lower()}: {message}")

    def finished(self, stats: RunStats, result: RunResult) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer.join()
            self._timer = None
        if not self.summary:
            return
        for line in format_summary(result):
            self._line(line)


_FIXED_COLUMNS = 50  # the width of the status and count columns with their padding


def wrap_lines(text: str, width: int) -> str:
    """Each line of ``text`` wrapped at word boundaries to ``width``, continuation lines indented two more than
    the line itself (a word longer than the line is left whole: the terminal folds it)."""
    wrapped = []
    for line in text.split("\n"):
        if len(line) <= width:
            wrapped.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        wrapped.append(
            textwrap.fill(
                line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
            )
        )
    return "\n".join(wrapped)


class RichProgress:
    """A live table on a terminal, redrawn four times a second in place, then the summary.

    The display is one header line (cut with an ellipsis, never wrapped), the table (fixed columns; long stream
    names are cut) and one footer line. It is transient: when the run ends it is erased and the summary is
    printed in its place, so the counts are not shown twice. Warnings and errors are printed above it.
    """

    def __init__(self, out: TextIO | None = None, *, level: str = "WARN", summary: bool = True) -> None:
        from rich.console import Console

        self.console = Console(file=out or sys.stderr)
        self.summary = summary
        self.min_level = _LEVELS.get(level, 30)
        self._live: Any = None
        self._stats: RunStats | None = None
        self._description = ""
        self._times = _StreamTimes()

    def _render(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        stats = self._stats
        header = Text(
            f"{stats.connection if stats else ''}: {self._description}",
            style="bold",
            no_wrap=True,
            overflow="ellipsis",
        )
        # Never wider than the terminal (a wrapped line would break the redraw), and fixed minimum widths so
        # growing numbers do not make the table jump sideways; a long stream name is cut instead.
        table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold underline")
        table.add_column(
            "stream", no_wrap=True, overflow="ellipsis", max_width=max(8, self.console.width - _FIXED_COLUMNS)
        )
        table.add_column("status", no_wrap=True, min_width=10)
        for column in ("read", "rate", "written", "rejected"):
            table.add_column(column, justify="right", no_wrap=True, min_width=7)
        totals = [0, 0, 0]
        if stats is not None:
            for key, c in list(stats.streams.items()):
                name = stream_label(key)
                total = stats.estimates.get(key)
                table.add_row(
                    name,
                    stats.status.get(key, "pending").lower(),
                    f"{c.read:,}" + (f"/{total:,}" if total else ""),
                    self._times.rate(name, c.read, stats),
                    f"{c.written:,}",
                    f"{c.all_rejected:,}",
                )
                totals = [totals[0] + c.read, totals[1] + c.written, totals[2] + c.all_rejected]
        elapsed = stats.elapsed if stats is not None else 0.0
        announced = (
            sum(stats.estimates.values()) if stats and len(stats.estimates) == len(stats.streams) else 0
        )
        footer = Text(
            f"{_clock(elapsed)}  {totals[0]:,}{estimate_text(totals[0], announced, elapsed)} read, {totals[1]:,} "
            f"written, {totals[2]:,} rejected",
            style="dim",
            no_wrap=True,
            overflow="ellipsis",
        )
        return Group(header, table, footer)

    def started(self, stats: RunStats, description: str) -> None:
        from rich.live import Live

        self._stats = stats
        self._description = description
        self._times = _StreamTimes()
        self._live = Live(
            console=self.console,
            refresh_per_second=4,
            get_renderable=self._render,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._live.start()

    def tick(self, stats: RunStats) -> None:
        pass  # the Live display pulls the table itself

    def stream_status(self, stats: RunStats, stream: str, status: str) -> None:
        self._times.status(stream, status)

    def log(self, origin: str, level: str, message: str) -> None:
        if _LEVELS.get(level.upper(), 20) >= self.min_level:
            from rich.text import Text

            text = wrap_lines(f"{origin} {level.lower()}: {message}", self.console.width - 1)
            line = Text(text)
            line.stylize("dim", 0, len(origin))
            self.console.print(line, highlight=False, soft_wrap=True)

    def finished(self, stats: RunStats, result: RunResult) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
        if not self.summary:
            return
        style = "green" if result.succeeded else "red"
        width = self.console.width - 1
        lines = format_summary(result)
        self.console.print(
            wrap_lines(lines[0], width), style=style, highlight=False, markup=False, soft_wrap=True
        )
        for line in lines[1:]:
            self.console.print(wrap_lines(line, width), highlight=False, markup=False, soft_wrap=True)


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
