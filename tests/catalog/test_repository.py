"""The repository's own connectors: valid metadata, conventional Dockerfiles, registered plugins, a current
catalog.json. These iterate over whatever connectors/* exist."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from staffwire.catalog import (
    check_catalog,
    connector_dirs,
    metadata_problems,
    read_pyproject,
    validate_metadata,
)
from staffwire.cli import main
from staffwire.plugins import PluginManager

REPO = Path(__file__).resolve().parents[2]
CONNECTORS = connector_dirs(REPO)
IDS = [c.name for c in CONNECTORS]


def test_the_repository_has_connectors() -> None:
    assert len(CONNECTORS) >= 3


@pytest.mark.parametrize("connector", CONNECTORS, ids=IDS)
def test_metadata_yaml_is_valid_against_the_airbyte_schema(connector: Path) -> None:
    assert validate_metadata(yaml.safe_load((connector / "metadata.yaml").read_text())) == []


@pytest.mark.parametrize("connector", CONNECTORS, ids=IDS)
def test_metadata_agrees_with_the_package(connector: Path) -> None:
    assert metadata_problems(connector, REPO) == []


@pytest.mark.parametrize("connector", CONNECTORS, ids=IDS)
def test_the_dockerfile_follows_the_python_connector_convention(connector: Path) -> None:
    name = connector.name
    assert read_pyproject(connector / "pyproject.toml")["project"]["scripts"][name]
    text = (connector / "Dockerfile").read_text()
    entrypoints = re.findall(r"^ENTRYPOINT\s+(.+)$", text, re.MULTILINE)
    assert [json.loads(e) for e in entrypoints] == [[name]]  # exec form, the console script
    env = re.findall(r"^ENV\s+AIRBYTE_ENTRYPOINT[= ]\"?([^\"\n]+)\"?$", text, re.MULTILINE)
    assert env == [name]
    assert re.search(rf"^LABEL\s+io\.airbyte\.name=\"?[\w.-]+/{name}\"?$", text, re.MULTILINE)


@pytest.fixture
def autoloaded(monkeypatch: pytest.MonkeyPatch) -> Iterator[PluginManager]:
    monkeypatch.delenv("STAFFWIRE_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    pm = PluginManager()
    pm.load_entrypoint_plugins()
    yield pm


@pytest.mark.parametrize("connector", CONNECTORS, ids=IDS)
def test_the_connector_registers_through_its_entry_point(connector: Path, autoloaded: PluginManager) -> None:
    infos = {i.name: i for i in autoloaded.connectors()}
    info = infos[connector.name]
    project = read_pyproject(connector / "pyproject.toml")["project"]
    assert (info.type, info.package, info.version) == (
        connector.name.split("-")[0],
        project["name"],
        project["version"],
    )
    assert not [p for p in autoloaded.problems if connector.name in p]


def test_catalog_json_is_current() -> None:
    assert check_catalog(REPO) == [], "catalog.json is stale: run `staffwire catalog build` and commit it"


def test_catalog_json_lists_every_connector() -> None:
    catalog = json.loads((REPO / "catalog.json").read_text())
    assert [c["name"] for c in catalog["connectors"]] == IDS


def test_staffwire_catalog_check_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check", "--root", str(REPO)]) == 0
    assert capsys.readouterr().out == f"{REPO / 'catalog.json'} is up to date\n"
