"""Shared by the packaging and image tests: the uv that set the workspace up."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest


def project_uv() -> list[str]:
    """The uv that set the workspace up (README: ``python3 -m uv``), whose cache holds every dependency: the
    ``uv`` on PATH, or the module of the first ``python3`` on PATH outside this virtualenv. (The venv's own ``uv``
    module, a dependency of PyAirbyte, may be another version that cannot read that cache offline.)"""
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != venv_bin)
    found = shutil.which("uv", path=path)
    if found:
        return [found]
    python3 = shutil.which("python3", path=path)
    return [python3 or sys.executable, "-m", "uv"]


@pytest.fixture(scope="session")
def uv() -> list[str]:
    return project_uv()
