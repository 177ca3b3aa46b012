"""Data activation (reverse ETL): the destination side of the Airbyte protocol's destination catalog, and safe
writes into systems of record. See docs/destinations.md."""

from __future__ import annotations

from staffwire.activation.compare import WritePolicy, changes, same
from staffwire.activation.objects import (
    SYNC_MODES,
    DestinationObject,
    ObjectBinding,
    bind_streams,
    destination_catalog,
)
from staffwire.activation.outcomes import OUTCOME_STATS, Outcome, Outcomes
from staffwire.activation.safewrite import ObjectStore, SafeWriter

__all__ = [
    "OUTCOME_STATS",
    "SYNC_MODES",
    "DestinationObject",
    "ObjectBinding",
    "ObjectStore",
    "Outcome",
    "Outcomes",
    "SafeWriter",
    "WritePolicy",
    "bind_streams",
    "changes",
    "destination_catalog",
    "same",
]
