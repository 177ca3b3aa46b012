"""Registers source-greenhouse and its sandbox with Staffwire's plugin manager."""

from __future__ import annotations

from typing import Any

from staffwire.plugins import hookimpl


@hookimpl
def staffwire_connectors() -> list[type[Any]]:
    from source_greenhouse.source import SourceGreenhouse

    return [SourceGreenhouse]


@hookimpl
def staffwire_sandboxes() -> dict[str, type[Any]]:
    from source_greenhouse.sandbox import GreenhouseSandbox

    return {"greenhouse": GreenhouseSandbox}
