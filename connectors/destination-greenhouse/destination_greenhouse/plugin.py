"""Registers destination-greenhouse with Staffwire's plugin manager (its sandbox is source-greenhouse's)."""

from __future__ import annotations

from typing import Any

from staffwire.plugins import hookimpl


@hookimpl
def staffwire_connectors() -> list[type[Any]]:
    from destination_greenhouse.destination import DestinationGreenhouse

    return [DestinationGreenhouse]
