"""SDK tests: the example connectors live beside the tests, importable by module name."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

_HERE = Path(__file__).resolve().parent
for _folder in ("support", "source-example", "destination-example"):
    if str(_HERE / _folder) not in sys.path:
        sys.path.insert(0, str(_HERE / _folder))

from sdk_support import configured_catalog  # noqa: E402
from source_example import API_KEY, ExampleSandbox  # noqa: E402

CatalogFor = Callable[..., dict[str, Any]]


@pytest.fixture
def sandbox() -> Iterator[ExampleSandbox]:
    """The example API on loopback (a fresh one per test)."""
    with ExampleSandbox() as running:
        yield running


@pytest.fixture
def config(sandbox: ExampleSandbox) -> dict[str, Any]:
    """A working config of the example source, pointed at the sandbox."""
    return {"api_key": API_KEY, "api_url": sandbox.url, "page_size": 2}


@pytest.fixture
def catalog_for() -> CatalogFor:
    return configured_catalog
