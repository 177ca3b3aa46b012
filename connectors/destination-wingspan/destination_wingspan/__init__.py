"""Staffwire connector destination-wingspan: contractors, payables and invoices into Wingspan, exactly once."""

from __future__ import annotations

from destination_wingspan.destination import DestinationWingspan

__all__ = ["DestinationWingspan"]
