"""airbyte-cdk's DestinationTestSuiteBase against the example destination, through staffwire.compat."""

from __future__ import annotations

from destination_example import DestinationExample
from staffwire.compat import DestinationTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes the scenarios)


class TestStandardSuite(DestinationTestSuite):
    connector = DestinationExample
