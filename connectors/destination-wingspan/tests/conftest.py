"""Fixtures for destination-wingspan tests: a Wingspan sandbox on loopback."""

from __future__ import annotations

from destination_wingspan.sandbox import WingspanSandbox
from staffwire.testing.sandbox import sandbox_fixture

sandbox = sandbox_fixture(
    lambda: WingspanSandbox(process_delay=0.01, rate_limit_per_s=None, dedupe_by_email=False), name="sandbox"
)
