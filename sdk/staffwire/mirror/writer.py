"""Landing one run's records in the mirror.

The relay hands every record it sees (raw and standard streams) to :meth:`MirrorWriter.add`, which only encodes
it: the record's data once as sorted-key JSON (its content hash and its spooled form), one line in a spool file.
Every :data:`BATCH` records the file is handed to a loader thread that bulk-loads it into a staging table and
merges it in a few set-based statements (new versions, the stage-edit trail, the current records), so the relay
never waits on the database and memory stays flat however many records a run has: the database only ever holds
one batch outside its tables. :meth:`finish` lands the last file and records the run.
"""

from __future__ import annotations

import hashlib
import os
import queue
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from staffwire.mirror.schema import create_tables
from staffwire.mirror.warehouse import SPOOL_COLUMNS, Warehouse, csv_row, open_warehouse
from staffwire.runner.store import utc_now

__all__ = ["BATCH", "MirrorWriter", "StreamIdentity", "fingerprint"]

BATCH = 50_000
#: Standard streams whose status field the audit trail follows, and that field.
TRAILED = {"submissions": "stage", "candidates": "status"}


@dataclass(frozen=True)
class StreamIdentity:
    """How the mirror names a stream's records: the primary key paths and the cursor path (may be empty)."""

    primary_key: tuple[tuple[str, ...], ...]
    cursor: tuple[str, ...]
    deleted: tuple[str, ...] = ()

    @classmethod
    def from_configured(cls, entry: Mapping[str, Any]) -> StreamIdentity:
        stream = entry.get("stream") or {}
        pk = entry.get("primary_key") or stream.get("source_defined_primary_key") or []
        cursor = entry.get("cursor_field") or stream.get("default_cursor_field") or []
        properties = (stream.get("json_schema") or {}).get("properties") or {}
        deleted = next(
            (
                (name,)
                for name in ("remote_deleted_at", "_ab_cdc_deleted_at", "deleted_at")
                if name in properties
            ),
            (),
        )
        return cls(tuple(tuple(p) for p in pk if p), tuple(cursor), deleted)


def _dig(data: Any, path: Sequence[str]) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def fingerprint(
    identity: StreamIdentity | None, data: Any, body: bytes | None = None
) -> tuple[str, str | None, str, str | None]:
    """``(record_id, cursor, content_hash, deleted_at)`` of one record's data, as the mirror keys it (the audit
    computes the same for what the source holds now). ``body``: the data as sorted-key JSON, if already made."""
    if body is None:
        body = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    content_hash = hashlib.blake2b(body, digest_size=16).hexdigest()
    if identity is not None and identity.primary_key:
        parts = [_dig(data, path) for path in identity.primary_key]
        record_id = "|".join("" if p is None else str(p) for p in parts)
    else:
        record_id = content_hash  # no primary key: a record is its content
    cursor = _text(_dig(data, identity.cursor)) if identity is not None and identity.cursor else None
    deleted = _text(_dig(data, identity.deleted)) if identity is not None and identity.deleted else None
    return record_id, cursor, content_hash, deleted


