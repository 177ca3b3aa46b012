"""Registers source-bullhorn and its Bullhorn sandbox with Staffwire's plugin manager."""

from __future__ import annotations

from typing import Any

from staffwire.plugins import hookimpl


@hookimpl
def staffwire_connectors() -> list[type[Any]]:
    from source_bullhorn.source import SourceBullhorn

    return [SourceBullhorn]


@hookimpl
def staffwire_sandboxes() -> dict[str, type[Any]]:
    from source_bullhorn.sandbox import BullhornSandbox

    return {"bullhorn": BullhornSandbox}
