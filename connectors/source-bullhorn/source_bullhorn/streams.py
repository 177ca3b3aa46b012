"""Bullhorn streams: a raw stream per entity (named exactly like it) and the standard staffing streams.

Both are :class:`~staffwire.http.HttpStream` s reading with the SDK's keyset paging and key-range partitioning
(:meth:`~staffwire.http.HttpStream.read_keyset`); the Bullhorn half -- where clauses, probes, page parsing -- is
:class:`~source_bullhorn.reader.EntityQuery`. State (per stream)::

    {"<cursor>": 1718000000000}                                   after a completed window (epoch ms)
    {"<cursor>": ..., "window": {"from": a, "to": b, "after_id": n}} inside a window: resume after id n
    {..., "cdc": {"subscription": "staffwire-Candidate", "acked": 41}}  change-data-capture mode

Each read of rows reports Bullhorn's ``total`` for it (the first answer's; for parallel id ranges the probe that
spans them all) as one :class:`~staffwire.streams.Estimate`, before its first page; event (CDC) reads report none.
Incremental reads start ``lookback_seconds`` before the saved cursor. In change-data-capture mode the first read
creates (or reuses) the stream's event subscription *before* reading, later reads fetch the changed rows by id
from the events; a batch whose request id is newer than the acknowledged one (a crash after the events were
fetched) is replayed by ``requestId`` first; hard deletes become tombstones (``isDeleted: true``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import requests
from staffwire.errors import RecordRejected
from staffwire.http import HttpStream
from staffwire.http.partition import KeyRangePartitioner
from staffwire.paginate import PageRequest
from staffwire.standard import standard_stream_schema
from staffwire.state import Checkpoint, InvalidStateError
from staffwire.streams import Estimate, Record, SyncMode

from source_bullhorn.api import BullhornApi, ListPage, list_body
from source_bullhorn.config import BullhornConfig
from source_bullhorn.meta import EntityInfo
from source_bullhorn.reader import EntityQuery
from source_bullhorn.reference_data import SEARCHABLE

if TYPE_CHECKING:
    from staffwire.mapping import CompiledMapping  # the engine loads only when a standard stream is built

__all__ = ["BullhornStream", "RawStream", "StandardStream"]

Row = dict[str, Any]
Item = Row | list[Row] | Record | Checkpoint | Estimate | RecordRejected
ENTITY_IDS_PER_CALL = 100


class BullhornStream(HttpStream):
    """Shared read logic; subclasses set the name, schema and what a page becomes (:meth:`emit_page`)."""

    keyset_total_path = "total"
    keyset_count_path = "count"

    def __init__(
        self,
        api: BullhornApi,
        config: BullhornConfig,
        info: EntityInfo,
        *,
        name: str,
        fields: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(api.client)
        self.api = api
        self.config = config
        self.info = info
        self._name = name
        self.entity_cursor = info.cursor
        self.query = EntityQuery(
            entity=info.name,
            searchable=info.name in SEARCHABLE,
            fields=fields or info.field_list,
            cursor=info.cursor,
            deleted_flag=info.has_deleted_flag,
            page_size=config.page_size,
        )
        self.partitioner = KeyRangePartitioner(workers=config.max_concurrency, page_size=config.page_size)
        self.clock = clock
        self._conditions: list[str] = []

    def get_name(self) -> str:
        return self._name

    # ------------------------------------------------------------------------------------------ to override
    def emit_page(self, rows: list[Row]) -> Iterator[Item]:
        """What one page of rows becomes: here the page itself, as Bullhorn sent it."""
        yield rows

    # -------------------------------------------------------------------------------------- HttpStream hooks
    def keyset_request(self, request: PageRequest, after: Any, upto: Any) -> None:
        self.query.narrow(request, self._conditions, after, upto)

    def keyset_probe(self, request: PageRequest, *, descending: bool) -> None:
        self.query.probe(request, descending=descending)

    def validate_response(self, response: requests.Response, body: Any) -> None:
        list_body(body, self.query.path, self._name)

    def parse_page(self, body: Any, response: requests.Response) -> list[Row]:
        return ListPage(body).data

    def _rows(self, lo: int | None, hi: int | None, after: int = 0) -> Iterator[list[Row] | Estimate]:
        """Every row with cursor in ``[lo, hi)`` (None: open) and id > ``after``, as pages in id order, after the
        read's estimate (when Bullhorn tells the total)."""
        self._conditions = self.query.conditions(lo, hi)
        for item in self.read_keyset(self.query.request(), after=after, partitioner=self.partitioner):
            yield item if isinstance(item, Estimate) else item[0]

    def tombstone(self, entity_id: int, at_ms: int) -> Row:
        return {
            "id": entity_id,
            "isDeleted": True,
            **({self.entity_cursor: at_ms} if self.entity_cursor else {}),
        }

    # ----------------------------------------------------------------------------------------------- read
    @property
    def cdc_enabled(self) -> bool:
        cdc = self.config.change_data_capture
        return cdc.enabled and self.info.name in cdc.entities

    @property
    def subscription(self) -> str:
        return f"{self.config.change_data_capture.subscription_prefix}-{self._name}"

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterable[Item]:
        cursor = self.entity_cursor
        start = self.config.start_ms()
        if sync_mode != "incremental" or cursor is None:
            for rows in self._rows(start if cursor else None, None):
                if isinstance(rows, Estimate):
                    yield rows
                else:
                    yield from self.emit_page(rows)
            return
        saved = dict(state or {})
        cdc_state = saved.get("cdc") if isinstance(saved.get("cdc"), dict) else None
        subscribed = bool(
            self.cdc_enabled and cdc_state and cdc_state.get("subscription") == self.subscription
        )
        if subscribed and not saved.get("window"):
            yield from self._read_events(saved, cdc_state or {})
            return
        if self.cdc_enabled and not subscribed:
            # subscribe before the first read, so no change falls between the read and the first events
            self.api.subscribe(self.subscription, [self.info.name])
            cdc_state = {"subscription": self.subscription, "acked": 0}
        elif not self.cdc_enabled:
            cdc_state = None
        # a window interrupted mid-read (even in CDC mode) is finished first: its unchanged rows have no events
        yield from self._read_window(saved, cdc_state)

    def _read_window(self, saved: dict[str, Any], cdc_state: dict[str, Any] | None) -> Iterator[Item]:
        cursor = self.entity_cursor
        assert cursor is not None
        window = _saved_window(saved)
        previous = _saved_ms(saved.get(cursor), cursor)
        if window:
            lo, hi, after = window
        else:
            start = self.config.start_ms()
            lo = previous - self.config.lookback_seconds * 1000 if previous is not None else start
            if start is not None and lo is not None:
                lo = max(lo, start)
            hi = int(self.clock()) * 1000  # whole seconds: Lucene dates have no milliseconds
            after = 0
        if lo is not None:
            lo = lo - lo % 1000
        base: dict[str, Any] = {cursor: previous} if previous is not None else {}
        if cdc_state is not None:
            base["cdc"] = cdc_state
        for rows in self._rows(lo, hi, after):
            if isinstance(rows, Estimate):
                yield rows
                continue
            yield from self.emit_page(rows)
            yield Checkpoint({**base, "window": {"from": lo, "to": hi, "after_id": rows[-1]["id"]}})
        yield Checkpoint({**base, cursor: hi})

    # ------------------------------------------------------------------------------------------------ CDC
    def _read_events(self, saved: dict[str, Any], cdc_state: dict[str, Any]) -> Iterator[Item]:
        cdc = self.config.change_data_capture
        acked = _saved_ms(cdc_state.get("acked"), "cdc.acked") or 0
        cursor = self.entity_cursor
        assert cursor is not None
        high = _saved_ms(saved.get(cursor), cursor)
        replay: int | None = None
        last = self.api.last_request_id(self.subscription, stream=self._name)
        if last is not None and last > acked:
            replay = last  # fetched before a crash and never acknowledged: ask for it again
        while True:
            request_id, events, exists = self.api.events(
                self.subscription, max_events=cdc.max_events, request_id=replay, stream=self._name
            )
            replay = None
            if (
                not exists
            ):  # the subscription expired or was removed: fall back to the cursor, subscribe again
                self.api.subscribe(self.subscription, [self.info.name])
                fresh = {"subscription": self.subscription, "acked": 0}
                yield from self._read_window({cursor: high} if high is not None else {}, fresh)
                return
            if not events:
                break
            yield from self._apply_events(events)
            stamps = [int(e["eventTimestamp"]) for e in events if isinstance(e.get("eventTimestamp"), int)]
            if stamps:
                high = max([high or 0, *stamps])
            acked = request_id if request_id is not None else acked
            yield Checkpoint({cursor: high, "cdc": {"subscription": self.subscription, "acked": acked}})
        yield Checkpoint({cursor: high, "cdc": {"subscription": self.subscription, "acked": acked}})

    def _apply_events(self, events: list[dict[str, Any]]) -> Iterator[Item]:
        latest: dict[int, tuple[str, int]] = {}
        for event in events:
            if event.get("entityName") != self.info.name or not isinstance(event.get("entityId"), int):
                continue
            latest[event["entityId"]] = (
                str(event.get("entityEventType")),
                int(event.get("eventTimestamp") or 0),
            )
        changed = sorted(i for i, (kind, _) in latest.items() if kind != "DELETED")
        found: set[int] = set()
        for offset in range(0, len(changed), ENTITY_IDS_PER_CALL):
            ids = changed[offset : offset + ENTITY_IDS_PER_CALL]
            rows = self.api.entities(self.info.name, ids, self.query.fields, stream=self._name)
            rows.sort(key=lambda r: r.get("id") or 0)
            found.update(int(r["id"]) for r in rows)
            if rows:
                yield from self.emit_page(rows)
        gone = sorted(i for i, (kind, _) in latest.items() if kind == "DELETED" or i not in found)
        if gone:
            yield from self.emit_page([self.tombstone(i, latest[i][1]) for i in gone])


