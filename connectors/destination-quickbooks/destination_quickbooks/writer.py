"""The Writer: input records -> QuickBooks payloads, buffered, committed object by object, exactly once.

``write`` maps each record through every object read from its stream (a placement becomes a Job and an Item)
and buffers the payload by key (the last record of a key in a commit wins). ``candidates`` and ``jobs`` records
also teach the writer names: a placement's job is named after its worker and job title when the same sync
carried them (otherwise after their ids, and an existing job keeps its name).

A commit goes through the objects in dependency order (Customer, Job, Item, Vendor, Bill), and for each:

1. finds the entities again by key (:class:`~.directory.Directory`) and resolves references (a job's client
   Customer, a bill's worker Vendor; a missing one rejects the record, saying which stream to sync first);
2. compares before writing: an unchanged entity is not written, a changed one gets a sparse update of only the
   changed fields (with its SyncToken), a new one is created;
3. sends the writes through /batch (30 per request, several requests in parallel within the rate limits) or one
   by one, every request with a ``requestid`` derived from what it writes, so a retried or resent request never
   performs twice;
4. handles what QuickBooks refuses: 6240 Duplicate Name (see :meth:`QuickBooksWriter._collision`), 5010 Stale
   Object (re-read, reapply, resend), anything else becomes the record's rejection naming the field.

A killed run leaves at most entities that the rerun finds again by key, so nothing is ever created twice.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from staffwire.errors import InternalError, RecordRejected

from destination_quickbooks.api import QuickBooksApi, request_id
from destination_quickbooks.company import CompanySettings
from destination_quickbooks.config import QuickBooksConfig
from destination_quickbooks.directory import Directory
from destination_quickbooks.faults import DUPLICATE_NAME, STALE_OBJECT, Fault, parse_fault, rejection
from destination_quickbooks.mapping import CompiledObject
from destination_quickbooks.objects import KEY_PREFIX, OBJECTS, QuickBooksObject, marker_of, object_named
from destination_quickbooks.outcomes import RecordOutcomes
from destination_quickbooks.payloads import Payload, build, changes, disambiguated

__all__ = ["QuickBooksWriter"]

_log = logging.getLogger("destination_quickbooks.writer")
_STALE_ATTEMPTS = 3


@dataclass
class _Write:
    payload: Payload
    op: str  # create | update
    body: dict[str, Any]


class QuickBooksWriter:
    def __init__(
        self,
        config: QuickBooksConfig,
        api: QuickBooksApi,
        objects: list[CompiledObject],
        settings: CompanySettings,
    ) -> None:
        self.config = config
        self.api = api
        self.settings = settings
        self.directory = Directory(api)
        self.by_stream: dict[str, list[CompiledObject]] = {}
        for compiled in objects:
            self.by_stream.setdefault(compiled.stream, []).append(compiled)
        self.pending: dict[str, dict[str, Payload]] = {o.name: {} for o in OBJECTS}
        self.counts: dict[str, Counter[str]] = {o.name: Counter() for o in OBJECTS}
        self.records = RecordOutcomes()
        #: per stream and record: created, updated, unchanged, ignored (reported in every echoed state)
        self.outcomes = self.records.outcomes
        self.worker_names: dict[str, str] = {}
        self.job_titles: dict[str, str] = {}
        self._rejections: list[RecordRejected] = []
        self._ignored: set[str] = set()
        self._pool = ThreadPoolExecutor(max_workers=config.max_concurrency, thread_name_prefix="qbo-write")
        self._lock = threading.Lock()

    # ------------------------------------------------------------------------------------------ Writer
    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        self._learn(stream, record)
        ticket = self.records.start(stream)
        plans = self.by_stream.get(stream)
        if not plans:
            self.records.mapped(ticket)  # ignored: it only teaches names, or no object reads the stream
            if stream not in self._ignored and stream not in ("candidates", "jobs"):
                self._ignored.add(stream)
                _log.info(
                    "destination-quickbooks writes nothing from stream '%s' (no object reads it)", stream
                )
            return
        record_id = _text(record.get("id")) or "(no id)"
        view, complete = self._enriched(record)
        deleted = bool(record.get("remote_deleted_at"))
        try:
            for plan in plans:
                mapped = plan.map(view, record_id)
                if mapped is None:
                    continue
                payload = build(
                    plan.obj, stream, record_id, mapped, self.settings, deleted=deleted, rename=complete
                )
                earlier = self.pending[plan.obj.name].get(payload.key)
                payload.records = [*(earlier.records if earlier else ()), ticket]
                self.records.carried(ticket)
                self.pending[plan.obj.name][payload.key] = payload
        except RecordRejected:
            self.records.rejected(ticket)
            raise
        self.records.mapped(ticket)
        if sum(len(p) for p in self.pending.values()) >= self.config.commit_size:
            self._rejections += self._commit()

    def flush(self) -> list[RecordRejected]:
        rejections = self._rejections + self._commit()
        self._rejections = []
        return _merge(rejections)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.api.close()
        summary = "; ".join(
            f"{name}: " + ", ".join(f"{n} {what}" for what, n in sorted(c.items()))
            for name, c in self.counts.items()
            if c
        )
        _log.info("QuickBooks company %s: %s", self.settings.name, summary or "nothing written")

    # ------------------------------------------------------------------------------------------ records
    def _learn(self, stream: str, record: Mapping[str, Any]) -> None:
        record_id = _text(record.get("id"))
        if not record_id:
            return
        if stream == "candidates":
            name = " ".join(p for p in (_text(record.get("first_name")), _text(record.get("last_name"))) if p)
            if name:
                self.worker_names[record_id] = name
        elif stream == "jobs":
            title = _text(record.get("title"))
            if title:
                self.job_titles[record_id] = title

    def _enriched(self, record: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
        """The record with ``worker_name`` and ``job_title`` (from this sync's candidates and jobs, else the ids),
        and whether no id stood in for a name (a client or a worker names itself: its names are always known)."""
        view = dict(record)
        candidate, job = _text(record.get("candidate_id")), _text(record.get("job_id"))
        name = self.worker_names.get(candidate or "")
        title = self.job_titles.get(job or "")
        view.setdefault("worker_name", name or candidate)
        view.setdefault("job_title", title or job)
        return view, bool(name or not candidate) and bool(title or not job)

    # ------------------------------------------------------------------------------------------ commit
    def _commit(self) -> list[RecordRejected]:
        rejections: list[RecordRejected] = []
        for obj in OBJECTS:
            batch, self.pending[obj.name] = self.pending[obj.name], {}
            if batch:
                rejections += self._commit_object(obj, list(batch.values()))
        return rejections

    def _commit_object(self, obj: QuickBooksObject, payloads: list[Payload]) -> list[RecordRejected]:
        rejections: list[RecordRejected] = []
        self.directory.prepare(obj, [str(p.body.get("DocNumber") or "") for p in payloads])
        for parent in obj.depends_on:
            self.directory.prepare(object_named(parent))
        writes: list[_Write] = []
        for payload in payloads:
            try:
                self._resolve(payload)
            except RecordRejected as rejected:
                rejections.append(rejected)
                self._count(payload, "rejected")
                continue
            write = self._plan(payload, self.directory.find(obj, payload.key))
            if write is None:
                self._count(payload, "unchanged")
            else:
                writes.append(write)
        later: list[tuple[_Write, Fault]] = []
        for write, entity, fault in self._send(obj, writes):
            if entity is not None:
                self._done(write, entity)
            elif fault is not None and fault.code in (DUPLICATE_NAME, STALE_OBJECT):
                later.append((write, fault))
            else:
                rejections.append(self._refused(write, fault))
        for write, fault in later:  # one at a time: each may need lookups and another write
            try:
                if fault.code == DUPLICATE_NAME and write.op == "create":
                    self._collision(write)
                elif fault.code == STALE_OBJECT:
                    self._stale(write.payload)
                else:
                    rejections.append(self._refused(write, fault))
            except RecordRejected as rejected:
                rejections.append(rejected)
                self._count(write.payload, "rejected")
        return rejections

    def _resolve(self, payload: Payload) -> None:
        """Turn the payload's reference key into a QuickBooks reference, or reject saying what is missing."""
        if payload.ref_key is None:
            return
        if payload.obj.name == "Job":
            parent = self.directory.find(object_named("Customer"), payload.ref_key)
            if parent is None:
                raise payload.reject(
                    "quickbooks.missing_parent",
                    "client_id",
                    payload.ref_key,
                    f"the placement's client {payload.ref_key} was never written to QuickBooks (no Customer "
                    "carries its key): sync the clients stream before placements, or check the client's "
                    "mapping (mappings.Customer)",
                )
            payload.body["ParentRef"] = {"value": str(parent["Id"])}
        elif payload.obj.name == "Bill":
            vendor = self.directory.find(object_named("Vendor"), payload.ref_key)
            if vendor is None:
                raise payload.reject(
                    "quickbooks.missing_vendor",
                    "worker_id",
                    payload.ref_key,
                    f"the payable's worker {payload.ref_key} has no Vendor in QuickBooks: write the worker first "
                    "(a contractor from the candidates stream, see mappings.Vendor.when)",
                )
            payload.body["VendorRef"] = {"value": str(vendor["Id"])}

    def _plan(self, payload: Payload, existing: dict[str, Any] | None) -> _Write | None:
        if payload.deleted:  # a deleted record makes its name-list entity inactive; bills are left alone
            if existing is None or payload.obj.entity == "Bill" or existing.get("Active") is False:
                return None
            return _Write(payload, "update", _update_body(existing, {"Active": False}))
        if existing is None:
            return _Write(payload, "create", dict(payload.body))
        diff = changes(payload, existing)
        if not diff:
            return None
        return _Write(payload, "update", _update_body(existing, diff))

    def _send(
        self, obj: QuickBooksObject, writes: list[_Write]
    ) -> list[tuple[_Write, dict[str, Any] | None, Fault | None]]:
        if not writes:
            return []
        if self.config.use_batch and len(writes) > 1:
            size = self.config.batch_size
            chunks = [writes[i : i + size] for i in range(0, len(writes), size)]
            results: list[tuple[_Write, dict[str, Any] | None, Fault | None]] = []
            for answers in self._pool.map(lambda chunk: self._batch(obj, chunk), chunks):
                results += answers
            return results
        return list(self._pool.map(lambda write: self._single(obj, write), writes))

    def _single(
        self, obj: QuickBooksObject, write: _Write
    ) -> tuple[_Write, dict[str, Any] | None, Fault | None]:
        entity, fault = self.api.write(obj.entity, write.body, request_id(obj.entity, write.op, write.body))
        return write, entity, fault

    def _batch(
        self, obj: QuickBooksObject, chunk: list[_Write]
    ) -> list[tuple[_Write, dict[str, Any] | None, Fault | None]]:
        items = [{"bId": str(i), "operation": w.op, obj.entity: w.body} for i, w in enumerate(chunk)]
        answers = {
            str(a.get("bId")): a for a in self.api.batch(items, request_id("batch", obj.entity, items))
        }
        out: list[tuple[_Write, dict[str, Any] | None, Fault | None]] = []
        for i, write in enumerate(chunk):
            answer = answers.get(str(i))
            if answer is None:
                raise InternalError(
                    f"QuickBooks answered a batch without item {i} ({obj.name} {write.payload.key})"
                )
            entity = answer.get(obj.entity)
            out.append((write, entity if isinstance(entity, dict) else None, parse_fault(answer)))
        return out

    def _done(self, write: _Write, entity: dict[str, Any]) -> None:
        self.directory.remember(write.payload.obj, entity)
        what = "deactivated" if write.payload.deleted else ("created" if write.op == "create" else "updated")
        self._count(write.payload, what)

    def _count(self, payload: Payload, what: str) -> None:
        """The entity's outcome: counted per object (for the log) and for the records it carries."""
        self.counts[payload.obj.name][what] += 1
        self.records.entity_done(payload.records, what)

    def _refused(self, write: _Write, fault: Fault | None) -> RecordRejected:
        payload = write.payload
        self._count(payload, "rejected")
        if fault is None:
            return payload.reject(
                "quickbooks.no_answer",
                None,
                None,
                f"QuickBooks answered the {payload.obj.name} with neither it nor a Fault",
            )
        return RecordRejected(
            reasons=[rejection(fault, payload.obj.name)], stream=payload.stream, record_id=payload.record_id
        )

    # ------------------------------------------------------------------------------------------ refusals
    def _collision(self, write: _Write) -> None:
        """A create refused with 6240: DisplayName is unique across Customers, Vendors and Employees (an Item's
        Name among Items). Find who holds the name:

        * our own entity for this key (a create whose answer was lost): use it;
        * a Customer for a client that nobody keyed yet (the finance team created it by hand), or a Vendor
          without an account number and with the same email: take it over (write the key into it);
        * anyone else (an Employee, another kind, another key's entity): create this one under the name with
          its key added, ``Maria Garcia [bullhorn 123]``, and say so in the log.
        """
        payload = write.payload
        obj = payload.obj
        name_field = obj.name_field or "DisplayName"
        name = str(write.body.get(name_field) or "")
        holder = self.directory.name_holder(obj, name)
        if holder is not None:
            kind, entity = holder
            if kind == obj.entity and marker_of(obj, entity) == obj.marker(payload.key):
                self.directory.remember(obj, entity)
                self._apply(payload, entity)
                return
            if kind == obj.entity and self._claimable(payload, entity):
                self._claim(payload, entity)
                return
            what = f"the {kind} {entity.get('Id')}" + (
                f" of {marker_of(obj, entity)}" if kind == obj.entity and marker_of(obj, entity) else ""
            )
        else:
            what = "another customer, vendor or employee"
        renamed = disambiguated(name, payload.key)
        _log.warning(
            "QuickBooks names are unique across customers, vendors and employees: %r is already used by %s, so "
            "the %s for %s is named %r",
            name,
            what,
            obj.name,
            payload.key,
            renamed,
        )
        payload.body[name_field] = renamed
        body = {**write.body, name_field: renamed}
        created, fault = self.api.write(obj.entity, body, request_id(obj.entity, "create", body))
        if created is not None:
            self._done(_Write(payload, "create", body), created)
            return
        if fault is not None and fault.code == DUPLICATE_NAME:
            again = self.directory.name_holder(obj, renamed)
            if again is not None and marker_of(obj, again[1]) == obj.marker(payload.key):
                self.directory.remember(obj, again[1])
                self._apply(payload, again[1])
                return
        raise payload.reject(
            "quickbooks.duplicate_name",
            name_field,
            name,
            f"QuickBooks names are unique across customers, vendors and employees: {name!r} is used by {what}, and "
            f"{renamed!r} could not be used either ({fault.text() if fault else 'no answer'}); change the "
            f"{obj.name}'s {name_field} mapping or rename the other entity in QuickBooks",
        )

    def _claimable(self, payload: Payload, entity: dict[str, Any]) -> bool:
        obj = payload.obj
        if marker_of(obj, entity):
            return False
        if obj.name == "Customer":
            return not entity.get("Job")
        if obj.name == "Vendor":
            mine = str((payload.body.get("PrimaryEmailAddr") or {}).get("Address") or "").strip().lower()
            theirs = str((entity.get("PrimaryEmailAddr") or {}).get("Address") or "").strip().lower()
            return bool(mine) and mine == theirs and not entity.get("AcctNum")
        return False

    def _claim(self, payload: Payload, entity: dict[str, Any]) -> None:
        obj = payload.obj
        marker = obj.marker(payload.key)
        old = entity.get(obj.key_field)
        if obj.key_field == "Notes" and isinstance(old, str) and old and not old.startswith(KEY_PREFIX):
            payload.body[obj.key_field] = f"{marker}\n{old}"
        _log.info(
            "%s for %s: taking over the existing %s %s of the same name",
            obj.name,
            payload.key,
            obj.entity,
            entity.get("Id"),
        )
        self._apply(payload, entity, claiming=True)

    def _apply(self, payload: Payload, entity: dict[str, Any], *, claiming: bool = False) -> None:
        """Bring an entity found again up to date (one write, re-reading on a stale SyncToken)."""
        for _ in range(_STALE_ATTEMPTS):
            diff = changes(payload, entity)
            if not diff:
                self._count(payload, "unchanged")
                return
            body = _update_body(entity, diff)
            written, fault = self.api.write(
                payload.obj.entity, body, request_id(payload.obj.entity, "update", body)
            )
            if written is not None:
                self._done(_Write(payload, "update", body), written)
                return
            if fault is None or fault.code != STALE_OBJECT:  # the caller counts the rejection
                raise RecordRejected(
                    reasons=[rejection(fault, payload.obj.name)] if fault else [],
                    stream=payload.stream,
                    record_id=payload.record_id,
                )
            entity = self.api.read(payload.obj.entity, str(entity["Id"]))
            self.directory.remember(payload.obj, entity)
        raise payload.reject(
            "quickbooks.stale_object",
            None,
            None,
            f"the {payload.obj.name} kept changing in QuickBooks while it was being updated ({_STALE_ATTEMPTS} "
            "attempts); it is written again next sync",
        )

    def _stale(self, payload: Payload) -> None:
        """5010 Stale Object Error: someone changed the entity since it was read; re-read it and reapply."""
        existing = self.directory.find(payload.obj, payload.key)
        if existing is None:
            raise payload.reject("quickbooks.stale_object", None, None, "the entity to update disappeared")
        fresh = self.api.read(payload.obj.entity, str(existing["Id"]))
        self.directory.remember(payload.obj, fresh)
        if payload.deleted:
            if fresh.get("Active") is False:
                self._count(payload, "unchanged")
                return
            payload.body = {"Active": False}
            payload.rename = False
        self._apply(payload, fresh)


def _update_body(existing: Mapping[str, Any], diff: Mapping[str, Any]) -> dict[str, Any]:
    return {**diff, "Id": str(existing["Id"]), "SyncToken": str(existing["SyncToken"]), "sparse": True}


def _merge(rejections: Iterable[RecordRejected]) -> list[RecordRejected]:
    """One rejection per record (a placement's Job and Item may both be refused), reasons joined."""
    merged: dict[tuple[str | None, str | None], RecordRejected] = {}
    for rejected in rejections:
        key = (rejected.stream, rejected.record_id)
        if key in merged and rejected.record_id is not None:
            merged[key].reasons.extend(rejected.reasons)
        else:
            merged[key if rejected.record_id is not None else (rejected.stream, str(id(rejected)))] = rejected
    return list(merged.values())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
