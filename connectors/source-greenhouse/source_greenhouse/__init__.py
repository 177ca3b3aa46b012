"""Staffwire connector source-greenhouse: a client's Greenhouse (Harvest v3) as an Airbyte-protocol source."""

from __future__ import annotations

from source_greenhouse.source import SourceGreenhouse

__all__ = ["SourceGreenhouse"]
