"""airbyte-cdk's DestinationTestSuiteBase against destination-bullhorn and the Bullhorn sandbox (scenarios from
metadata.yaml's smokeTests scenarios; the config's login_info_url is pointed at the live sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from destination_bullhorn import DestinationBullhorn
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.compat import DestinationTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes the scenarios)

_sandbox: list[BullhornSandbox] = []


@pytest.fixture(autouse=True, scope="module")
def bullhorn_sandbox() -> Iterator[BullhornSandbox]:
    with BullhornSandbox(candidates=20, log_requests=False) as sandbox:
        _sandbox.append(sandbox)
        yield sandbox
        _sandbox.clear()


class TestBullhornDestinationStandardSuite(DestinationTestSuite):
    connector = DestinationBullhorn

    @classmethod
    def prepare_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "login_info_url": f"{_sandbox[0].url}/rest-services/loginInfo"}
