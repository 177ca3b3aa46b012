"""The connector catalog: ``catalog.json`` at the repository root, an Airbyte registry generated from every
``connectors/*/metadata.yaml``, and the checks of those files (metadata model, package, Dockerfile).

``staffwire catalog build`` writes it, ``staffwire catalog check`` fails with a diff when the committed file is
stale, ``staffwire catalog pyairbyte`` prints the registry in the form PyAirbyte reads.
"""

from __future__ import annotations

from staffwire.catalog.cli import find_root, register
from staffwire.catalog.dockerfile import dockerfile_problems
from staffwire.catalog.metadata import (
    connector_dirs,
    metadata_problems,
    read_pyproject,
    smoke_scenarios,
    validate_metadata,
)
from staffwire.catalog.registry import (
    CATALOG_FILE,
    CatalogProblems,
    build_catalog,
    check_catalog,
    pyairbyte_registry,
    render_catalog,
    write_catalog,
)

__all__ = [
    "CATALOG_FILE",
    "CatalogProblems",
    "build_catalog",
    "check_catalog",
    "connector_dirs",
    "dockerfile_problems",
    "find_root",
    "metadata_problems",
    "pyairbyte_registry",
    "read_pyproject",
    "register",
    "render_catalog",
    "smoke_scenarios",
    "validate_metadata",
    "write_catalog",
]
