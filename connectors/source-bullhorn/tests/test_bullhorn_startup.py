"""``source-bullhorn spec`` starts like a minimal Staffwire source: it imports the config model and the SDK core,
none of what check, discover and read need (HTTP client, API, mapping engine, meta and stream modules)."""

from __future__ import annotations

from staffwire.testing.startup import modules_loaded_by_spec

LATER = [
    "requests",
    "staffwire.http",
    "staffwire.mapping",
    "source_bullhorn.api",
    "source_bullhorn.auth",
    "source_bullhorn.meta",
    "source_bullhorn.standard",
    "source_bullhorn.streams",
    "source_bullhorn.sandbox",
]


def test_spec_imports_nothing_that_check_discover_or_read_need() -> None:
    assert modules_loaded_by_spec("source_bullhorn.source:SourceBullhorn", LATER) == []
