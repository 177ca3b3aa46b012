"""Staffwire connector destination-quickbooks: clients, placements, contractors and payables into QuickBooks Online,
exactly once."""

from __future__ import annotations

from destination_quickbooks.destination import DestinationQuickBooks

__all__ = ["DestinationQuickBooks"]
