"""Destinations: what consumes records.

A destination connector subclasses :class:`Destination` and returns a :class:`Writer` from :meth:`Destination.open`.
The framework reads stdin (RECORD and STATE messages), hands records to :meth:`Writer.write` (which buffers), and on
every STATE calls :meth:`Writer.flush` to commit everything buffered; only when flush returns does it echo that
state, in input order, with ``destinationStats.recordCount`` and ``rejectedRecordCount``. Rejected records (raised
from ``write`` or returned from ``flush``) are reported one by one and counted; they never stop the sync. An
exception other than :class:`~staffwire.errors.RecordRejected` fails the run after what was committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

from staffwire.errors import RecordRejected

__all__ = ["Writer"]


@runtime_checkable
class Writer(Protocol):
    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        """Accept one record (buffer it). Raise RecordRejected for a record that can never be written."""

    def flush(self) -> Iterable[RecordRejected]:
        """Durably commit every buffered record; return the rejections found while committing."""
        ...

    def close(self) -> None:
        """Release resources (called once, after the last flush, also on failure)."""