class RawStream(BullhornStream):
    """A faithful mirror of one entity: the rows as Bullhorn sends them."""

    def __init__(self, api: BullhornApi, config: BullhornConfig, info: EntityInfo) -> None:
        super().__init__(api, config, info, name=info.name)
        self.primary_key = [["id"]]  # type: ignore[misc]
        self.cursor_field = [info.cursor] if info.cursor else None  # type: ignore[misc]

    def get_json_schema(self) -> dict[str, Any]:
        return self.info.schema

    def get_cursor_field(self) -> list[str] | None:
        return [self.info.cursor] if self.info.cursor else None


class StandardStream(BullhornStream):
    """A standard staffing stream (``candidates``, ``jobs``...): one Bullhorn entity mapped row by row."""

    cursor_field = ["remote_updated_at"]

    def __init__(self, *args: Any, mapping: CompiledMapping, **kwargs: Any) -> None:
        """:class:`BullhornStream`'s arguments (``name`` and ``fields`` given), and the mapping that turns each page
        of rows into standard records."""
        super().__init__(*args, **kwargs)
        self.mapping = mapping

    def get_json_schema(self) -> dict[str, Any]:
        return standard_stream_schema(self._name)

    def get_cursor_field(self) -> list[str] | None:
        return ["remote_updated_at"] if self.info.cursor else None

    def emit_page(self, rows: list[Row]) -> Iterator[Item]:
        """The page's standard records, as pages split around the rows the mapping rejected."""
        yield from self.mapping.map_pages(rows)


_MS = "epoch milliseconds (an integer)"


def _saved_ms(value: Any, key: str) -> int | None:
    """An integer read back from a saved state (None when absent); anything else is an InvalidStateError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidStateError(key, value, _MS if key != "cdc.acked" else "an integer request id")
    return value


def _saved_window(saved: Mapping[str, Any]) -> tuple[int | None, int, int] | None:
    """The interrupted window ``(from, to, after_id)`` of a saved state, checked; None when there is none."""
    window = saved.get("window")
    if window is None:
        return None
    if not isinstance(window, dict):
        raise InvalidStateError("window", window, 'an object {"from", "to", "after_id"}')
    hi = _saved_ms(window.get("to"), "window.to")
    if hi is None:
        raise InvalidStateError("window.to", None, _MS)
    return (
        _saved_ms(window.get("from"), "window.from"),
        hi,
        _saved_ms(window.get("after_id"), "window.after_id") or 0,
    )
