"""Running one connector command (spec / discover / read / write) and talking to it over pipes.

Two executors give the runner the same handle, :class:`Running` (a binary stdin to write messages to, a binary
stdout to read lines from, ``wait``/``kill``):

* :class:`InProcessExecutor` runs an installed Staffwire connector class in a thread through its
  ``launch(argv, stdin=, stdout=)`` entry point, connected by ``os.pipe`` -- no interpreter start-up, and the same
  bytes on the wire as the console script would print;
* :class:`SubprocessExecutor` runs any Airbyte-protocol executable (a path, a console script, an Airbyte PyPI
  connector installed in a cached venv).

Resolved configs hold secrets, so they never touch the disk: :class:`MemoryFile` keeps them in an anonymous
in-memory file (``memfd``) that a connector opens as ``/dev/fd/N`` -- a thread of this process directly, a child
process because every ``/dev/fd/N`` in its argv is passed to it. The file dies with the runner, ``kill -9``
included. The rest of a run's files (catalog, state, rejected records) go in :func:`private_workdir`, a 0700
folder named after the runner's pid, so :func:`remove_leftover_workdirs` can clear what killed runs left behind.
"""

from __future__ import annotations

import collections
import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Protocol

from staffwire.errors import ConfigError

__all__ = [
    "Executor",
    "InProcessExecutor",
    "MemoryFile",
    "Running",
    "SubprocessExecutor",
    "private_workdir",
    "remove_leftover_workdirs",
]

_STDERR_TAIL = 40
_KILL_GRACE = 0.5  # seconds a killed in-process connector gets to notice before it is abandoned


class Running(Protocol):
    """A started connector command."""

    stdin: IO[bytes] | None
    stdout: IO[bytes]
    #: True when it is a thread of this process (it cannot be killed, only cut off)
    in_process: bool

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the end; the exit code."""
        ...

    def kill(self) -> None:
        """Stop it now (used when the other side failed)."""

    def stderr_tail(self) -> str:
        """The last lines it wrote to stderr (or the traceback it died with), for error messages."""
        ...

    def on_stderr(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` for every line it writes to stderr (a sign of life for the heartbeat)."""


class Executor(Protocol):
    """How to run a connector; ``describe`` is shown in logs and run history."""

    def describe(self) -> str: ...

    def start(self, argv: Sequence[str], *, with_stdin: bool = False) -> Running: ...


