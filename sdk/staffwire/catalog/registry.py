"""``catalog.json``: the collection as an Airbyte connector registry (``ConnectorRegistryV0``).

Shape: ``{"sources": [...], "destinations": [...]}``, one entry per connector with ``sourceDefinitionId`` /
``destinationDefinitionId``, ``dockerRepository``, ``dockerImageTag``, ``documentationUrl``, ``spec`` (what the
connector's ``spec`` command prints) and the rest of its metadata.yaml in the registry's field names. Built from
every ``connectors/*/metadata.yaml`` (sorted, so the file is stable); the committed file is checked for staleness.

PyAirbyte reads the same shape (``AIRBYTE_LOCAL_REGISTRY``) but names a connector by its ``dockerRepository`` with
``airbyte/`` cut off, so it would call ours ``staffwire/source-bullhorn``. :func:`pyairbyte_registry` is the same
registry with each ``dockerRepository`` written as PyAirbyte expects (``staffwire catalog pyairbyte``).
"""

from __future__ import annotations

import copy
import difflib
import json
from pathlib import Path
from typing import Any

from staffwire.catalog.metadata import (
    LoadedConnector,
    connector_dirs,
    consistency_problems,
    load_connector,
    rel,
)
from staffwire.catalog.spec import connector_spec
from staffwire.errors import ConfigError

__all__ = [
    "CATALOG_FILE",
    "CatalogProblems",
    "build_catalog",
    "check_catalog",
    "pyairbyte_registry",
    "render_catalog",
    "write_catalog",
]

CATALOG_FILE = "catalog.json"

#: metadata.yaml fields copied into the registry entry under the same name, when present.
_COPIED = (
    "allowedHosts",
    "githubIssueLabel",
    "license",
    "maxSecondsBetweenMessages",
    "releaseStage",
    "remoteRegistries",
    "suggestedStreams",
    "supportLevel",
    "supportsDataActivation",
    "tags",
)


class CatalogProblems(ConfigError):
    """One or more connectors' metadata is invalid; ``problems`` lists each as ``file: $.path: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the connectors' metadata; fix them and run "
            "`staffwire catalog build` again:\n" + "\n".join(f"  {p}" for p in problems)
        )


def _entry(c: LoadedConnector) -> dict[str, Any]:
    data = c.metadata
    kind = data["connectorType"]
    script = c.project["scripts"][c.name]
    entry: dict[str, Any] = {
        f"{kind}DefinitionId": str(data["definitionId"]),
        "name": data["name"],
        "dockerRepository": data["dockerRepository"],
        "dockerImageTag": data["dockerImageTag"],
        "documentationUrl": str(data["documentationUrl"]),
        "icon": (c.directory / data["icon"]).read_text(),
        "spec": connector_spec(c.directory, script),
        "language": "python",
        "tombstone": False,
        "public": True,
        "custom": False,
    }
    if kind == "source":
        entry["sourceType"] = data["connectorSubtype"]
    entry.update({key: copy.deepcopy(data[key]) for key in _COPIED if key in data})
    return entry


def build_catalog(root: Path) -> dict[str, Any]:
    """The registry of every connector under ``root``; raises :class:`CatalogProblems` if any metadata is
    invalid (all problems at once)."""
    problems: list[str] = []
    loaded: list[LoadedConnector] = []
    ids: dict[str, str] = {}
    for directory in connector_dirs(root):
        connector = load_connector(directory, root, problems)
        if connector is None:
            continue
        problems.extend(consistency_problems(connector, root))
        definition_id = str(connector.metadata["definitionId"])
        other = ids.setdefault(definition_id, connector.name)
        if other != connector.name:
            problems.append(
                f"{rel(directory / 'metadata.yaml', root)}: $.data.definitionId: "
                f"{definition_id} is already used by {other}; generate a new UUID"
            )
        loaded.append(connector)
    if problems:
        raise CatalogProblems(problems)
    registry: dict[str, Any] = {"sources": [], "destinations": []}
    for connector in loaded:
        registry[f"{connector.metadata['connectorType']}s"].append(_entry(connector))
    for entries in registry.values():
        entries.sort(key=lambda e: e["dockerRepository"])
    return registry


def pyairbyte_registry(registry: dict[str, Any]) -> dict[str, Any]:
    """``registry`` with each ``dockerRepository`` as ``airbyte/<connector>``, the only form from which PyAirbyte
    derives the connector's name (it installs Python connectors from ``remoteRegistries.pypi``, not the image)."""
    view = copy.deepcopy(registry)
    for entry in (*view["sources"], *view["destinations"]):
        entry["dockerRepository"] = "airbyte/" + entry["dockerRepository"].rsplit("/", 1)[-1]
    return view


def render_catalog(catalog: dict[str, Any]) -> str:
    return json.dumps(catalog, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_catalog(root: Path) -> Path:
    """Build and write ``root/catalog.json``; returns its path."""
    path = root / CATALOG_FILE
    path.write_text(render_catalog(build_catalog(root)))
    return path


def check_catalog(root: Path) -> list[str]:
    """The unified diff (lines) between the committed catalog.json and a fresh build; empty when current."""
    path = root / CATALOG_FILE
    fresh = render_catalog(build_catalog(root))
    current = path.read_text() if path.is_file() else ""
    if current == fresh:
        return []
    return list(
        difflib.unified_diff(
            current.splitlines(keepends=True),
            fresh.splitlines(keepends=True),
            f"{CATALOG_FILE} (committed)",
            f"{CATALOG_FILE} (built)",
        )
    )
