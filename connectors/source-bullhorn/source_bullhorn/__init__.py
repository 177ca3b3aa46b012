"""Staffwire connector source-bullhorn: Bullhorn ATS raw entities and standard staffing streams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["BullhornSandbox", "SourceBullhorn"]

if TYPE_CHECKING:
    from source_bullhorn.sandbox import BullhornSandbox
    from source_bullhorn.source import SourceBullhorn


def __getattr__(name: str) -> Any:  # lazy: importing the package does not start loading the sandbox's data
    if name == "SourceBullhorn":
        from source_bullhorn.source import SourceBullhorn

        return SourceBullhorn
    if name == "BullhornSandbox":
        from source_bullhorn.sandbox import BullhornSandbox

        return BullhornSandbox
    raise AttributeError(f"module 'source_bullhorn' has no attribute {name!r}")
