"""Airbyte's PyPI connectors (``airbyte-source-*``), installed once into a cached virtualenv each.

The cache lives in ``$STAFFWIRE_CONNECTOR_CACHE`` (default ``~/.cache/staffwire/connectors``), one venv per
requirement string. Installation uses ``uv`` when available (fast, shares its wheel cache), else ``venv`` + pip.
A lock file makes concurrent runs wait for one install instead of racing; a marker file written last means a
half-finished install (killed mid-way) is redone, not used.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from staffwire.errors import ConfigError, TransientError

__all__ = ["default_cache_dir", "install_pypi_connector"]

CACHE_ENV = "STAFFWIRE_CONNECTOR_CACHE"
_MARKER = ".staffwire-installed"


def default_cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "staffwire" / "connectors"


def _uv() -> list[str] | None:
    found = shutil.which("uv")
    if found:
        return [found]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    return None


def install_pypi_connector(requirement: str, script: str, *, cache_dir: Path | None = None) -> Path:
    """Path of ``script`` inside a venv that has ``requirement`` installed (installing it on first use)."""
    root = (cache_dir or default_cache_dir()).expanduser()
    venv = root / re.sub(r"[^A-Za-z0-9_.-]+", "_", requirement)
    executable = venv / "bin" / script
    marker = venv / _MARKER
    if marker.exists() and executable.exists():
        return executable
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f"{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run installing the same package: wait for it
        if marker.exists() and executable.exists():
            return executable
        if venv.exists():
            shutil.rmtree(venv)
        uv = _uv()
        if uv:
            steps = [
                [*uv, "venv", "-q", "--python", sys.executable, str(venv)],
                [*uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), requirement],
            ]
        else:
            steps = [
                [sys.executable, "-m", "venv", str(venv)],
                [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", requirement],
            ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
                error = (
                    ConfigError
                    if "not found" in tail.lower() or "no solution" in tail.lower()
                    else (TransientError)
                )
                raise error(
                    f"installing PyPI connector {requirement} into {venv} failed: {tail}. Check the package "
                    "name and version, and that PyPI is reachable."
                )
        if not executable.exists():
            raise ConfigError(
                f"PyPI package {requirement} installed but has no console script {script!r}; it is not an "
                "Airbyte connector package."
            )
        marker.write_text(requirement + "\n")
    return executable
