"""The runner's modules export exactly what they define."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "staffwire.runner",
    "staffwire.runner.connection",
    "staffwire.runner.executors",
    "staffwire.runner.messages",
    "staffwire.runner.progress",
    "staffwire.runner.pypi",
    "staffwire.runner.relay",
    "staffwire.runner.resolve",
    "staffwire.runner.stats",
    "staffwire.runner.store",
    "staffwire.runner.sync",
    "staffwire.runner.demo",
    "staffwire.runner.cli",
]


@pytest.mark.parametrize("module", MODULES)
def test_each_module_exports_what_it_defines(module: str) -> None:
    loaded = importlib.import_module(module)
    for name in loaded.__all__:
        assert hasattr(loaded, name), f"{module}.__all__ names {name}, which it does not define"
