"""A third party's connector, pip-installed into an environment that has Staffwire, shows up in that
environment's `staffwire connectors` and runs -- no change to Staffwire needed.

The package is written here, built and installed offline with uv (no build isolation: the build backend comes
from the workspace) into a fresh venv that sees the workspace's packages through a .pth file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

PYPROJECT = """
[project]
name = "source-thirdparty"
version = "2.3.4"
dependencies = ["staffwire"]

[project.scripts]
source-thirdparty = "staffwire_thirdparty:run"

[project.entry-points."staffwire.connectors"]
source-thirdparty = "staffwire_thirdparty"

[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"
"""

MODULE = '''
"""A connector written outside Staffwire."""

from pydantic import BaseModel, SecretStr

from staffwire.plugins import hookimpl
from staffwire.source import Source


class ThirdPartyConfig(BaseModel):
    token: SecretStr


class SourceThirdparty(Source[ThirdPartyConfig]):
    name = "source-thirdparty"
    config_model = ThirdPartyConfig

    def streams(self, config):
        return []


def run():
    SourceThirdparty.launch()


@hookimpl
def staffwire_connectors():
    return [SourceThirdparty]
'''


def uv_command() -> list[str]:
    found = shutil.which("uv")
    if found:
        return [found]
    python3 = shutil.which("python3")
    if python3 and subprocess.run([python3, "-m", "uv", "--version"], capture_output=True).returncode == 0:
        return [python3, "-m", "uv"]
    pytest.skip("uv is not installed: it builds and installs the third-party package offline")


@pytest.fixture(scope="module")
def third_party_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the workspace's packages visible and source-thirdparty installed; returns its bin folder."""
    tmp_path = tmp_path_factory.mktemp("third-party")
    uv = uv_command()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()
    workspace_site = sysconfig.get_paths()["purelib"]
    Path(purelib, "staffwire_workspace.pth").write_text(f"import site; site.addsitedir({workspace_site!r})\n")

    package = tmp_path / "source-thirdparty"
    (package / "staffwire_thirdparty").mkdir(parents=True)
    (package / "pyproject.toml").write_text(textwrap.dedent(PYPROJECT))
    (package / "staffwire_thirdparty" / "__init__.py").write_text(MODULE)
    env = {**os.environ, "UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_NO_CONFIG": "1"}
    subprocess.run(
        [
            *uv,
            "pip",
            "install",
            "--python",
            str(python),
            "--offline",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            str(package),
        ],
        check=True,
        env=env,
        capture_output=True,
        timeout=120,
    )
    return venv / "bin"


def clean_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("STAFFWIRE_DISABLE_PLUGIN_AUTOLOAD", "STAFFWIRE_PLUGINS", "PYTHONPATH"):
        env.pop(name, None)
    return env


def test_an_installed_third_party_connector_is_listed_and_runs(third_party_env: Path) -> None:
    listing = subprocess.run(
        [str(third_party_env / "python"), "-m", "staffwire.cli", "connectors", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=clean_env(),
    )
    rows = json.loads(listing.stdout)
    assert {
        "name": "source-thirdparty",
        "type": "source",
        "version": "2.3.4",
        "package": "source-thirdparty",
    } in rows
    assert "source-thirdparty" not in listing.stderr  # no problem reported for it

    spec = subprocess.run(
        [str(third_party_env / "source-thirdparty"), "spec"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=clean_env(),
    )
    message = json.loads(spec.stdout.splitlines()[0])
    assert message["type"] == "SPEC"
    token = message["spec"]["connectionSpecification"]["properties"]["token"]
    assert token["airbyte_secret"] is True


def test_the_workspace_environment_does_not_see_it(third_party_env: Path) -> None:
    listing = subprocess.run(
        [sys.executable, "-m", "staffwire.cli", "connectors", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=clean_env(),
    )
    assert "source-thirdparty" not in [row["name"] for row in json.loads(listing.stdout)]
