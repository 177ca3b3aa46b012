"""Adapters that expose Staffwire connectors through airbyte-cdk interfaces.

airbyte-cdk is a test and compatibility dependency only: import this package from tests, never from a connector's
run-time code. What it gives:

* :func:`as_cdk_source` / :func:`as_cdk_destination`: an airbyte-cdk ``Source`` / ``Destination`` class that
  drives a Staffwire connector in-process (every line it prints validated against the protocol schema);
* :class:`SourceTestSuite` / :class:`DestinationTestSuite`: airbyte-cdk's standard test suites
  (``SourceTestSuiteBase`` / ``DestinationTestSuiteBase``) set up for a Staffwire connector. A connector enables
  them with one test class; the scenarios are the ``smokeTests`` of its ``metadata.yaml``::

      from staffwire.compat import SourceTestSuite, pytest_generate_tests  # noqa: F401  (parametrizes scenarios)

      class TestStandardSuite(SourceTestSuite):
          connector = SourceBullhorn

  Override :meth:`SourceTestSuite.prepare_config` to point the scenario's config at a live sandbox.
"""

from __future__ import annotations

from staffwire.compat.cdk import CdkDestination, CdkSource, as_cdk_destination, as_cdk_source
from staffwire.compat.standard_tests import DestinationTestSuite, SourceTestSuite, pytest_generate_tests

__all__ = [
    "CdkDestination",
    "CdkSource",
    "DestinationTestSuite",
    "SourceTestSuite",
    "as_cdk_destination",
    "as_cdk_source",
    "pytest_generate_tests",
]
