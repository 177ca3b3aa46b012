"""Raw module streams (named like the Zoho modules) and the standard streams built on the same reads.

Both read a module oldest change first with ``If-Modified-Since`` on ``Modified_Time`` and, in incremental
mode, the deleted-records API after the live records. State keeps two cursors, one per API, so a deletion never
moves the live cursor past changes not yet read::

    raw:      {"Modified_Time": "2024-06-01T10:00:00+05:30", "deleted_time": "2024-06-01T09:00:00+05:30"}
    standard: {"remote_updated_at": "2024-06-01T04:30:00Z", "remote_deleted_at": "2024-06-01T03:30:00Z"}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from staffwire.errors import RecordRejected
from staffwire.mapping.timeparse import parse_instant
from staffwire.standard import standard_stream_schema
from staffwire.streams import Checkpoint, Stream, SyncMode

from source_zoho.api import ZohoApi
from source_zoho.schema import module_schema
from source_zoho.standard import StandardMapper, StandardSpec

__all__ = ["ModuleStream", "StandardStream", "parse_time"]

# what read() yields; Stream.read is annotated without RecordRejected, which the read contract allows
Item = Any


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from a Zoho time (``+05:30``, ``+00:00``, ``Z``); None when absent or unreadable."""
    if value in (None, ""):
        return None
    try:
        return parse_instant(value)
    except ValueError:
        return None


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


class _ModuleReader:
    """What both kinds of stream share: the two cursors and the reads behind them."""

    def __init__(self, api: ZohoApi, module: str, start: datetime | None) -> None:
        self.api = api
        self.module = module
        self.start = start

    def field_names(self) -> list[str] | None:
        if self.api.product != "crm":
            return None  # Recruit returns every field when none are named
        fields = self.api.fields(self.module) or []
        return [str(f["api_name"]) for f in fields if f.get("api_name")]

    def live(
        self, since: datetime | None, stream: str
    ) -> Iterator[tuple[list[dict[str, Any]], datetime | None]]:
        """Pages with the newest ``Modified_Time`` seen so far."""
        newest = since
        for page in self.api.records(
            self.module, since=_later(since, self.start), field_names=self.field_names(), stream=stream
        ):
            for rec in page:
                newest = _later(newest, parse_time(rec.get("Modified_Time")))
            yield page, newest

    def deleted(
        self, since: datetime | None, stream: str
    ) -> Iterator[tuple[list[dict[str, Any]], datetime | None]]:
        newest = since
        for page in self.api.deleted(self.module, since=_later(since, self.start), stream=stream):
            for rec in page:
                newest = _later(newest, parse_time(rec.get("deleted_time")))
            yield page, newest


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
        incremental = sync_mode == "incremental"
        state = dict(state or {}) if incremental else {}
        live_since = parse_time(state.get("Modified_Time"))
        deleted_since = parse_time(state.get("deleted_time"))
        cursor = {"Modified_Time": state.get("Modified_Time"), "deleted_time": state.get("deleted_time")}
        newest_raw: tuple[datetime, str] | None = None
        for page, _newest in self.reader.live(live_since, self.get_name()):
            yield page
            for rec in page:
                moment = parse_time(rec.get("Modified_Time"))
                if moment is not None and (newest_raw is None or moment > newest_raw[0]):
                    newest_raw = (moment, str(rec["Modified_Time"]))
            if incremental and newest_raw is not None:
                cursor["Modified_Time"] = newest_raw[1]
                yield Checkpoint(_compact(cursor))
        if not incremental:
            return
        newest_deleted: tuple[datetime, str] | None = None
        for page, _newest in self.reader.deleted(deleted_since, self.get_name()):
            yield [deletion_marker(d) for d in page]
            for d in page:
                moment = parse_time(d.get("deleted_time"))
                if moment is not None and (newest_deleted is None or moment > newest_deleted[0]):
                    newest_deleted = (moment, str(d["deleted_time"]))
            if newest_deleted is not None:
                cursor["deleted_time"] = newest_deleted[1]
                yield Checkpoint(_compact(cursor))
        yield Checkpoint(_compact(cursor))


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


def _compact(state: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if v is not None}


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

    def get_name(self) -> str:
        return self.spec.stream

    def has_metadata(self) -> bool:
        return self.api.fields(self.spec.module) is not None

    def get_json_schema(self) -> dict[str, Any]:
        return standard_stream_schema(self.spec.stream)

    def compiled(self) -> StandardMapper:
        if self._compiled is None:
            custom = [
                str(f["api_name"]) for f in self.api.fields(self.spec.module) or [] if f.get("custom_field")
            ]
            self._compiled = StandardMapper(
                self.spec, self.api.product, custom_fields=custom, status_overrides=self.status_maps
            )
        return self._compiled

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterable[Item]:
        mapper = self.compiled()
        incremental = sync_mode == "incremental"
        state = dict(state or {}) if incremental else {}
        cursor = {
            "remote_updated_at": state.get("remote_updated_at"),
            "remote_deleted_at": state.get("remote_deleted_at"),
        }
        name = self.spec.stream
        for page, newest in self.reader.live(parse_time(cursor["remote_updated_at"]), name):
            mapped: list[dict[str, Any]] = []
            for rec in page:
                out = mapper.map(rec)
                if isinstance(out, RecordRejected):
                    if mapped:
                        yield mapped
                        mapped = []
                    yield out
                else:
                    mapped.append(out)
            if mapped:
                yield mapped
            if incremental and newest is not None:
                cursor["remote_updated_at"] = _z(newest)
                yield Checkpoint(_compact(cursor))
        if not incremental:
            return
        for page, newest in self.reader.deleted(parse_time(cursor["remote_deleted_at"]), name):
            yield [mapper.deletion(d) for d in page]
            if newest is not None:
                cursor["remote_deleted_at"] = _z(newest)
                yield Checkpoint(_compact(cursor))
        yield Checkpoint(_compact(cursor))


def _z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
