"""The repository's own connectors: valid metadata, conventional Dockerfiles, registered plugins, a current
catalog.json. These iterate over whatever connectors/* exist."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from airbyte_connector_models.metadata.v0.connector_registry_v0 import ConnectorRegistryV0
from staffwire.catalog import (
    check_catalog,
    connector_dirs,
    dockerfile_problems,
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
def test_no_connector_keeps_an_acceptance_test_config(connector: Path) -> None:
    assert not (connector / "acceptance-test-config.yml").exists()


@pytest.mark.parametrize("connector", CONNECTORS, ids=IDS)
def test_metadata_agrees_with_the_package(connector: Path) -> None:
    assert metadata_problems(connector, REPO) == []


@pytest.mark.parametrize("connector", CONNECTORS, ids=IDS)
def test_the_dockerfile_follows_the_python_connector_convention(connector: Path) -> None:
    name = connector.name
    project = read_pyproject(connector / "pyproject.toml")["project"]
    assert project["scripts"][name]
    assert dockerfile_problems(connector / "Dockerfile", name, project["version"]) == []
    text = (connector / "Dockerfile").read_text()
    assert re.findall(r"^USER\s+(\S+)$", text, re.MULTILINE) == ["airbyte"]  # once, in the final stage
    assert len(re.findall(r"^FROM\s+\$\{BASE_IMAGE\}", text, re.MULTILINE)) == 2
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


def test_catalog_json_is_an_airbyte_registry_of_every_connector() -> None:
    catalog = json.loads((REPO / "catalog.json").read_text())
    ConnectorRegistryV0.model_validate(catalog)
    listed = sorted(e["dockerRepository"] for e in catalog["sources"] + catalog["destinations"])
    assert listed == sorted(f"staffwire/{name}" for name in IDS)
    for entry in catalog["sources"] + catalog["destinations"]:
        assert entry["spec"]["connectionSpecification"]["type"] == "object"
        assert entry["remoteRegistries"] == {
            "pypi": {"enabled": True, "packageName": entry["dockerRepository"].split("/")[1]}
        }


def test_staffwire_catalog_check_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check", "--root", str(REPO)]) == 0
    assert capsys.readouterr().out == f"{REPO / 'catalog.json'} is up to date\n"
