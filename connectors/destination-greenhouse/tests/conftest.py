"""Fixtures for destination-greenhouse tests: a live Greenhouse sandbox (source-greenhouse's) on loopback."""

from __future__ import annotations

from source_greenhouse.sandbox import GreenhouseSandbox
from staffwire.testing.sandbox import sandbox_fixture

sandbox = sandbox_fixture(lambda: GreenhouseSandbox(candidates=24), name="sandbox")
