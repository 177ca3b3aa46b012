"""A connector folder's ``metadata.yaml``: validated against Airbyte's current metadata model and checked against
the package beside it.

The model is ``ConnectorMetadataDefinitionV0`` from the published ``airbyte-connector-models`` package (the
pydantic models Airbyte generates from its metadata schema; extra fields are forbidden), pinned in the ``catalog``
extra and the dev group. It is imported only here, so ``staffwire`` itself does not depend on it.
Problems are ``(JSON path, message)`` pairs, reported as ``<file>: <JSON path>: <what is wrong>``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from staffwire.catalog.dockerfile import dockerfile_problems
from staffwire.errors import ConfigError

__all__ = [
    "LoadedConnector",
    "connector_dirs",
    "load_connector",
    "metadata_problems",
    "read_pyproject",
    "rel",
    "validate_metadata",
]

#: Where Airbyte's standard tests of a connector are configured now (``acceptance-test-config.yml`` is retired).
SMOKE_SUITE = "smokeTests"


def connector_dirs(root: Path) -> list[Path]:
    """Every connector package under ``root/connectors`` (a folder with a pyproject.toml), sorted."""
    base = root / "connectors"
    return sorted(p for p in base.iterdir() if (p / "pyproject.toml").is_file()) if base.is_dir() else []


def read_pyproject(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ConfigError(
                f"Reading {path} on Python 3.10 needs the tomli package: pip install tomli (or use Python 3.11+)."
            ) from None

    with path.open("rb") as fh:
        return tomllib.load(fh)


def rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# ------------------------------------------------------------------------------------------------ the model
def _model() -> Any:
    try:
        from airbyte_connector_models.metadata.v0.connector_metadata_definition_v0 import (
            ConnectorMetadataDefinitionV0,
        )
    except ModuleNotFoundError:
        raise ConfigError(
            "Validating metadata.yaml needs Airbyte's metadata models: pip install 'staffwire[catalog]' "
            "(the airbyte-connector-models package)."
        ) from None
    return ConnectorMetadataDefinitionV0


def _json_path(loc: tuple[Any, ...]) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def validate_metadata(document: Any) -> list[tuple[str, str]]:
    """Problems of one parsed metadata.yaml against ``ConnectorMetadataDefinitionV0``, as
    ``(JSON path, "<error type>: <message>")``, sorted by path."""
    from pydantic import ValidationError

    try:
        _model().model_validate(document)
    except ValidationError as exc:
        found = {(_json_path(e["loc"]), f"{e['type']}: {e['msg']}") for e in exc.errors(include_url=False)}
        return sorted(found)
    return []


# ------------------------------------------------------------------------------------------------ loading
@dataclass(frozen=True)
class LoadedConnector:
    directory: Path
    metadata: dict[str, Any]  # the ``data`` block
    project: dict[str, Any]  # pyproject's ``[project]``

    @property
    def name(self) -> str:
        return self.directory.name


def load_connector(directory: Path, root: Path, problems: list[str]) -> LoadedConnector | None:
    """The connector's metadata and project, or None after appending why it cannot be read or validated."""
    import yaml

    meta_path = directory / "metadata.yaml"
    where = rel(meta_path, root)
    if not meta_path.is_file():
        problems.append(f"{where}: missing: every connector needs a metadata.yaml")
        return None
    try:
        document = yaml.safe_load(meta_path.read_text())
    except yaml.YAMLError as exc:
        problems.append(f"{where}: not valid YAML: {exc}")
        return None
    schema_problems = validate_metadata(document)
    problems.extend(f"{where}: {path}: {message}" for path, message in schema_problems)
    if schema_problems:
        return None
    project = read_pyproject(directory / "pyproject.toml").get("project", {})
    return LoadedConnector(directory, document["data"], project)


def metadata_problems(connector: Path, root: Path | None = None) -> list[str]:
    """Every problem with one connector folder: its metadata.yaml against the model and against the package
    (names, versions, package index, icon, test scenarios, the Dockerfile)."""
    root = root or connector.parent.parent
    problems: list[str] = []
    loaded = load_connector(connector, root, problems)
    if loaded is not None:
        problems.extend(consistency_problems(loaded, root))
    return problems


