"""Fixtures for source-greenhouse tests: a live Greenhouse sandbox on loopback (helpers: source_greenhouse.testing)."""

from __future__ import annotations

from source_greenhouse.sandbox import GreenhouseSandbox
from staffwire.testing.sandbox import sandbox_fixture

sandbox = sandbox_fixture(lambda: GreenhouseSandbox(candidates=24), name="sandbox")
