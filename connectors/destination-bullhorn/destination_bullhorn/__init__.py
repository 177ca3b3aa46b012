"""Staffwire connector destination-bullhorn: status write-back into Bullhorn (data activation, safe writes)."""

from __future__ import annotations

from destination_bullhorn.destination import DestinationBullhorn

__all__ = ["DestinationBullhorn"]
