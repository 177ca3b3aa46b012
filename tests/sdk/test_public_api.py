"""The package's curated surface: every name in ``__all__`` resolves, lazily, to the object of its module."""

from __future__ import annotations

import importlib
import importlib.util

import pytest
import staffwire

MODULES = [
    "staffwire.protocol",
    "staffwire.spec",
    "staffwire.source",
    "staffwire.http_source",
    "staffwire.destination",
    "staffwire.entrypoint",
    "staffwire.state",
    "staffwire.logs",
    "staffwire.testing.conformance",
    "staffwire.testing.sandbox",
    "staffwire.testing.faults",
    "staffwire.testing.tokens",
    "staffwire.testing.seed",
    "staffwire.urls",
    "staffwire.compat",
    "staffwire.py310",
]


@pytest.mark.parametrize("name", staffwire.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    assert getattr(staffwire, name).__name__ == name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'staffwire' has no attribute 'Nope'"):
        staffwire.Nope  # noqa: B018


@pytest.mark.parametrize("module", MODULES)
def test_each_module_exports_what_it_defines(module: str) -> None:
    loaded = importlib.import_module(module)
    for name in loaded.__all__:
        assert hasattr(loaded, name), f"{module}.__all__ names {name}, which it does not define"


def test_the_sandbox_kit_re_exports_its_parts() -> None:
    from staffwire.testing import faults, sandbox, seed, tokens

    assert (sandbox.Fault, sandbox.Faults) == (faults.Fault, faults.Faults)
    assert sandbox.TokenBook is tokens.TokenBook
    assert sandbox.SeededData is seed.SeededData


def test_state_has_one_home() -> None:
    """Every state name is imported from staffwire.state; the modules it used to be spread over are gone."""
    import staffwire.state
    import staffwire.streams

    assert staffwire.Checkpoint is staffwire.state.Checkpoint
    assert not {"Checkpoint", "NO_CURSOR_STATE"} & set(staffwire.streams.__all__)
    assert {"Checkpoint", "CursorTracker", "InvalidStateError", "NO_CURSOR_STATE", "parse_cursor"} <= set(
        staffwire.state.__all__
    )
    assert importlib.util.find_spec("staffwire.incremental") is None


def test_compat_names_only_the_airbyte_cdk_adapters() -> None:
    """The 3.10 backport and the schema-evolution check have names that say what they are."""
    assert importlib.util.find_spec("staffwire.pycompat") is None
    assert importlib.util.find_spec("staffwire.standard.compat") is None
    assert importlib.util.find_spec("staffwire.py310") is not None
    assert importlib.util.find_spec("staffwire.standard.evolution") is not None
