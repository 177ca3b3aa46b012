"""airbyte-cdk's SourceTestSuiteBase against the example source, through staffwire.compat: the proof that a
Staffwire source passes Airbyte's standard tests. A connector needs only the class below (plus prepare_config
when its config must point at a live sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from source_example import ExampleSandbox, SourceExample
from staffwire.compat import SourceTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes the scenarios)

_sandbox: list[ExampleSandbox] = []


@pytest.fixture(autouse=True, scope="module")
def example_sandbox() -> Iterator[ExampleSandbox]:
    with ExampleSandbox() as sandbox:
        _sandbox.append(sandbox)
        yield sandbox
        _sandbox.clear()


class TestStandardSuite(SourceTestSuite):
    connector = SourceExample

    @classmethod
    def prepare_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "api_url": _sandbox[0].url}
