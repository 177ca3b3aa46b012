"""Safe writes into a system of record: batched compare-before-write, owned fields, no blanking nulls,
exactly-once creates, and an outcome for every record.

A destination implements :class:`ObjectStore` for each object it writes (three calls against its API) and feeds
mapped records to a :class:`SafeWriter`; on :meth:`SafeWriter.commit` the writer

1. reads the current values of every buffered record's target in batches (:meth:`ObjectStore.find`, one call per
   matching key and batch);
2. sends only the fields that differ (:func:`~staffwire.activation.compare.changes`) and that the connection owns;
   a record already current is ``unchanged`` and costs no write;
3. creates what matches nothing when the stream's sync mode creates (``append``, ``append_dedup``); a create whose
   answer was lost (a transient error: 5xx, dropped connection, timeout) is looked up by its matching key before
   it is sent again, so it is never made twice; after a crash the rerun finds it the same way;
4. counts each record as created, updated or unchanged in :class:`~staffwire.activation.outcomes.Outcomes`, and
   returns the rejected ones (the vendor's reason, naming the field) for the write loop to report.

Records are applied in input order; a later record for the same target compares against what the earlier one
wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from staffwire.activation.compare import WritePolicy, changes
from staffwire.activation.objects import KeyPath, ObjectBinding
from staffwire.activation.outcomes import Outcome, Outcomes
from staffwire.errors import RecordRejected, Rejection, TransientError

__all__ = ["ObjectStore", "SafeWriter"]

_log = logging.getLogger("staffwire.activation")


class ObjectStore(Protocol):
    """One object of a target system, as :class:`SafeWriter` needs it."""

    def find(self, key: KeyPath, values: Sequence[Any], fields: Sequence[str]) -> dict[Any, dict[str, Any]]:
        """The current records whose ``key`` is one of ``values`` (batched: one or a few requests), keyed by the
        value as given; each with its ``id`` and at least ``fields``. Values that match nothing are left out."""
        ...

    def create(self, values: Mapping[str, Any]) -> Any:
        """Create the object; its id. RecordRejected for the vendor's refusal; TransientError when the answer was
        lost or the vendor failed (the object may or may not exist: the caller looks it up before trying again)."""
        ...

    def update(self, current: Mapping[str, Any], values: Mapping[str, Any]) -> None:
        """Send ``values`` (only changed fields) to the existing record ``current``. RecordRejected on refusal."""
        ...


@dataclass
class _Pending:
    record_id: str | None
    values: dict[str, Any]
    key: KeyPath | None
    key_value: Any


class SafeWriter:
    """Buffers one stream's mapped records and commits them safely (see the module docstring)."""

    def __init__(
        self,
        binding: ObjectBinding,
        store: ObjectStore,
        outcomes: Outcomes,
        policy: WritePolicy | None = None,
        *,
        batch_size: int = 100,
        create_attempts: int = 3,
    ) -> None:
        if binding.sync_mode == "soft_delete":
            raise ValueError(
                f"stream {binding.stream}: SafeWriter writes values (append, update, append_dedup); a destination "
                "that offers soft_delete deletes the matched records itself"
            )
        self.binding = binding
        self.store = store
        self.outcomes = outcomes
        self.policy = policy or WritePolicy()
        self.batch_size = batch_size
        self.create_attempts = create_attempts
        self.pending: list[_Pending] = []
        self.requests = 0  # writes sent (creates and updates)

    @property
    def stream(self) -> str:
        return self.binding.stream

    def add(self, record_id: str | None, values: Mapping[str, Any]) -> None:
        """Buffer one record's object fields (already mapped). RecordRejected when it cannot be matched."""
        found = self.binding.key_value(values)
        if found is None and not self.binding.creates:
            keys = " or ".join(".".join(k) for k in self.binding.keys)
            raise RecordRejected(
                [
                    Rejection(
                        "matching_key",
                        keys,
                        None,
                        f"the record has no {keys} to find its {self.binding.object.name} by",
                    )
                ],
                stream=self.stream,
                record_id=record_id,
            )
        key, value = found if found is not None else (None, None)
        self.pending.append(_Pending(record_id, dict(values), key, value))

    def due(self) -> bool:
        return len(self.pending) >= self.batch_size

    def commit(self) -> list[RecordRejected]:
        pending, self.pending = self.pending, []
        if not pending:
            return []
        current = self._current(pending)
        rejections: list[RecordRejected] = []
        for item in pending:
            try:
                self._apply(item, current)
            except RecordRejected as rejected:
                rejected.stream = rejected.stream or self.stream
                rejected.record_id = rejected.record_id or item.record_id
                rejections.append(rejected)
        return rejections

    # ------------------------------------------------------------------------------------------ steps
    def _fields(self, pending: Sequence[_Pending]) -> list[str]:
        names: dict[str, None] = {}
        for item in pending:
            names.update(dict.fromkeys(self.policy.writable(item.values)))
        for key in self.binding.keys:
            names[key[0]] = None
        return list(names)

    def _current(self, pending: Sequence[_Pending]) -> dict[tuple[KeyPath, Any], dict[str, Any]]:
        fields = self._fields(pending)
        wanted: dict[KeyPath, dict[Any, None]] = {}
        for item in pending:
            if item.key is not None:
                wanted.setdefault(item.key, {})[item.key_value] = None
        found: dict[tuple[KeyPath, Any], dict[str, Any]] = {}
        for key, values in wanted.items():
            for value, record in self.store.find(key, list(values), fields).items():
                found[(key, value)] = record
        return found

    def _apply(self, item: _Pending, current: dict[tuple[KeyPath, Any], dict[str, Any]]) -> None:
        where = (item.key or (), item.key_value)
        target = current.get(where) if item.key is not None else None
        if target is None:
            if not self.binding.creates:
                name = ".".join(item.key or ())
                raise RecordRejected(
                    [
                        Rejection(
                            "not_found",
                            name,
                            item.key_value,
                            f"no {self.binding.object.name} has {name} {item.key_value!r}: nothing to update",
                        )
                    ]
                )
            values = self.policy.writable(item.values)
            new_id = self._create(item, values)
            self.outcomes.add(self.stream, Outcome.CREATED)
            if item.key is not None:
                current[where] = {**values, "id": new_id}
            return
        diff = changes(item.values, target, self.policy)
        if item.key is not None:
            diff.pop(item.key[0], None)  # it matched (as the store compares keys): never rewritten as given
        if not diff:
            self.outcomes.add(self.stream, Outcome.UNCHANGED)
            return
        self.requests += 1
        self.store.update(target, diff)
        target.update(diff)
        self.outcomes.add(self.stream, Outcome.UPDATED)

    def _create(self, item: _Pending, values: Mapping[str, Any]) -> Any:
        """Create once: after a lost answer, look the object up by its key before sending the create again."""
        for attempt in range(1, self.create_attempts + 1):
            self.requests += 1
            try:
                return self.store.create(values)
            except TransientError as exc:
                if item.key is None:
                    raise  # nothing to look it up by: retrying could make a second one
                found = self.store.find(item.key, [item.key_value], [item.key[0]])
                if item.key_value in found:
                    _log.info(
                        "%s: the answer to creating %s %s=%r was lost (%s); it was created, not sent again",
                        self.stream,
                        self.binding.object.name,
                        ".".join(item.key),
                        item.key_value,
                        exc.message,
                    )
                    return found[item.key_value].get("id")
                if attempt == self.create_attempts:
                    raise
                _log.warning(
                    "%s: creating %s failed (%s) and it does not exist; trying again (%d/%d)",
                    self.stream,
                    self.binding.object.name,
                    exc.message,
                    attempt + 1,
                    self.create_attempts,
                )
        raise AssertionError("unreachable")