# ------------------------------------------------------------------------------------------------- in-process
class _ThreadRun:
    in_process = True

    def __init__(self, connector_class: type, argv: Sequence[str], with_stdin: bool) -> None:
        out_r, out_w = os.pipe()
        self.stdout: IO[bytes] = os.fdopen(out_r, "rb")
        self._child_out = os.fdopen(out_w, "wb")
        self.stdin: IO[bytes] | None = None
        self._child_in: IO[bytes] | None = None
        if with_stdin:
            in_r, in_w = os.pipe()
            self._child_in = os.fdopen(in_r, "rb")
            self.stdin = os.fdopen(in_w, "wb")
        self._code: int | None = None
        self._error = ""
        self._fd_lock = threading.Lock()
        self._pipes_closing = False
        self._killed = False
        self._thread = threading.Thread(
            target=self._main,
            args=(connector_class, list(argv)),
            name=f"connector-{argv[0] if argv else ''}",
            daemon=True,
        )
        self._thread.start()

    def _main(self, connector_class: type, argv: list[str]) -> None:
        stdin: IO[bytes] = self._child_in if self._child_in is not None else io.BytesIO(b"")
        try:
            launch = getattr(connector_class, "launch")  # noqa: B009 - any class with the SDK entry point
            code = launch(argv, stdin=stdin, stdout=self._child_out)
            self._code = int(code or 0)
        except SystemExit as exc:  # a connector may still call sys.exit()
            self._code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            self._error = traceback.format_exc(limit=8)
            self._code = 1
        finally:
            with self._fd_lock:
                self._pipes_closing = True
            with contextlib.suppress(OSError, ValueError):
                self._child_out.close()
            if self._child_in is not None:
                # Drain nothing: closing our read end makes the runner's writes fail fast (EPIPE), as a dead
                # process would.
                with contextlib.suppress(OSError, ValueError):
                    self._child_in.close()

    def wait(self, timeout: float | None = None) -> int:
        if self._killed:
            # A killed connector's thread ends at its next read or write; a hung one never does, and is
            # abandoned (a daemon thread, gone with the process).
            self._thread.join(_KILL_GRACE if timeout is None else min(timeout, _KILL_GRACE))
            return self._code if self._code is not None and not self._thread.is_alive() else -9
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("connector thread still running")
        return self._code if self._code is not None else 1

    def kill(self) -> None:
        """Cut the connector off from the runner. A thread cannot be killed, so its ends of the pipes are replaced
        (``dup2``) by a broken pipe (its writes fail with EPIPE) and ``/dev/null`` (its reads see the end): the
        runner's blocked reads of its stdout end at once, a blocked write to its stdin fails, and the thread
        ends at its next read or write -- or, if it is stuck elsewhere, keeps running, abandoned. The runner's
        own ends are not closed here: another runner thread may be blocked on them, and closing a buffered
        file waits for that thread."""
        with self._fd_lock:
            self._killed = True
            if self._pipes_closing:
                return  # it is ending on its own; its descriptors may already be reused
            broken_r, broken_w = os.pipe()
            os.close(broken_r)
            null = os.open(os.devnull, os.O_RDONLY)
            try:
                with contextlib.suppress(OSError, ValueError):
                    os.dup2(broken_w, self._child_out.fileno())
                if self._child_in is not None:
                    with contextlib.suppress(OSError, ValueError):
                        os.dup2(null, self._child_in.fileno())
            finally:
                os.close(broken_w)
                os.close(null)

    def stderr_tail(self) -> str:
        return self._error

    def on_stderr(self, callback: Callable[[], None]) -> None:
        pass  # an in-process connector has no stderr of its own; its stdout lines are its signs of life


class InProcessExecutor:
    """Runs a Staffwire connector class (``Source`` / ``Destination`` subclass) in a thread of this process."""

    def __init__(self, connector_class: type, name: str | None = None) -> None:
        self.connector_class = connector_class
        self.name = name or str(getattr(connector_class, "name", connector_class.__name__))

    def describe(self) -> str:
        return f"{self.name} (in-process plugin {self.connector_class.__module__}.{self.connector_class.__name__})"

    def start(self, argv: Sequence[str], *, with_stdin: bool = False) -> Running:
        return _ThreadRun(self.connector_class, argv, with_stdin)


# -------------------------------------------------------------------------------------------------- subprocess
class _ProcessRun:
    in_process = False

    def __init__(
        self, command: Sequence[str], argv: Sequence[str], with_stdin: bool, env: dict[str, str] | None
    ) -> None:
        self._proc = subprocess.Popen(
            [*command, *argv],
            pass_fds=_passed_fds(argv),
            stdin=subprocess.PIPE if with_stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the runner, which stops its children itself
        )
        assert self._proc.stdout is not None and self._proc.stderr is not None
        self.stdout: IO[bytes] = self._proc.stdout
        self.stdin: IO[bytes] | None = self._proc.stdin
        self._tail: collections.deque[str] = collections.deque(maxlen=_STDERR_TAIL)
        self._on_stderr: Callable[[], None] | None = None
        self._stderr_thread = threading.Thread(target=self._drain, args=(self._proc.stderr,), daemon=True)
        self._stderr_thread.start()

    def _drain(self, pipe: IO[bytes]) -> None:
        for line in pipe:
            if self._on_stderr is not None:
                self._on_stderr()
            self._tail.append(line.decode("utf-8", "replace").rstrip())
        pipe.close()

    def wait(self, timeout: float | None = None) -> int:
        code = self._proc.wait(timeout)
        self._stderr_thread.join(5)
        return code

    def kill(self) -> None:
        if self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)

    def stderr_tail(self) -> str:
        return "\n".join(self._tail)

    def on_stderr(self, callback: Callable[[], None]) -> None:
        self._on_stderr = callback


