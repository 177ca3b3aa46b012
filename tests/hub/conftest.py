"""Fixtures for the hub's tests (helpers in support/hub_support.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_SUPPORT = Path(__file__).parent / "support"
if str(_SUPPORT) not in sys.path:
    sys.path.insert(0, str(_SUPPORT))

from hub_support import Hub  # noqa: E402


@pytest.fixture
def hub(tmp_path: Path) -> Hub:
    return Hub(tmp_path)
