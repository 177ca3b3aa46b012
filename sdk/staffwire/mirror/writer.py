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
from staffwire.mirror.warehouse import SPOOL_COLUMNS, Warehouse, open_warehouse
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
        self.records += 1
        line = {
            "stream": stream,
            "record_id": record_id,
            "cursor_value": cursor,
            "content_hash": content_hash,
            "deleted_at": deleted,
            "meta": record.get("meta"),
            "emitted_at": record.get("emitted_at"),
            "seq": self.records,
        }
        trailed = TRAILED.get(stream)
        if trailed is not None and isinstance(data, dict):
            owner = data.get("owner")
            line.update(
                trail_value=_text(data.get(trailed)),
                original_status=_text(data.get("original_status")),
                remote_updated_at=_text(data.get("remote_updated_at")),
                owner_id=_text(owner.get("id")) if isinstance(owner, dict) else None,
                candidate_id=_text(data.get("candidate_id")),
                job_id=_text(data.get("job_id")),
            )
        head = orjson.dumps(line)
        out = self._out or self._open()
        out.write(head[:-1] + b',"data":' + body + b"}\n")
        self._in_file += 1
        if self._in_file >= BATCH:
            self._hand_over()

    def _open(self) -> IO[bytes]:
        self._files += 1
        path = Path(self._spool_dir.name) / f"spool-{self._files}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._out = os.fdopen(fd, "wb", buffering=1 << 20)
        self._path = path
        self._in_file = 0
        return self._out

    def _hand_over(self) -> None:
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
        """Merge the staged batch into the mirror; the number of new or changed records."""
        db, conn, run, now = self._db, self.connection, self.run_id, utc_now()
        # The batch's last version of each record, next to the mirror's current one (one join for everything).
        db.execute("DROP TABLE IF EXISTS mirror_joined")
        db.execute(
            "CREATE TEMP TABLE mirror_joined AS SELECT l.*, r.trail_value AS old_trail, "
            "r.content_hash AS old_hash, r.first_run AS old_first FROM (SELECT * FROM (SELECT *, row_number() OVER "
            "(PARTITION BY stream, record_id ORDER BY seq DESC) AS rn FROM mirror_stage) t WHERE rn = 1) l "
            "LEFT JOIN mirror_records r ON r.connection = ? AND r.stream = l.stream AND r.record_id = l.record_id",
            [conn],
        )
        changed_rows = "FROM mirror_joined WHERE (old_hash IS NULL OR old_hash <> content_hash)"
        columns = "stream, record_id, cursor_value, content_hash, deleted_at, data, meta, emitted_at"
        db.execute(
            f"INSERT INTO mirror_versions (connection, {columns}, run_id, seen_at) SELECT ?, {columns}, ?, ? "
            + changed_rows,
            [conn, run, now],
        )
        field = "CASE stream " + " ".join(f"WHEN '{s}' THEN '{f}'" for s, f in TRAILED.items()) + " END"
        db.execute(
            "INSERT INTO mirror_stage_changes (connection, stream, record_id, field, old_value, new_value, "
            "original_status, remote_updated_at, owner_id, candidate_id, job_id, run_id, seen_at) "
            f"SELECT ?, stream, record_id, {field}, old_trail, trail_value, original_status, remote_updated_at, "
            f"owner_id, candidate_id, job_id, ?, ? {changed_rows} AND stream IN "
            f"({', '.join(repr(s) for s in TRAILED)}) AND old_trail IS DISTINCT FROM trail_value",
            [conn, run, now],
        )
        db.execute(
            "DELETE FROM mirror_records WHERE connection = ? AND EXISTS (SELECT 1 FROM mirror_joined j WHERE "
            "j.old_hash IS NOT NULL AND j.stream = mirror_records.stream AND j.record_id = mirror_records.record_id)",
            [conn],
        )
        db.execute(
            f"INSERT INTO mirror_records (connection, {columns}, trail_value, first_run, last_run, seen_at) "
            f"SELECT ?, {columns}, trail_value, COALESCE(old_first, ?), ?, ? FROM mirror_joined",
            [conn, run, run, now],
        )
        changed = db.query("SELECT count(*) " + changed_rows)[0][0]
        db.execute("DROP TABLE mirror_joined")
        db.execute("DELETE FROM mirror_stage")
        db.commit()
        return int(changed)
