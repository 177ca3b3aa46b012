"""Staffwire connector destination-greenhouse: agency submissions into a client's Greenhouse (Harvest v3)."""

from __future__ import annotations

from destination_greenhouse.destination import DestinationGreenhouse

__all__ = ["DestinationGreenhouse"]
