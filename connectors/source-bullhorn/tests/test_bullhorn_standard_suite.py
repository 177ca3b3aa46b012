"""airbyte-cdk's SourceTestSuiteBase against source-bullhorn and its sandbox (scenarios from
metadata.yaml's smokeTests scenarios; the config's login_info_url is pointed at the live sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from source_bullhorn.sandbox import BullhornSandbox
from source_bullhorn.source import SourceBullhorn
from staffwire.compat import SourceTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes the scenarios)

_sandbox: list[BullhornSandbox] = []


@pytest.fixture(autouse=True, scope="module")
def bullhorn_sandbox() -> Iterator[BullhornSandbox]:
    with BullhornSandbox(seed=11, candidates=40, log_requests=False) as sandbox:
        _sandbox.append(sandbox)
        yield sandbox
        _sandbox.clear()


class TestBullhornStandardSuite(SourceTestSuite):
    connector = SourceBullhorn

    @classmethod
    def prepare_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "login_info_url": _sandbox[0].login_info_url}
