"""Raw module streams (named like the Zoho modules) and the standard streams built on the same reads.

Both read a module oldest change first with ``If-Modified-Since`` on ``Modified_Time`` and, in incremental
mode, the deleted-records API after the live records. The pages come from :mod:`source_zoho.reads` (the SDK's
HttpStream and paginators, driven in full refresh); the cursors are kept here, because one state holds two of
them, one per API, so a deletion never moves the live cursor past changes not yet read (same shape for raw and
standard streams)::

    {"Modified_Time": "2024-06-01T04:30:00Z", "seen": {"4868...": "2024-06-01T04:30:00Z"},
     "deleted": {"deleted_time": "2024-06-01T03:30:00Z", "seen": {...}}}
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from staffwire.errors import ConfigError, RecordRejected
from staffwire.standard import standard_stream_schema
from staffwire.state import Checkpoint, CursorTracker
from staffwire.streams import Record, Stream, SyncMode

from source_zoho.api import ZohoApi
from source_zoho.fields import resolve
from source_zoho.reads import ZohoDeleted, ZohoRecords
from source_zoho.schema import module_schema
from source_zoho.standard import StandardMapper, StandardSpec

__all__ = ["ModuleStream", "StandardStream"]

logger = logging.getLogger("source_zoho")

Item = Mapping[str, Any] | list[dict[str, Any]] | Record | Checkpoint | RecordRejected  # what read() yields


LOOKBACK = timedelta(seconds=1)
"""Zoho times have second precision and ``If-Modified-Since`` may or may not include the moment itself: every
incremental read starts one second before the saved cursor and drops what it already emitted (CursorTracker
keeps those ids in the state), so a change made in the same second as the last read is never lost."""


@dataclass
class Batch:
    """A page of records of one kind (``live`` or ``deleted``), already de-duplicated, and the state after it."""

    kind: str
    rows: list[dict[str, Any]]
    state: dict[str, Any] | None


class _ModuleReader:
    """What both kinds of stream share: the reads of one module and the two cursors behind them.

    State: ``{"Modified_Time": <UTC>, "seen": {id: time}, "deleted": {"deleted_time": <UTC>, "seen": {...}}}``.
    """

    def __init__(self, api: ZohoApi, module: str, start: datetime | None) -> None:
        self.api = api
        self.module = module
        self.start = start

    def field_names(self, stream: str) -> list[str] | None:
        if self.api.product != "crm":
            return None  # Recruit returns every field when none are named
        fields = self.api.fields(self.module)
        if fields is None:
            raise ConfigError(
                f"Stream {stream}: {self.api.system} gives no field metadata for module {self.module} (see the "
                "warning above), and CRM reads must name every field they want. Grant the refresh token "
                "ZohoCRM.settings.all and the user access to the module, or deselect the stream.",
                stream=stream,
                request=f"GET {self.api.prefix}/settings/fields?module={self.module}",
            )
        return [str(f["api_name"]) for f in fields if f.get("api_name")]

    def batches(self, incremental: bool, state: Mapping[str, Any] | None, stream: str) -> Iterator[Batch]:
        """Live records oldest change first, then (incremental only) the deletions."""
        if not incremental:
            records = ZohoRecords(self.api, self.module, stream, self.start, self.field_names(stream))
            for page in records.pages():
                yield Batch("live", page, None)
            return
        state = state or {}
        live = CursorTracker("Modified_Time", state=state, lookback=LOOKBACK, start=self.start)
        gone = CursorTracker(
            "deleted_time",
            state=state.get("deleted") or {},
            lookback=LOOKBACK,
            start=self.start,
            state_path="deleted.",
        )

        def snapshot() -> dict[str, Any]:
            out = live.state()
            deleted = gone.state()
            if deleted:
                out["deleted"] = deleted
            return out

        records = ZohoRecords(self.api, self.module, stream, live.query_from, self.field_names(stream))
        for page in records.pages():
            rows = live.filter(page)
            if rows:  # a page of records re-read by the lookback only is not worth a checkpoint
                yield Batch("live", rows, snapshot())
        for page in ZohoDeleted(self.api, self.module, stream, gone.query_from).pages():
            rows = gone.filter(page)
            if rows:
                yield Batch("deleted", rows, snapshot())
        yield Batch("live", [], snapshot())


class ModuleStream(Stream):
    """One Zoho module, records as Zoho returns them; deletions as records with ``_deleted: true``."""

    primary_key = [["id"]]
    cursor_field = ["Modified_Time"]

    def __init__(self, api: ZohoApi, module: str, start: datetime | None = None, prefix: str = "") -> None:
        self.module = module
        self.prefix = prefix
        self.api = api
        self.reader = _ModuleReader(api, module, start)

    def get_name(self) -> str:
        return self.prefix + self.module

    def has_metadata(self) -> bool:
        return self.api.fields(self.module) is not None

    def get_json_schema(self) -> dict[str, Any]:
        return module_schema(self.api.fields(self.module) or [])

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterable[Item]:
        for batch in self.reader.batches(sync_mode == "incremental", state, self.get_name()):
            if batch.rows:
                yield batch.rows if batch.kind == "live" else [deletion_marker(d) for d in batch.rows]
            if batch.state is not None:
                yield Checkpoint(batch.state)


def deletion_marker(deleted: Mapping[str, Any]) -> dict[str, Any]:
    """The raw record that marks a deletion: the id, the deletion time as ``Modified_Time`` (so it is the newest
    version of the record for a destination that de-duplicates by cursor) and ``_deleted: true``."""
    return {
        "id": str(deleted.get("id")),
        "Modified_Time": deleted.get("deleted_time"),
        "_deleted": True,
        "_deleted_at": deleted.get("deleted_time"),
        "_deletion_type": deleted.get("type"),
        "_deleted_by": deleted.get("deleted_by"),
    }


class StandardStream(Stream):
    """A standard staffing stream (``candidates``, ``jobs`` ...) mapped from one Zoho module."""

    primary_key = [["id"]]
    cursor_field = ["remote_updated_at"]

    def __init__(
        self,
        api: ZohoApi,
        spec: StandardSpec,
        start: datetime | None = None,
        status_maps: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.api = api
        self.spec = spec
        self.reader = _ModuleReader(api, spec.module, start)
        self.status_maps = status_maps
        self._compiled: StandardMapper | None = None
        self._resolved: dict[str, Any] | None = None

    def get_name(self) -> str:
        return self.spec.stream

    def has_metadata(self) -> bool:
        return self.api.fields(self.spec.module) is not None

    def get_json_schema(self) -> dict[str, Any]:
        return standard_stream_schema(self.spec.stream)

    def resolved_fields(self) -> dict[str, Any]:
        """The standard fields found in this tenant's field metadata (once; each one it cannot find is
        reported once as a warning and stays null)."""
        if self._resolved is None:
            self._resolved = resolve(
                self.spec.stream,
                self.spec.module,
                self.spec.fields,
                self.api.fields(self.spec.module) or [],
                report=logger.warning,
            )
        return self._resolved

    def compiled(self) -> StandardMapper:
        if self._compiled is None:
            custom = [
                str(f["api_name"]) for f in self.api.fields(self.spec.module) or [] if f.get("custom_field")
            ]
            self._compiled = StandardMapper(
                self.spec,
                self.api.product,
                custom_fields=custom,
                fields=self.resolved_fields(),
                status_overrides=self.status_maps,
            )
        return self._compiled

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterable[Item]:
        mapper = self.compiled()
        for batch in self.reader.batches(sync_mode == "incremental", state, self.spec.stream):
            mapping = mapper.deleted if batch.kind == "deleted" else mapper.live
            yield from mapping.map_pages(batch.rows)
            if batch.state is not None:
                yield Checkpoint(batch.state)
