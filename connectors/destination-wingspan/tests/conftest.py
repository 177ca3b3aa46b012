"""Fixtures for destination-wingspan tests: a Wingspan sandbox on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from destination_wingspan.sandbox import WingspanSandbox


@pytest.fixture
def sandbox() -> Iterator[WingspanSandbox]:
    with WingspanSandbox(process_delay=0.01, rate_limit_per_s=None, dedupe_by_email=False) as sb:
        yield sb
