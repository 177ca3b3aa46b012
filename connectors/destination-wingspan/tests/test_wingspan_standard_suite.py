"""airbyte-cdk's DestinationTestSuiteBase against destination-wingspan and its sandbox (scenarios from
metadata.yaml's smokeTests scenarios; the config's api_url is pointed at the live sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from destination_wingspan import DestinationWingspan
from destination_wingspan.sandbox import WingspanSandbox
from staffwire.compat import DestinationTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes the scenarios)

_sandbox: list[WingspanSandbox] = []


@pytest.fixture(autouse=True, scope="module")
def wingspan_sandbox() -> Iterator[WingspanSandbox]:
    with WingspanSandbox(log_requests=False) as sandbox:
        _sandbox.append(sandbox)
        yield sandbox
        _sandbox.clear()


class TestWingspanStandardSuite(DestinationTestSuite):
    connector = DestinationWingspan

    @classmethod
    def prepare_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "api_url": _sandbox[0].url}
