"""The streams: raw Wingspan lists (named like Wingspan's schemas) and the standard ``workers`` and ``payables``.

Every stream reads one (or two) whole lists -- Wingspan's lists have no filters -- through the SDK's stream layer
(:class:`~source_wingspan.api.WingspanList`, an HttpStream) and, in incremental mode, emits only the records whose
content changed since the saved state, then the deletions (the vendor part: :mod:`.changes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from staffwire.errors import RecordRejected, Rejection
from staffwire.http.errors import NotFoundError
from staffwire.standard import standard_stream_schema
from staffwire.state import Checkpoint, to_iso
from staffwire.streams import Estimate, Stream, SyncMode

from source_wingspan.api import WingspanReader
from source_wingspan.changes import ChangeTracker
from source_wingspan.standard import deleted_record, engagement_ids, payable_record, worker_record

__all__ = ["PAGE", "RAW", "RawSpec", "RawStream", "StandardPayables", "Workers"]

Item = Mapping[str, Any] | list[dict[str, Any]] | Checkpoint | Estimate | RecordRejected
#: records per page (and per checkpoint) of an incremental read
PAGE = 500


def _now() -> str:
    return to_iso(datetime.now(timezone.utc), timespec="milliseconds")


def _string(kind: str = "string") -> dict[str, Any]:
    return {"type": [kind, "null"]}


@dataclass(frozen=True)
class RawSpec:
    """One raw stream: its name, Wingspan list path, id field and the fields its schema types (more may come)."""

    name: str
    path: str
    key: str
    properties: dict[str, Any] = field(default_factory=dict)

    def schema(self) -> dict[str, Any]:
        props = {
            self.key: {"type": "string"},
            "createdAt": _string(),
            "updatedAt": _string(),
            "labels": {"type": ["object", "null"]},
            **self.properties,
            "_deleted": {"type": ["boolean", "null"]},
            "_deleted_at": _string(),
        }
        return {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "additionalProperties": True,
            "properties": props,
        }


_OBJ = {"type": ["object", "null"]}
_ARR = {"type": ["array", "null"]}
_NUM = {"type": ["number", "null"]}
_BATCH = {"clientId": _string(), "status": _string(), "statistics": _OBJ}

RAW: tuple[RawSpec, ...] = (
    RawSpec(
        "Payee",
        "/payments/payee",
        "payeeId",
        {"payerId": _string(), "user": _OBJ, "payerOwnedData": _OBJ, "requirements": _ARR},
    ),
    RawSpec(
        "Collaborator",
        "/payments/collaborator",
        "collaboratorId",
        {
            "clientId": _string(),
            "memberId": _string(),
            "member": _OBJ,
            "status": _string(),
            "taxStatus": _string(),
            "clientData": _OBJ,
            "eligibilityRequirements": _ARR,
            "events": _OBJ,
        },
    ),
    RawSpec(
        "Payable",
        "/payments/payable",
        "payableId",
        {
            "clientId": _string(),
            "collaboratorId": _string(),
            "amount": _NUM,
            "currency": _string(),
            "dueDate": _string(),
            "status": _string(),
            "lineItems": _ARR,
            "client": _OBJ,
            "events": _OBJ,
        },
    ),
    RawSpec(
        "Invoice",
        "/payments/invoice",
        "invoiceId",
        {
            "memberClientId": _string(),
            "amount": _NUM,
            "currency": _string(),
            "dueDate": _string(),
            "status": _string(),
            "lineItems": _ARR,
            "events": _OBJ,
        },
    ),
    RawSpec("BulkCollaboratorBatch", "/payments/bulk/collaborator/batch", "bulkCollaboratorBatchId", _BATCH),
    RawSpec(
        "BulkPayableBatch",
        "/payments/bulk/payable/batch",
        "bulkPayableBatchId",
        {**_BATCH, "processingStrategy": _string()},
    ),
)


def _pages(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), PAGE):
        yield rows[start : start + PAGE]


class _ChangedList(Stream):
    """What every stream shares: one whole list read by the SDK (``list_path``), keyed records, only changes when
    incremental."""

    key: str = "id"
    list_path: str = ""

    def __init__(self, api: WingspanReader) -> None:
        self.api = api

    def rows(self) -> list[dict[str, Any]]:
        return self.api.list(self.list_path, stream=self.get_name())

    def identity(self, row: Mapping[str, Any]) -> str | None:
        value = row.get(self.key)
        return str(value) if value not in (None, "") else None

    def content(self, row: dict[str, Any]) -> Any:
        """What a change is judged on (default: the row as Wingspan answers it)."""
        return row

    def emit(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records to emit for these new or changed rows."""
        return rows

    def gone(self, remote_id: str, at: str) -> dict[str, Any]:
        raise NotImplementedError

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterable[Item]:
        name = self.get_name()
        rows = self.rows()
        incremental = sync_mode == "incremental"
        tracker = ChangeTracker(state if incremental else None)
        if not incremental:
            yield Estimate(rows=len(rows))
        for page in _pages(rows):
            changed: list[dict[str, Any]] = []
            for row in page:
                remote_id = self.identity(row)
                if remote_id is None:
                    yield RecordRejected(
                        [Rejection("identity", self.key, None, f"Wingspan sent a record without {self.key}")],
                        stream=name,
                    )
                elif tracker.changed(remote_id, self.content(row)):
                    changed.append(row)
            if changed:
                yield self.emit(changed)
                if incremental:  # a page without changes is not worth a checkpoint
                    yield Checkpoint(tracker.state())
        if incremental:
            at = _now()
            deleted = [self.gone(remote_id, at) for remote_id in tracker.gone()]
            if deleted:
                yield deleted
            yield Checkpoint(tracker.final_state())


