"""The SDK and every connector build as wheels (``uv build``); a connector installs alone from them into an empty
virtualenv; PyAirbyte, pointed at the registry with ``AIRBYTE_LOCAL_REGISTRY``, lists the connectors and installs
one by name from those wheels. Offline: uv resolves the connectors from the wheel folder and their dependencies
from its cache (filled by ``uv sync``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.catalog import build_catalog, connector_dirs, pyairbyte_registry, render_catalog
from staffwire.testing.pyairbyte import run_pyairbyte

REPO = Path(__file__).resolve().parents[2]
NAMES = [c.name for c in connector_dirs(REPO)]


OFFLINE = {"UV_OFFLINE": "1", "UV_NO_PROGRESS": "1"}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory, uv: list[str]) -> Path:
    out = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [*uv, "build", "--all-packages", "--wheel", "-o", str(out), "--quiet"],
        cwd=REPO,
        env={**os.environ, **OFFLINE},
        check=True,
        timeout=300,
    )
    return out


def test_the_sdk_and_every_connector_build_as_wheels(wheels: Path) -> None:
    built = sorted(p.name for p in wheels.glob("*.whl"))
    expected = sorted(f"{name.replace('-', '_')}-0.1.0-py3-none-any.whl" for name in [*NAMES, "staffwire"])
    assert built == expected


def test_a_connector_installs_alone_from_the_wheels_and_runs_spec(
    wheels: Path, tmp_path: Path, uv: list[str]
) -> None:
    venv = tmp_path / "venv"
    env = {**os.environ, **OFFLINE}
    subprocess.run([*uv, "venv", "--quiet", "-p", sys.executable, str(venv)], env=env, check=True)
    subprocess.run(
        [
            *uv,
            "pip",
            "install",
            "--quiet",
            "-p",
            str(venv / "bin" / "python"),
            "--find-links",
            str(wheels),
            "source-zoho",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    installed = subprocess.run(
        [*uv, "pip", "freeze", "-p", str(venv / "bin" / "python")], env=env, capture_output=True, text=True
    ).stdout
    names = {line.split("==")[0] for line in installed.splitlines()}
    assert {"source-zoho", "staffwire"} <= names
    assert not names & {"source-bullhorn", "destination-wingspan", "airbyte", "airbyte-cdk", "pytest"}
    spec = subprocess.run(
        [str(venv / "bin" / "source-zoho"), "spec"], capture_output=True, text=True, check=True
    )
    [message] = [json.loads(line) for line in spec.stdout.splitlines()]
    assert message["type"] == "SPEC"
    [entry] = [e for e in build_catalog(REPO)["sources"] if e["dockerRepository"] == "staffwire/source-zoho"]
    assert message["spec"] == entry["spec"]


CLIENT = """
import airbyte as ab
from airbyte.registry import get_available_connectors

available = get_available_connectors()
source = ab.get_source("source-bullhorn", config=inputs["config"], install_if_missing=True)
source.check()
source.select_streams(["candidates"])
result = source.read(cache=ab.new_local_cache("bullhorn", cache_dir=str(home / "duck")))
report({
    "available": available,
    "installed": str(source.executor._get_connector_path()),
    "ids": sorted(result["candidates"].to_pandas()["id"]),
})
"""


@pytest.mark.slow
def test_pyairbyte_lists_and_installs_a_staffwire_connector_by_name_from_the_registry(
    wheels: Path, tmp_path: Path, uv: list[str]
) -> None:
    registry = tmp_path / "registry.json"
    registry.write_text(render_catalog(pyairbyte_registry(build_catalog(REPO))))
    uv_bin = tmp_path / "bin"  # PyAirbyte runs `uv` from PATH
    uv_bin.mkdir()
    (uv_bin / "uv").write_text("#!/bin/sh\nexec " + " ".join(f'"{part}"' for part in uv) + ' "$@"\n')
    (uv_bin / "uv").chmod(0o755)
    with BullhornSandbox(seed=4, candidates=12) as sandbox:
        config = sandbox.demo_config(entities=["Candidate"], retry_base_seconds=0.001)
        read = run_pyairbyte(
            CLIENT,
            tmp_path / "home",
            inputs={"config": config},
            timeout=300,
            environment={
                "AIRBYTE_LOCAL_REGISTRY": str(registry),
                "AIRBYTE_OFFLINE_MODE": None,  # it would turn the local registry off too
                "UV_FIND_LINKS": str(wheels),
                "PATH": f"{uv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
                **OFFLINE,
            },
        )
        assert read["ids"] == sorted(f"bullhorn:{i}" for i in sandbox.ids("Candidate"))
    assert read["available"] == sorted(NAMES)
    assert read["installed"] == str(
        tmp_path / "home" / "install" / ".venv-source-bullhorn" / "bin" / "source-bullhorn"
    )
    assert shutil.which("source-bullhorn", path=str(Path(read["installed"]).parent))
