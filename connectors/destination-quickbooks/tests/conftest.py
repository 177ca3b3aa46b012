"""Fixtures for destination-quickbooks tests: a QuickBooks sandbox on loopback (its rate limits are tested on
their own, in test_qbo_limits.py)."""

from __future__ import annotations

from destination_quickbooks.sandbox import QuickBooksSandbox
from staffwire.testing.sandbox import sandbox_fixture

sandbox = sandbox_fixture(
    lambda: QuickBooksSandbox(requests_per_minute=None, batch_requests_per_minute=None), name="sandbox"
)