# ------------------------------------------------------------------------------------------------ consistency
def consistency_problems(c: LoadedConnector, root: Path) -> list[str]:
    where = rel(c.directory / "metadata.yaml", root)
    pyproject = rel(c.directory / "pyproject.toml", root)
    data, project, name = c.metadata, c.project, c.name
    problems: list[str] = []

    def problem(path: str, text: str, file: str = where) -> None:
        problems.append(f"{file}: {path}: {text}")

    if project.get("name") != name:
        problem(
            "$.project.name", f"must be {name!r} (the folder name), found {project.get('name')!r}", pyproject
        )
    if not name.startswith(f"{data['connectorType']}-"):
        problem(
            "$.data.connectorType", f"{data['connectorType']!r} does not match the connector name {name!r}"
        )
    if not data["dockerRepository"].endswith(f"/{name}"):
        problem("$.data.dockerRepository", f"must end with '/{name}', found {data['dockerRepository']!r}")
    if not re.match(r"https://[^\s/]+\.[^\s/]+", str(data["documentationUrl"])):
        problem("$.data.documentationUrl", f"must be an https:// URL, found {data['documentationUrl']!r}")
    version = project.get("version")
    if data["dockerImageTag"] != version:
        problem(
            "$.data.dockerImageTag",
            f"must equal the pyproject version {version!r}, found {data['dockerImageTag']!r}",
        )
    pypi = (data.get("remoteRegistries") or {}).get("pypi") or {}
    if pypi.get("packageName") != name or pypi.get("enabled") is not True:
        problem(
            "$.data.remoteRegistries.pypi",
            f"must be {{enabled: true, packageName: {name}}} (the wheel `uv build` makes), found {pypi or None!r}",
        )
    icon = data.get("icon")
    if not icon:
        problem("$.data.icon", "missing: name the connector's SVG icon (e.g. icon.svg beside metadata.yaml)")
    elif not (c.directory / icon).is_file():
        problem("$.data.icon", f"{icon!r} is not a file in {rel(c.directory, root)}")
    problems.extend(_scenario_problems(c, where))
    if (c.directory / "acceptance-test-config.yml").exists():
        problems.append(
            f"{rel(c.directory / 'acceptance-test-config.yml', root)}: retired: the standard-test scenarios live in "
            f"metadata.yaml's connectorTestSuitesOptions ({SMOKE_SUITE}); move them there and delete this file"
        )
    if name not in project.get("scripts", {}):
        problem("$.project.scripts", f"needs a console script named {name!r}", pyproject)
    if "staffwire.connectors" not in project.get("entry-points", {}):
        problem(
            "$.project.entry-points",
            "needs a 'staffwire.connectors' entry point (the connector's plugin module)",
            pyproject,
        )
    docker = c.directory / "Dockerfile"
    problems.extend(f"{rel(docker, root)}: {p}" for p in dockerfile_problems(docker, name, version))
    return problems


def smoke_scenarios(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``scenarios`` of the ``smokeTests`` suite in a metadata ``data`` block (empty if none)."""
    for suite in metadata.get("connectorTestSuitesOptions") or []:
        if suite.get("suite") == SMOKE_SUITE:
            return list(suite.get("scenarios") or [])
    return []


def _scenario_problems(c: LoadedConnector, where: str) -> list[str]:
    scenarios = smoke_scenarios(c.metadata)
    if not scenarios:
        return [
            f"{where}: $.data.connectorTestSuitesOptions: needs a '{SMOKE_SUITE}' suite with scenarios "
            "(the configs airbyte-cdk's standard tests run)"
        ]
    problems = []
    for index, scenario in enumerate(scenarios):
        config_file = scenario.get("configFile")
        if config_file and not (c.directory / config_file).is_file():
            problems.append(
                f"{where}: $.data.connectorTestSuitesOptions[{SMOKE_SUITE}].scenarios[{index}].configFile: "
                f"{config_file!r} is not a file in the connector folder"
            )
    return problems
