"""The public surfaces are what their ``__all__`` lists, and every listed name exists."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("module", ["staffwire.mapping", "staffwire.standard"])
def test_every_public_name_exists(module: str) -> None:
    package = importlib.import_module(module)
    assert [name for name in package.__all__ if not hasattr(package, name)] == []


def test_the_mapping_api_connectors_use_is_public() -> None:
    import staffwire.mapping as mapping

    assert {
        "CompiledMapping",
        "compile_mappings",
        "compile_mapping",
        "check_document",
        "load_document",
        "compile_rules",
        "RuleChecker",
        "Deduper",
        "DedupeReport",
        "ValueMap",
        "compile_condition",
        "compile_path",
        "TRANSFORMS",
    } <= set(mapping.__all__)