class SubprocessExecutor:
    """Runs an Airbyte-protocol executable: ``command`` is its argv prefix (e.g. ``["/venv/bin/source-faker"]``)."""

    def __init__(
        self, command: Sequence[str], name: str, kind: str = "executable", env: dict[str, str] | None = None
    ) -> None:
        self.command = list(command)
        self.name = name
        self.kind = kind
        self.env = env

    def describe(self) -> str:
        return f"{self.name} ({self.kind} {' '.join(self.command)})"

    def start(self, argv: Sequence[str], *, with_stdin: bool = False) -> Running:
        try:
            return _ProcessRun(self.command, argv, with_stdin, self.env)
        except OSError as exc:
            raise ConfigError(
                f"cannot start connector {self.name} ({' '.join(self.command)}): {exc.strerror}. "
                "Check that the file exists and is executable."
            ) from None


# ------------------------------------------------------------------------------------------- files of a run
_FD_PATH = re.compile(r"/dev/fd/(\d+)")
WORKDIR_PREFIX = "staffwire-run-"
_LEGACY_AGE = 600.0  # seconds


def _passed_fds(argv: Sequence[str]) -> tuple[int, ...]:
    """The descriptors named ``/dev/fd/N`` in ``argv`` (memory files the child must inherit)."""
    return tuple(int(m.group(1)) for arg in argv for m in [_FD_PATH.fullmatch(arg)] if m)


class MemoryFile:
    """Bytes a connector reads by path that never reach the disk (Linux ``memfd``; readable any number of
    times). Elsewhere, a 0600 file in ``fallback_dir`` deleted on :meth:`close`. A context manager."""

    def __init__(self, data: bytes, name: str, fallback_dir: Path | None = None) -> None:
        self._fd: int | None = None
        self._file: Path | None = None
        memfd_create = getattr(os, "memfd_create", None)
        if memfd_create is not None:
            fd = memfd_create(name)  # close-on-exec; passed to a child only through pass_fds
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
            self.path = f"/dev/fd/{fd}"
        else:  # pragma: no cover - non-Linux
            folder = fallback_dir or Path(tempfile.gettempdir())
            self._file = folder / name
            handle = os.open(self._file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            self.path = str(self._file)

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
        if self._file is not None:
            self._file.unlink(missing_ok=True)
            self._file = None

    def __enter__(self) -> MemoryFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def private_workdir() -> Iterator[Path]:
    """A 0700 temporary folder named ``staffwire-run-<pid>-...``, removed on every exit path Python sees (SIGTERM
    and Ctrl-C included, see ``staffwire.runner.cli``); leftovers of killed runs are cleared first."""
    remove_leftover_workdirs()
    with tempfile.TemporaryDirectory(prefix=f"{WORKDIR_PREFIX}{os.getpid()}-") as path:
        yield Path(path)


def remove_leftover_workdirs(root: Path | None = None) -> list[Path]:
    """Remove the work folders of runs whose process is gone (``kill -9``, a crash), and folders of older
    Staffwire versions that still hold config files; the folders removed."""
    root = Path(tempfile.gettempdir()) if root is None else root
    removed = []
    for folder in root.glob(f"{WORKDIR_PREFIX}*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        pid = folder.name[len(WORKDIR_PREFIX) :].split("-", 1)[0]
        with contextlib.suppress(OSError):
            if pid.isdigit():
                if _alive(int(pid)):
                    continue
            # an older version's folder (no pid): only once no run could still be starting a connector from it
            elif not any(folder.glob("*config.json")) or time.time() - folder.stat().st_mtime < _LEGACY_AGE:
                continue
            if folder.stat().st_uid != os.getuid():
                continue
            shutil.rmtree(folder)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
