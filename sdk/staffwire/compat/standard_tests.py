"""airbyte-cdk's standard test suites, set up for Staffwire connectors.

The scenarios are where Airbyte keeps them now: the ``smokeTests`` suite of ``connectorTestSuitesOptions`` in the
connector's ``metadata.yaml`` (``acceptance-test-config.yml`` is retired). The suites find ``metadata.yaml`` by
walking up from the test module, and parametrize their tests with its scenarios through ``pytest_generate_tests``
(import it into the test module, as the pytest plugin ``airbyte_cdk.test.standard_tests.pytest_hooks`` is not
loaded by default); a connector without them falls back to ``acceptance-test-config.yml``. A scenario with
``expectFailure: true`` runs ``check`` and expects it to fail; every other
scenario runs every command the connector has (spec, check, and for a source discover and read). The Docker image tests are skipped
unless ``STAFFWIRE_DOCKER_TESTS=1`` (they build images, which needs the network).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

import pytest
from airbyte_cdk.test.models import ConnectorTestScenario
from airbyte_cdk.test.standard_tests import DestinationTestSuiteBase, SourceTestSuiteBase
from airbyte_cdk.test.standard_tests.pytest_hooks import pytest_generate_tests

from staffwire.compat.cdk import CdkDestination, CdkSource, as_cdk_destination, as_cdk_source

__all__ = ["DestinationTestSuite", "SourceTestSuite", "pytest_generate_tests"]

_DOCKER_TESTS = (
    "test_docker_image_build_and_spec",
    "test_docker_image_spec_backward_compatibility",
    "test_docker_image_build_and_check",
    "test_docker_image_build_and_config_matches_spec",
    "test_docker_image_build_and_discover",
    "test_docker_image_build_and_read",
)


def _skip_docker(cls: type[Any]) -> None:
    if os.environ.get("STAFFWIRE_DOCKER_TESTS") == "1":
        return
    for name in _DOCKER_TESTS:
        if hasattr(cls, name):
            setattr(
                cls,
                name,
                pytest.mark.skip(reason="Docker image tests: set STAFFWIRE_DOCKER_TESTS=1")(_skipped),
            )


def _skipped(*args: Any, **kwargs: Any) -> None:  # pragma: no cover - always skipped
    pytest.skip("Docker image tests: set STAFFWIRE_DOCKER_TESTS=1")


class _Fixtures:
    """The fixtures of airbyte-cdk's pytest plugin (options are not registered without it)."""

    @pytest.fixture
    def connector_image_override(self) -> str | None:
        return os.environ.get("STAFFWIRE_CONNECTOR_IMAGE")

    @pytest.fixture
    def connector_base_image_override(self) -> str | None:
        return None

    @pytest.fixture
    def read_from_streams(self) -> Any:
        return None

    @pytest.fixture
    def read_scenarios(self) -> Any:
        return "config.json"


_SUCCEED_SECTIONS = {
    "source": ("spec", "connection", "discovery", "basic_read"),
    "destination": ("spec", "connection"),
}


def metadata_scenarios(connector_root: Path, kind: str) -> list[ConnectorTestScenario]:
    """airbyte-cdk scenarios from the ``smokeTests`` suite of ``connector_root/metadata.yaml``."""
    import yaml

    from staffwire.catalog.metadata import smoke_scenarios

    metadata = yaml.safe_load((connector_root / "metadata.yaml").read_text())
    scenarios = []
    for entry in smoke_scenarios(metadata.get("data") or {}):
        failing = bool(entry.get("expectFailure"))
        scenario = ConnectorTestScenario.model_validate(
            {
                "config_path": Path(entry["configFile"]),
                "status": "failed" if failing else "succeed",
                "sections": ("connection",) if failing else _SUCCEED_SECTIONS[kind],
            }
        )
        scenario._id = entry["name"]
        scenarios.append(scenario)
    return scenarios


class _Suite(_Fixtures):
    """What both suites add: the config hook, scenarios from metadata.yaml, and the Docker tests skipped in every
    concrete suite."""

    _kind: ClassVar[str] = "source"

    @classmethod
    def get_scenarios(cls) -> list[ConnectorTestScenario]:
        """The ``smokeTests`` scenarios of metadata.yaml; a connector without them (a third party's that still
        keeps ``acceptance-test-config.yml``) gets airbyte-cdk's own reading of that file."""
        root = cls.get_connector_root_dir()  # type: ignore[attr-defined]
        scenarios = metadata_scenarios(root, cls._kind) if (root / "metadata.yaml").is_file() else []
        return scenarios or super().get_scenarios()  # type: ignore[misc]

    @classmethod
    def prepare_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        """Adjust a scenario's config before each command (e.g. point ``api_url`` at a live sandbox)."""
        return config

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _skip_docker(cls)


class SourceTestSuite(_Suite, SourceTestSuiteBase):
    """airbyte-cdk's ``SourceTestSuiteBase`` for a Staffwire source: set ``connector`` to the source class."""

    connector: ClassVar[Any]  # type: ignore[misc]

    @classmethod
    def create_connector(cls, scenario: ConnectorTestScenario | None) -> CdkSource:
        return as_cdk_source(cls.connector, cls.prepare_config)()


class DestinationTestSuite(_Suite, DestinationTestSuiteBase):
    """airbyte-cdk's ``DestinationTestSuiteBase`` for a Staffwire destination: set ``connector``."""

    _kind: ClassVar[str] = "destination"

    connector: ClassVar[Any]  # type: ignore[misc]

    @classmethod
    def create_connector(cls, scenario: ConnectorTestScenario | None) -> CdkDestination:
        return as_cdk_destination(cls.connector, cls.prepare_config)()