class MirrorWriter:
    """Lands one run of one connection; :meth:`add` from the relay's thread, :meth:`finish` once at the end."""

    def __init__(
        self, target: str | Path, connection: str, run_id: int, identities: Mapping[str, StreamIdentity]
    ) -> None:
        self.target = target
        self.connection = connection
        self.run_id = run_id
        self.identities = dict(identities)
        self.records = 0
        self.changed = 0
        self._db: Warehouse = open_warehouse(target)
        self.where = self._db.where
        try:
            create_tables(self._db)
            self._db.execute(
                "CREATE TEMP TABLE mirror_stage ("
                + ", ".join(
                    f"{name} {self._db.json_type if kind == 'JSON' else kind}" for name, kind in SPOOL_COLUMNS
                )
                + ")"
            )
            self._db.commit()
        except BaseException:
            self._db.close()
            raise
        self._spool_dir = tempfile.TemporaryDirectory(prefix="staffwire-mirror-")
        self._files = 0
        self._batch_keys: set[tuple[str, str]] = set()
        self._out: IO[bytes] | None = None
        self._in_file = 0
        self._queue: queue.Queue[Path | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._loader = threading.Thread(target=self._load_loop, name="staffwire-mirror", daemon=True)
        self._loader.start()

    # ------------------------------------------------------------------------------------------ the relay side
    def add(self, stream: str, record: Mapping[str, Any], data_json: bytes | None = None) -> None:
        """One record as it crossed the relay (``record`` is the protocol's ``record`` object)."""
        data = record.get("data")
        body = data_json if data_json is not None else orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
        record_id, cursor, content_hash, deleted = fingerprint(self.identities.get(stream), data, body)
        key = (stream, record_id)
        if key in self._batch_keys:
            self._hand_over()  # a batch holds each record once: its second version goes to the next batch
        self._batch_keys.add(key)
        self.records += 1
        trail: tuple[str | None, ...] = (None,) * 6
        trailed = TRAILED.get(stream)
        if trailed is not None and isinstance(data, dict):
            owner = data.get("owner")
            trail = (
                _text(data.get(trailed)),
                _text(data.get("original_status")),
                _text(data.get("remote_updated_at")),
                _text(owner.get("id")) if isinstance(owner, dict) else None,
                _text(data.get("candidate_id")),
                _text(data.get("job_id")),
            )
        meta = record.get("meta")
        emitted_at = record.get("emitted_at")
        out = self._out or self._open()
        out.write(
            csv_row(
                (
                    stream,
                    record_id,
                    cursor,
                    content_hash,
                    deleted,
                    int(emitted_at) if isinstance(emitted_at, (int, float)) else None,
                    self.records,
                    *trail,
                    orjson.dumps(meta) if meta else None,
                    body,
                )
            )
        )
        self._in_file += 1
        if self._in_file >= BATCH:
            self._hand_over()

    def _open(self) -> IO[bytes]:
        self._files += 1
        path = Path(self._spool_dir.name) / f"spool-{self._files}.csv"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._out = os.fdopen(fd, "wb", buffering=1 << 20)
        self._path = path
        self._in_file = 0
        return self._out

    def _hand_over(self) -> None:
        self._batch_keys.clear()
        if self._out is None:
            return
        self._out.close()
        self._out = None
        if self._error is None:
            self._queue.put(self._path)

    def _load_loop(self) -> None:
        while True:
            path = self._queue.get()
            if path is None:
                return
            try:
                if self._error is None:
                    self._db.begin()  # one commit per batch (DuckDB would checkpoint after every statement)
                    self._db.load_spool(path, "mirror_stage")
                    self.changed += self._merge()
            except BaseException as exc:  # reported by finish(); the relay goes on
                self._error = exc
            finally:
                path.unlink(missing_ok=True)

    # -------------------------------------------------------------------------------------------- the end
    def finish(self) -> dict[str, int]:
        """Load what is left and merge this run into the mirror; ``{"records", "changed"}``. Raises what the
        database raised (the caller records it as a run error)."""
        try:
            self._hand_over()
            self._queue.put(None)
            self._loader.join()
            if self._error is not None:
                raise self._error
            self._db.execute(
                "INSERT INTO mirror_runs (connection, run_id, records, changed, landed_at) VALUES (?, ?, ?, ?, ?)",
                [self.connection, self.run_id, self.records, self.changed, utc_now()],
            )
            self._db.commit()
            return {"records": self.records, "changed": self.changed}
        finally:
            self._db.close()
            self._spool_dir.cleanup()

    def abandon(self) -> None:
        """Stop without merging (the run could not start)."""
        if self._out is not None:
            self._out.close()
            self._out = None
        self._queue.put(None)
        self._loader.join()
        self._db.close()
        self._spool_dir.cleanup()

    def _merge(self) -> int:
        """Merge the staged batch (each record once) into the mirror; the number of new or changed records."""
        db, conn, run, now = self._db, self.connection, self.run_id, utc_now()
        # What the mirror holds now for the batch's records: keys and hashes only, never the data.
        db.execute("DROP TABLE IF EXISTS mirror_prev")
        db.execute(
            "CREATE TEMP TABLE mirror_prev AS SELECT s.stream, s.record_id, r.content_hash AS old_hash, "
            "r.trail_value AS old_trail, r.first_run AS old_first, r.version_run AS old_run, "
            "r.version_seq AS old_seq FROM mirror_stage s JOIN mirror_records r ON r.connection = ? "
            "AND r.stream = s.stream AND r.record_id = s.record_id",
            [conn],
        )
        joined = (
            "FROM mirror_stage s LEFT JOIN mirror_prev p ON p.stream = s.stream AND p.record_id = s.record_id"
        )
        changed = "(p.old_hash IS NULL OR p.old_hash <> s.content_hash)"
        db.execute(
            "INSERT INTO mirror_versions (connection, stream, record_id, cursor_value, content_hash, deleted_at, "
            "data, meta, emitted_at, run_id, seq, seen_at) SELECT ?, s.stream, s.record_id, s.cursor_value, "
            f"s.content_hash, s.deleted_at, s.data, s.meta, s.emitted_at, ?, s.seq, ? {joined} WHERE {changed}",
            [conn, run, now],
        )
        field = "CASE s.stream " + " ".join(f"WHEN '{s}' THEN '{f}'" for s, f in TRAILED.items()) + " END"
        db.execute(
            "INSERT INTO mirror_stage_changes (connection, stream, record_id, field, old_value, new_value, "
            "original_status, remote_updated_at, owner_id, candidate_id, job_id, run_id, seen_at) "
            f"SELECT ?, s.stream, s.record_id, {field}, p.old_trail, s.trail_value, s.original_status, "
            f"s.remote_updated_at, s.owner_id, s.candidate_id, s.job_id, ?, ? {joined} WHERE {changed} AND "
            f"s.stream IN ({', '.join(repr(s) for s in TRAILED)}) AND p.old_trail IS DISTINCT FROM s.trail_value",
            [conn, run, now],
        )
        db.execute(
            "DELETE FROM mirror_records WHERE connection = ? AND EXISTS (SELECT 1 FROM mirror_prev p WHERE "
            "p.stream = mirror_records.stream AND p.record_id = mirror_records.record_id)",
            [conn],
        )
        db.execute(
            "INSERT INTO mirror_records (connection, stream, record_id, cursor_value, content_hash, deleted_at, "
            "trail_value, first_run, last_run, seen_at, version_run, version_seq) SELECT ?, s.stream, s.record_id, "
            "s.cursor_value, s.content_hash, s.deleted_at, s.trail_value, COALESCE(p.old_first, ?), ?, ?, "
            f"CASE WHEN {changed} THEN ? ELSE p.old_run END, CASE WHEN {changed} THEN s.seq ELSE p.old_seq END "
            + joined,
            [conn, run, run, now, run],
        )
        count = db.query(f"SELECT count(*) {joined} WHERE {changed}")[0][0]
        db.execute("DROP TABLE mirror_prev")
        db.execute("DELETE FROM mirror_stage")
        db.commit()
        return int(count)
