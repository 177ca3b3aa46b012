"""Registers destination-bullhorn with Staffwire (entry point ``staffwire.connectors``); its sandbox is
source-bullhorn's, registered there."""

from __future__ import annotations

from staffwire.plugins import hookimpl

from destination_bullhorn.destination import DestinationBullhorn


@hookimpl
def staffwire_connectors() -> list[type]:
    return [DestinationBullhorn]
