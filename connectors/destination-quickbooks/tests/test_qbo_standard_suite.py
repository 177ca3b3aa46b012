"""airbyte-cdk's DestinationTestSuiteBase against destination-quickbooks and its sandbox (scenarios from
metadata.yaml's smokeTests scenarios; the config's api_url and token_url are pointed at the live sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from destination_quickbooks import DestinationQuickBooks
from destination_quickbooks.sandbox import QuickBooksSandbox
from staffwire.compat import DestinationTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes the scenarios)

_sandbox: list[QuickBooksSandbox] = []


@pytest.fixture(autouse=True, scope="module")
def quickbooks_sandbox() -> Iterator[QuickBooksSandbox]:
    with QuickBooksSandbox(log_requests=False) as sandbox:
        _sandbox.append(sandbox)
        yield sandbox
        _sandbox.clear()


class TestQuickBooksStandardSuite(DestinationTestSuite):
    connector = DestinationQuickBooks

    @classmethod
    def prepare_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        url = _sandbox[0].url
        return {**config, "api_url": url, "token_url": url + "/oauth2/v1/tokens/bearer"}
