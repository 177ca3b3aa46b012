"""Run PyAirbyte (the ``airbyte`` package) as a real client in tests, with every file it writes under ``tmp_path``.

::

    from staffwire.testing.pyairbyte import run_pyairbyte

    SCRIPT = '''
    import airbyte as ab
    from airbyte.caches import DuckDBCache
    source = ab.get_source("source-foo", config=inputs["config"], local_executable=inputs["exe"],
                           install_if_missing=False)
    result = source.read(cache=DuckDBCache(db_path=f"{home}/foo.duckdb"))
    report({"ids": sorted(result["candidates"].to_pandas()["id"])})
    '''
    read = run_pyairbyte(SCRIPT, tmp_path, inputs={"config": config, "exe": exe})
    assert read["ids"] == [...]

Why a child process: PyAirbyte fixes its folders when it is first imported (cache root, temp dir, log dir, project
dir) and otherwise falls back to ``./.cache`` of the process (the repo root under pytest) and
``/tmp/airbyte/logs``; environment variables set later, or in a process that imported it already, are ignored.
:func:`run_pyairbyte` runs the script in a fresh interpreter (the test's own, i.e. the workspace venv) with
:func:`pyairbyte_environment` and ``cwd=home``, so the isolation holds whatever the test process has imported.
This module imports nothing from ``airbyte`` itself.

The script sees ``inputs`` (the JSON-able ``inputs=`` value, sent on stdin so configs never appear in argv),
``home`` (a :class:`pathlib.Path`) and ``report(value)``, which hands one JSON value back as the call's result.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["PyAirbyteError", "pyairbyte_environment", "run_pyairbyte"]

#: Prefix of the stdout line that carries the script's reported result (PyAirbyte prints its own progress too).
RESULT_MARKER = "STAFFWIRE-PYAIRBYTE-RESULT "

_PRELUDE = f"""
import json as _json, sys as _sys
from pathlib import Path as _Path

inputs = _json.loads(_sys.stdin.read() or "null")
home = _Path(_sys.argv[1])


def report(value):
    _sys.stdout.write({RESULT_MARKER!r} + _json.dumps(value) + "\\n")
    _sys.stdout.flush()

"""


class PyAirbyteError(AssertionError):
    """The PyAirbyte child failed or reported nothing; the message carries the tail of its stderr."""


def pyairbyte_environment(home: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a PyAirbyte process that stays offline and writes only under ``home``.

    Offline mode with an empty local registry (no network look-ups, no telemetry), and project, install, cache,
    temp and log folders under ``home`` (created here). ``TMPDIR`` moves too, so the temp files PyAirbyte writes
    for connector configs and catalogs, and the system temp dir it derives defaults from, are under ``home``.
    ``base`` defaults to the current environment.
    """
    home = Path(home)
    folders = {name: home / name for name in ("install", "cache", "tmp", "logs")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    registry = home / "registry.json"
    if not registry.exists():
        registry.write_text('{"sources": [], "destinations": []}')
    env = dict(os.environ if base is None else base)
    env.update(
        {
            "AIRBYTE_OFFLINE_MODE": "1",
            "DO_NOT_TRACK": "1",
            "AIRBYTE_LOCAL_REGISTRY": str(registry),
            "AIRBYTE_PROJECT_DIR": str(home),
            "AIRBYTE_INSTALL_DIR": str(folders["install"]),
            "AIRBYTE_CACHE_ROOT": str(folders["cache"]),
            "AIRBYTE_TEMP_DIR": str(folders["tmp"]),
            "AIRBYTE_LOGGING_ROOT": str(folders["logs"]),
            "TMPDIR": str(folders["tmp"]),
        }
    )
    return env


def run_pyairbyte(
    script: str,
    home: Path,
    *,
    inputs: Any = None,
    timeout: float = 120,
    python: str | None = None,
    environment: Mapping[str, str | None] | None = None,
) -> Any:
    """Run ``script`` in a child interpreter isolated by :func:`pyairbyte_environment`; return what it reported.

    ``environment`` changes that environment: a value replaces, ``None`` removes (e.g. ``AIRBYTE_OFFLINE_MODE``,
    which also turns off a local registry).

    Raises :class:`PyAirbyteError` (an ``AssertionError``, so pytest shows it as a failure) when the child exits
    non-zero, times out, or never calls ``report``.
    """
    home = Path(home)
    env = pyairbyte_environment(home)
    for key, value in (environment or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    code = _PRELUDE + textwrap.dedent(script)
    try:
        child = subprocess.run(
            [python or sys.executable, "-c", code, str(home)],
            input=json.dumps(inputs),
            cwd=home,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise PyAirbyteError(
            f"The PyAirbyte script did not finish within {timeout:g}s; raise timeout= if the read is expected to "
            f"take longer.\n{_tail(exc.stderr)}"
        ) from None
    if child.returncode != 0:
        raise PyAirbyteError(f"The PyAirbyte script exited with {child.returncode}:\n{_tail(child.stderr)}")
    results = [
        line[len(RESULT_MARKER) :] for line in child.stdout.splitlines() if line.startswith(RESULT_MARKER)
    ]
    if not results:
        raise PyAirbyteError(
            f"The PyAirbyte script exited 0 without calling report(value); end it with report(...).\n"
            f"{_tail(child.stderr)}"
        )
    return json.loads(results[-1])


def _tail(text: str | bytes | None, limit: int = 3000) -> str:
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return (text or "")[-limit:]
