"""airbyte-cdk's SourceTestSuiteBase against source-zoho and a live Zoho sandbox, through staffwire.compat
(the smokeTests scenarios of metadata.yaml; prepare_config points them at the sandbox)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from source_zoho import SourceZoho
from source_zoho.sandbox import ZohoSandbox
from staffwire.compat import SourceTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes the scenarios)

_sandbox: list[ZohoSandbox] = []


@pytest.fixture(autouse=True, scope="module")
def zoho_sandbox() -> Iterator[ZohoSandbox]:
    sizes = {
        "Candidates": 6,
        "JobOpenings": 3,
        "Clients": 3,
        "Contacts": 3,
        "Applications": 4,
        "Interviews": 2,
        "Departments": 2,
    }
    with ZohoSandbox(recruit_sizes=sizes) as sandbox:
        _sandbox.append(sandbox)
        yield sandbox
        _sandbox.clear()


class TestZohoStandardSuite(SourceTestSuite):
    connector = SourceZoho

    @classmethod
    def prepare_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "accounts_url": _sandbox[0].url, "api_url": _sandbox[0].url}
