"""airbyte-cdk's DestinationTestSuiteBase against destination-greenhouse and the Greenhouse sandbox (scenarios
from metadata.yaml's smokeTests scenarios; the config's api_url and token_url are pointed at the live sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from destination_greenhouse import DestinationGreenhouse
from source_greenhouse.sandbox import GreenhouseSandbox
from staffwire.compat import DestinationTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes the scenarios)

_sandbox: list[GreenhouseSandbox] = []


@pytest.fixture(autouse=True, scope="module")
def greenhouse_sandbox() -> Iterator[GreenhouseSandbox]:
    with GreenhouseSandbox(candidates=6, rate_limit=None, log_requests=False) as sandbox:
        _sandbox.append(sandbox)
        yield sandbox
        _sandbox.clear()


class TestGreenhouseDestinationStandardSuite(DestinationTestSuite):
    connector = DestinationGreenhouse

    @classmethod
    def prepare_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "api_url": _sandbox[0].api_url, "token_url": _sandbox[0].token_url}
