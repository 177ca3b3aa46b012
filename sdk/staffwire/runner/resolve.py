"""Finding the connector a connection names, and choosing how to run it.

In order (the first that fits wins, no guessing between equally good candidates):

1. an installed Staffwire plugin of that name -> in-process;
2. a path (contains ``/`` or starts with ``.``; relative to the connection file) -> subprocess (a ``.py`` file runs
   under this interpreter);
3. a command on ``PATH`` or in this interpreter's ``bin`` directory (e.g. ``source-smoke-test``) -> subprocess;
4. a PyPI Airbyte connector (``airbyte-source-faker``, ``airbyte-source-faker==6.2.21``, or ``pypi:<requirement>``)
   -> installed once into a cached virtualenv (:mod:`staffwire.runner.pypi`), then subprocess.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from staffwire.errors import ConfigError
from staffwire.runner.executors import Executor, InProcessExecutor, SubprocessExecutor
from staffwire.runner.pypi import install_pypi_connector

__all__ = ["resolve_connector"]

_PYPI = re.compile(r"^(?:pypi:)?(airbyte-(?:source|destination)-[a-z0-9-]+)(\s*[=<>!~].*)?$")


def _plugin_class(name: str, pm: object | None) -> type | None:
    try:
        from staffwire.plugins import installed_connectors
    except ImportError:  # pragma: no cover - a slim install without the plugin layer
        return None
    for info in installed_connectors(pm):  # type: ignore[arg-type]
        if info.name == name:
            return info.cls
    return None


def resolve_connector(
    reference: str,
    *,
    role: str,
    base_dir: Path,
    pm: object | None = None,
    cache_dir: Path | None = None,
    prefer_subprocess: bool = False,
) -> Executor:
    """An :class:`Executor` for ``reference`` (the ``connector`` field of the ``role`` side of a connection)."""
    reference = reference.strip()
    if not prefer_subprocess:
        cls = _plugin_class(reference, pm)
        if cls is not None:
            return InProcessExecutor(cls, reference)

    if "/" in reference or reference.startswith(".") or os.sep in reference:
        path = Path(reference).expanduser()
        if not path.is_absolute():
            path = base_dir / path
        if not path.is_file():
            raise ConfigError(f"{role} connector {reference!r}: no such file ({path}). Fix {role}.connector.")
        if path.suffix == ".py":
            return SubprocessExecutor([sys.executable, str(path)], reference, "script")
        if not os.access(path, os.X_OK):
            raise ConfigError(
                f"{role} connector {reference!r} is not executable ({path}); run `chmod +x {path}` or fix "
                f"{role}.connector."
            )
        return SubprocessExecutor([str(path)], reference, "executable")

    pypi = _PYPI.match(reference)
    if not reference.startswith("pypi:") and re.fullmatch(r"[A-Za-z0-9_.-]+", reference):
        found = shutil.which(reference) or _in_interpreter_bin(reference)
        if found:
            return SubprocessExecutor([found], reference, "command")

    if pypi:
        package, spec = pypi.group(1), (pypi.group(2) or "").strip()
        script = package.removeprefix("airbyte-")
        executable = install_pypi_connector(package + spec, script, cache_dir=cache_dir)
        return SubprocessExecutor([str(executable)], reference, "PyPI package")

    if reference.startswith("pypi:"):
        raise ConfigError(
            f"{role} connector {reference!r}: only Airbyte connector packages (airbyte-source-* / "
            f"airbyte-destination-*) are installed from PyPI. Fix {role}.connector."
        )
    raise ConfigError(
        f"{role} connector {reference!r} was not found: it is not an installed Staffwire plugin (`staffwire "
        "connectors` lists them), not a file, not a command on PATH, and not a PyPI airbyte-source-*/"
        f"airbyte-destination-* package. Install it or fix {role}.connector in the connection file."
    )


def _in_interpreter_bin(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None
