"""Landing one run's records in the mirror.

The relay hands every RECORD line it passes (raw and standard streams) to :meth:`MirrorWriter.add_line`, which
only appends it to a spool file (wrapped with its sequence number): no parsing or encoding in Python. Every
:data:`BATCH` lines (or :data:`BATCH_BYTES`) the file goes to a loader thread, where the warehouse parses it once,
takes out each record's id, cursor, content hash and trail fields (:mod:`staffwire.mirror.extract`) into a staging
table and merges the batch in a few set-based statements (new versions, the stage-edit trail, the current
records), one transaction per batch. The relay never waits on the database, and memory stays flat however many
records a run has: the database only ever holds one batch outside its tables, in a small buffer pool
(:mod:`staffwire.mirror.warehouse`). :meth:`finish` lands the last file and records the run.
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from staffwire.mirror.extract import TRAILED, select_columns
from staffwire.mirror.schema import create_tables
from staffwire.mirror.warehouse import STAGE_COLUMNS, Warehouse, open_warehouse
from staffwire.runner.store import utc_now

__all__ = ["BATCH", "TRAILED", "MirrorWriter", "StreamIdentity", "spool_line"]

#: Lines per loader batch: two of the mirror's row groups (``warehouse.ROW_GROUP_SIZE``), so that DuckDB writes a
#: batch of new records straight into the file instead of through its write-ahead log.
BATCH = 20_480
#: ...or fewer when they are large: what the loader holds in memory is about a batch (its staging table).
BATCH_BYTES = 16 << 20


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


def spool_line(seq: int, line: bytes) -> bytes:
    """One spooled RECORD line: the protocol line as it crossed, with its sequence number."""
    return b'{"n":%d,"m":' % seq + line + b"}\n"


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
        self._columns, self._select = select_columns(self._db.kind, self.identities)
        self._spool_dir = tempfile.TemporaryDirectory(prefix="staffwire-mirror-")
        try:
            self._db.tune_for_loading(Path(self._spool_dir.name))
            create_tables(self._db)
            self._db.execute(
                "CREATE TEMP TABLE mirror_stage ("
                + ", ".join(
                    f"{name} {self._db.json_type if kind == 'JSON' else kind}" for name, kind in STAGE_COLUMNS
                )
                + ")"
            )
            self._db.commit()
        except BaseException:
            self._db.close()
            self._spool_dir.cleanup()
            raise
        self._files = 0
        self._out: IO[bytes] | None = None
        self._in_file = 0
        self._in_bytes = 0
        self._queue: queue.Queue[Path | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._loader = threading.Thread(target=self._load_loop, name="staffwire-mirror", daemon=True)
        self._loader.start()

    # ------------------------------------------------------------------------------------------ the relay side
    def add_line(self, line: bytes) -> None:
        """One RECORD line as it crossed the relay (raw, or a standard record the runner mapped)."""
        self.records += 1
        out = self._out or self._open()
        out.write(spool_line(self.records, line))
        self._in_file += 1
        self._in_bytes += len(line)
        if self._in_file >= BATCH or self._in_bytes >= BATCH_BYTES:
            self._hand_over()

    def _open(self) -> IO[bytes]:
        self._files += 1
        path = Path(self._spool_dir.name) / f"spool-{self._files}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._out = os.fdopen(fd, "wb", buffering=1 << 20)
        self._path = path
        self._in_file = 0
        self._in_bytes = 0
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
                    self._load(path)
            except BaseException as exc:  # reported by finish(); the relay goes on
                self._error = exc
            finally:
                path.unlink(missing_ok=True)

    def _load(self, path: Path) -> None:
        """One batch in one transaction; again with a larger memory limit when the warehouse ran out (a batch of
        large records needs more than the loader's small default)."""
        while True:
            self._db.begin()  # one commit per batch (DuckDB would checkpoint after every statement)
            try:
                self._db.load_lines(path, "mirror_stage", self._columns, self._select)
                self.changed += self._merge()
                return
            except Exception as exc:
                self._db.rollback()
                if not self._db.more_memory(exc):
                    raise

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
        # A record sent twice in one batch: its last version counts. (Checked first: it is rare, the delete costs.)
        duplicated = db.query(
            "SELECT count(*) FROM (SELECT 1 FROM mirror_stage GROUP BY stream, record_id HAVING count(*) > 1) d"
        )[0][0]
        if duplicated:
            db.execute(
                "DELETE FROM mirror_stage WHERE seq NOT IN "
                "(SELECT max(seq) FROM mirror_stage GROUP BY stream, record_id)"
            )
        # What the mirror holds now for the batch's records: keys and hashes only, never the data.
        db.execute("DROP TABLE IF EXISTS mirror_prev")
        seen = db.execute_count(
            "CREATE TEMP TABLE mirror_prev AS SELECT s.stream, s.record_id, r.content_hash AS old_hash, "
            "r.trail_value AS old_trail, r.first_run AS old_first, r.version_run AS old_run, "
            "r.version_seq AS old_seq FROM mirror_stage s JOIN mirror_records r ON r.connection = ? "
            "AND r.stream = s.stream AND r.record_id = s.record_id",
            [conn],
        )
        if db.kind == "postgresql":  # CREATE TABLE AS reports no row count there
            seen = db.query("SELECT count(*) FROM mirror_prev")[0][0]
        joined = (
            "FROM mirror_stage s LEFT JOIN mirror_prev p ON p.stream = s.stream AND p.record_id = s.record_id"
        )
        changed = "(p.old_hash IS NULL OR p.old_hash <> s.content_hash)"
        count = db.execute_count(
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
        if seen:
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
        db.execute("DROP TABLE mirror_prev")
        db.execute("DELETE FROM mirror_stage")
        db.commit()
        return count
