"""staffwire.testing.startup reports exactly which watched modules a connector's ``spec`` imports."""

from __future__ import annotations

import pytest
from staffwire.testing.startup import modules_loaded_by_spec


def test_it_names_the_watched_modules_spec_imports_and_only_those() -> None:
    loaded = modules_loaded_by_spec(
        "source_bullhorn.source:SourceBullhorn", ["pydantic", "staffwire.source", "requests"]
    )
    assert loaded == ["pydantic", "staffwire.source"]


def test_a_connector_that_cannot_be_imported_fails_with_its_traceback() -> None:
    with pytest.raises(
        AssertionError, match=r"(?s)no_such_package\.source:SourceX spec crashed:\n.*ModuleNotFoundError"
    ):
        modules_loaded_by_spec("no_such_package.source:SourceX", ["requests"])
