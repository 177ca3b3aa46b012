"""A log file per run, kept beside the run history: ``<db folder>/logs/run-<id>.log``.

Everything the run's progress display receives goes into it at every level (connector LOG messages, stream
status changes, counts every few seconds, the summary), plus each subprocess connector's last lines on stderr (a
PyPI connector's traceback, which its TRACE error only points at with "see the logs"). Values are masked as in
the history. ``staffwire runs show`` and every failure message name the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from staffwire.runner.progress import LogProgress, Progress
from staffwire.runner.stats import RunResult, RunStats

__all__ = ["RunLog", "run_log_path"]


def run_log_path(db_path: Path, run_id: int) -> Path:
    """Where run ``run_id`` of the database at ``db_path`` keeps its log."""
    return Path(db_path).parent / "logs" / f"run-{run_id}.log"


class RunLog:
    """A :class:`~staffwire.runner.progress.Progress` that passes everything on to ``inner`` and writes it to the
    run's log file."""

    def __init__(self, path: Path, inner: Progress) -> None:
        self.path = path
        self.inner = inner
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in finished()
        self._lines = LogProgress(self._file, level="DEBUG", summary=True)

    def started(self, stats: RunStats, description: str) -> None:
        self._lines.started(stats, description)
        self.inner.started(stats, description)

    def tick(self, stats: RunStats) -> None:
        self.inner.tick(stats)

    def stream_status(self, stats: RunStats, stream: str, status: str) -> None:
        self._lines.stream_status(stats, stream, status)
        self.inner.stream_status(stats, stream, status)

    def log(self, origin: str, level: str, message: str) -> None:
        self._lines.log(origin, level, message)
        self.inner.log(origin, level, message)

    def stderr(self, origin: str, name: str, text: str) -> None:
        """A connector's last lines on stderr (masked by the caller); the file only."""
        if text.strip():
            self._lines.log(origin, "STDERR", f"{name}, its last lines on stderr:\n{text.rstrip()}")

    def finished(self, stats: RunStats, result: RunResult) -> None:
        try:
            self._lines.finished(stats, result)
        finally:
            self._file.close()
        self.inner.finished(stats, result)
