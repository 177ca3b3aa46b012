"""airbyte-cdk's SourceTestSuiteBase against source-wingspan and a live, seeded Wingspan sandbox, through
staffwire.compat (metadata.yaml's smokeTests scenarios list them; prepare_config points them at the sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from destination_wingspan.sandbox import WingspanSandbox
from source_wingspan import SourceWingspan
from staffwire.compat import SourceTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes the scenarios)

_sandbox: list[WingspanSandbox] = []


@pytest.fixture(autouse=True, scope="module")
def wingspan_sandbox() -> Iterator[WingspanSandbox]:
    with WingspanSandbox(seed=True, rate_limit_per_s=None, log_requests=False) as sandbox:
        _sandbox.append(sandbox)
        yield sandbox
        _sandbox.clear()


class TestWingspanSourceStandardSuite(SourceTestSuite):
    connector = SourceWingspan

    @classmethod
    def prepare_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "api_url": _sandbox[0].url}
