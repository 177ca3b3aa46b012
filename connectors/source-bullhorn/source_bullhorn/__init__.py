"""Staffwire connector source-bullhorn: Bullhorn ATS raw entities and standard staffing streams."""

from __future__ import annotations

from typing import TYPE_CHECKING

from staffwire.lazy import lazy_exports

_EXPORTS = {
    "BullhornSandbox": "source_bullhorn.sandbox",
    "SourceBullhorn": "source_bullhorn.source",
}
__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from source_bullhorn.sandbox import BullhornSandbox as BullhornSandbox
    from source_bullhorn.source import SourceBullhorn as SourceBullhorn

# lazy: importing the package does not start loading the sandbox's data
__getattr__ = lazy_exports(__name__, _EXPORTS)
