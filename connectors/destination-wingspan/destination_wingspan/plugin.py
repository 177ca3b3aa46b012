"""Registers destination-wingspan and its sandbox with Staffwire (entry point ``staffwire.connectors``)."""

from __future__ import annotations

from staffwire.plugins import hookimpl

from destination_wingspan.destination import DestinationWingspan
from destination_wingspan.sandbox import WingspanSandbox


@hookimpl
def staffwire_connectors() -> list[type]:
    return [DestinationWingspan]


@hookimpl
def staffwire_sandboxes() -> dict[str, type]:
    return {"wingspan": WingspanSandbox}