class RawStream(_ChangedList):
    """One Wingspan list as Wingspan answers it; a record gone from the list comes once more as a marker with
    ``_deleted: true``. The Collaborator stream adds each changed collaborator's onboarding ``events``."""

    cursor_field = ["updatedAt"]

    def __init__(self, api: WingspanReader, spec: RawSpec, *, events: bool = False) -> None:
        super().__init__(api)
        self.spec = spec
        self.key = spec.key
        self.list_path = spec.path
        self.events = events

    def get_name(self) -> str:
        return self.spec.name

    def get_primary_key(self) -> list[list[str]]:
        return [[self.spec.key]]

    def get_json_schema(self) -> dict[str, Any]:
        return self.spec.schema()

    def emit(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not self.events:
            return rows
        found = collaborator_events(self.api, [str(r[self.key]) for r in rows], self.spec.name)
        return [{**row, "events": found.get(str(row[self.key]))} for row in rows]

    def gone(self, remote_id: str, at: str) -> dict[str, Any]:
        return {self.spec.key: remote_id, "updatedAt": at, "_deleted": True, "_deleted_at": at}


def collaborator_events(api: WingspanReader, ids: list[str], stream: str) -> dict[str, dict[str, Any] | None]:
    """``GET /payments/collaborator/{id}/events`` for each id, a few at a time (None for one deleted meanwhile)."""

    def one(collaborator_id: str) -> dict[str, Any] | None:
        try:
            body = api.get(f"/payments/collaborator/{collaborator_id}/events", stream=stream)
        except NotFoundError:
            return None
        return body if isinstance(body, dict) else None

    if not ids:
        return {}
    with ThreadPoolExecutor(max_workers=min(api.config.max_concurrency, len(ids))) as pool:
        return dict(zip(ids, pool.map(one, ids), strict=True))


class _Standard(_ChangedList):
    cursor_field = ["remote_updated_at"]
    primary_key = [["id"]]

    def get_json_schema(self) -> dict[str, Any]:
        return standard_stream_schema(self.name)

    def gone(self, remote_id: str, at: str) -> dict[str, Any]:
        return deleted_record(remote_id, at)


class Workers(_Standard):
    """Standard ``workers``: one per Wingspan payee. A ready worker's ``onboarded_at`` comes from its
    collaborator's onboarding events (read for changed ready payees only, when ``collaborator_events`` is on)."""

    name = "workers"
    key = "payeeId"
    list_path = "/payments/payee"

    def __init__(self, api: WingspanReader, *, events: bool = True) -> None:
        super().__init__(api)
        self.events = events

    def emit(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        records = [worker_record(row) for row in rows]
        if not self.events:
            return records
        ready = {
            ids[0]: i
            for i, (row, record) in enumerate(zip(rows, records, strict=True))
            if record["onboarding_status"] == "ready" and (ids := engagement_ids(row))
        }
        found = collaborator_events(self.api, list(ready), self.name)
        for engagement, index in ready.items():
            if found.get(engagement):
                records[index] = worker_record(rows[index], found[engagement])
        return records


class StandardPayables(_Standard):
    """Standard ``payables``: one per Wingspan payable; ``worker_id`` is the worker's candidate id when its payee
    links back to an ATS record, else the worker's own id (``wingspan:<payeeId>``). Changes are judged on the
    standard record, so a payee's new external id re-emits its payables."""

    name = "payables"
    key = "payableId"
    list_path = "/payments/payable"

    def __init__(self, api: WingspanReader) -> None:
        super().__init__(api)
        self._records: dict[str, dict[str, Any]] = {}

    def rows(self) -> list[dict[str, Any]]:
        workers: dict[str, str] = {}
        for payee in self.api.list("/payments/payee", stream=self.name):
            worker = worker_record(payee)
            for engagement in engagement_ids(payee):
                workers[engagement] = worker["candidate_id"] or worker["id"]
        self._records = {}
        rows = super().rows()
        for row in rows:
            remote_id = self.identity(row)
            if remote_id is not None:
                self._records[remote_id] = payable_record(row, workers)
        return rows

    def content(self, row: dict[str, Any]) -> Any:
        return self._records[str(row[self.key])]

    def emit(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self._records[str(row[self.key])] for row in rows]
