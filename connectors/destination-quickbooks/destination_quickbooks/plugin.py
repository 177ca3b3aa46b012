"""Registers destination-quickbooks and its sandbox with Staffwire (entry point ``staffwire.connectors``)."""

from __future__ import annotations

from staffwire.plugins import hookimpl

from destination_quickbooks.destination import DestinationQuickBooks
from destination_quickbooks.sandbox import QuickBooksSandbox


@hookimpl
def staffwire_connectors() -> list[type]:
    return [DestinationQuickBooks]


@hookimpl
def staffwire_sandboxes() -> dict[str, type]:
    return {"quickbooks": QuickBooksSandbox}
