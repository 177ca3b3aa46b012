"""Standard ``logging`` records turned into masked LOG messages of the run that produced them.

Connectors log with ``logging.getLogger(__name__)``. While a run is active (:func:`capture`), one shared handler
on the root logger routes each record to the run it belongs to, found through a context variable: two connectors
running in one process (the runner drives them in threads) never see each other's logs. A record logged from a
thread that has no run in its context (a worker pool inside a connector) goes to the only active run, or, when
several are active and the owner cannot be told, to stderr masked with every run's secrets. Wrap a worker's
function with :func:`bound` to keep its records in the run that started it.

While runs are active, the log-record factory is wrapped so that each record's message, exception text and
stack are masked with the secrets of its run the moment it is created: any other handler of the host process (the
runner's terminal, pytest's capture) sees masked text too.

The handler and the factory are installed when the first run starts and removed when the last one ends; the root
logger's level is lowered for that time only (and restored), so nothing stays behind in the host process.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    from staffwire.protocol import Output

__all__ = ["as_owner", "bound", "capture", "format_stack", "log_message", "owner"]

P = ParamSpec("P")
R = TypeVar("R")

_LEVELS = {
    logging.DEBUG: "DEBUG",
    logging.INFO: "INFO",
    logging.WARNING: "WARN",
    logging.ERROR: "ERROR",
    logging.CRITICAL: "FATAL",
}


def _protocol_level(levelno: int) -> str:
    for threshold in (logging.CRITICAL, logging.ERROR, logging.WARNING, logging.INFO):
        if levelno >= threshold:
            return _LEVELS[threshold]
    return "DEBUG"


def format_stack(exc: BaseException) -> str:
    """The traceback of ``exc`` as text (to be masked by the caller's output)."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def log_message(level: str, message: str, stack_trace: str | None = None) -> dict[str, object]:
    """A LOG message as a wire dict."""
    log: dict[str, object] = {"level": level, "message": message}
    if stack_trace:
        log["stack_trace"] = stack_trace
    return {"type": "LOG", "log": log}


class _Run:
    def __init__(self, output: Output, level: int) -> None:
        self.output = output
        self.level = level


_current: contextvars.ContextVar[_Run | None] = contextvars.ContextVar("staffwire_run", default=None)


class _RoutingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.runs: list[_Run] = []

    def emit(self, record: logging.LogRecord) -> None:
        run = _current.get()
        if run is None:
            runs = list(self.runs)
            if len(runs) != 1:
                self._unowned(record, runs)
                return
            run = runs[0]
        if record.levelno < run.level:
            return
        try:
            message = record.getMessage()
            stack = None
            if record.exc_info and record.exc_info[1] is not None:
                stack = format_stack(record.exc_info[1])
            if record.name and not record.name.startswith(("staffwire", "source_", "destination_")):
                message = f"{record.name}: {message}"
            run.output.message(log_message(_protocol_level(record.levelno), message, stack))
        except Exception:  # a broken log line must never take the sync down
            self.handleError(record)

    def _unowned(self, record: logging.LogRecord, runs: list[_Run]) -> None:
        """Several runs and no owner (a thread started without the run's context): stderr, masked by every run."""
        if not runs or record.levelno < min(r.level for r in runs):
            return
        try:
            text = f"{record.levelname} {record.name}: {record.getMessage()}"
            if record.exc_info and record.exc_info[1] is not None:
                text += "\n" + format_stack(record.exc_info[1])
            for run in runs:
                text = run.output.masker.mask(text)
            stderr(text)
        except Exception:
            self.handleError(record)


def bound(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` bound to the current run's context: pass it to a thread or an executor so its log records reach
    this run's output (``executor.submit(bound(fetch_page), n)``)."""
    context = contextvars.copy_context()

    def run_in_context(*args: P.args, **kwargs: P.kwargs) -> R:
        return context.copy().run(func, *args, **kwargs)

    return run_in_context


def owner() -> object | None:
    """The run that the current context logs to (None outside a run): keep it in an object that may later log
    from another thread (an HTTP client shared by a worker pool) and log under :func:`as_owner`."""
    return _current.get()


@contextlib.contextmanager
def as_owner(run: object | None) -> Iterator[None]:
    """Log to ``run`` (from :func:`owner`) in this block, whichever thread runs it; no-op for None."""
    if not isinstance(run, _Run) or _current.get() is run:
        yield
        return
    token = _current.set(run)
    try:
        yield
    finally:
        _current.reset(token)


class _MaskingFactory:
    """Wraps the log-record factory while runs are active: a record's message (and exception text) is masked
    the moment it is created, so every handler in the process -- not only ours, e.g. the runner's terminal --
    sees it masked."""

    def __init__(self, previous: Callable[..., logging.LogRecord]) -> None:
        self.previous = previous

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.previous(*args, **kwargs)
        run = _current.get()
        runs = [run] if run is not None else list(_handler.runs)
        maskers = [r.output.masker for r in runs if r.output.masker]
        if not maskers:
            return record
        try:
            message = original = record.getMessage()
            for masker in maskers:
                message = masker.mask(message)
            if message != original:
                record.msg, record.args = message, None
            if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
                text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
                for masker in maskers:
                    text = masker.mask(text)
                record.exc_text = text
            if record.stack_info:
                for masker in maskers:
                    record.stack_info = masker.mask(record.stack_info)
        except Exception:  # a record that cannot be formatted is the formatter's problem, as before
            pass
        return record


_lock = threading.Lock()
_handler = _RoutingHandler()
_saved_root_level: int | None = None
_factory: _MaskingFactory | None = None


@contextlib.contextmanager
def capture(output: Output, level: int = logging.INFO) -> Iterator[None]:
    """Route log records of the current context to ``output`` as LOG messages until the block ends."""
    global _saved_root_level, _factory
    run = _Run(output, level)
    root = logging.getLogger()
    with _lock:
        if not _handler.runs:
            _saved_root_level = root.level
            root.addHandler(_handler)
            _factory = _MaskingFactory(logging.getLogRecordFactory())
            logging.setLogRecordFactory(_factory)
        _handler.runs.append(run)
        if root.level != logging.NOTSET and root.level > level:
            root.setLevel(level)
    token = _current.set(run)
    try:
        yield
    finally:
        _current.reset(token)
        with _lock:
            _handler.runs.remove(run)
            if not _handler.runs:
                root.removeHandler(_handler)
                if _factory is not None and logging.getLogRecordFactory() is _factory:
                    logging.setLogRecordFactory(_factory.previous)
                _factory = None
                if _saved_root_level is not None:
                    root.setLevel(_saved_root_level)
                _saved_root_level = None


def stderr(message: str) -> None:
    """Last resort for text that cannot go out as a message (stdout broken)."""
    with contextlib.suppress(Exception):
        sys.stderr.write(message + "\n")
