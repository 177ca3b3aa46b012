"""A connector folder's ``spec``, as the registry carries it: the SPEC message its own console script prints.

The script is run from the folder's source (``PYTHONPATH`` = the folder), in a child interpreter, so the catalog
can be built for connectors that are not installed (a new scaffold) and nothing is imported into this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from staffwire.errors import ConfigError

__all__ = ["connector_spec"]

_RUN = "import sys; from {module} import {func} as run; sys.argv = [{name!r}, 'spec']; sys.exit(run())"
_cache: dict[tuple[str, float], dict[str, Any]] = {}


def _newest_mtime(directory: Path) -> float:
    return max((p.stat().st_mtime for p in directory.rglob("*.py")), default=0.0)


def connector_spec(directory: Path, script: str) -> dict[str, Any]:
    """The ``connectionSpecification`` wrapper (the SPEC message's ``spec``) of the connector in ``directory``,
    whose console script target is ``script`` (``package.module:function``)."""
    key = (str(directory.resolve()), _newest_mtime(directory))
    if key in _cache:
        return _cache[key]
    module, _, func = script.partition(":")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(directory), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-c", _RUN.format(module=module, func=func or "run", name=directory.name)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    for line in done.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(message, dict) and message.get("type") == "SPEC":
            spec: dict[str, Any] = message["spec"]
            _cache[key] = spec
            return spec
    tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
    raise ConfigError(
        f"{directory.name} spec printed no SPEC message (exit code {done.returncode}); its last lines:\n  "
        + "\n  ".join(tail)
    )
