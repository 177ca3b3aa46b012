"""The runner's embedded database: committed states and the run history; rotated connector configs beside it.

The configs connectors rotate at run time (CONTROL messages: refresh tokens, reusable access tokens and sessions)
hold secrets, so they live in their own file, ``<db>.credentials`` (mode 0600), never in the database that history,
reports and audits read: the run history can be shared or inspected without handing out a credential.

One SQLite file (WAL journal, one transaction per committed state) holds everything, so a run killed at any point
(``kill -9`` included) leaves either the previous state or the new one, never half of one. Only states the
destination has echoed (= durably written everything before them) are ever stored.

A second run of the same connection is refused by :meth:`StateStore.lock`: an exclusive ``flock`` on a per-connection
lock file, which the operating system releases when the holder dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson

from staffwire.errors import ConfigError

__all__ = [
    "ConnectionLocked",
    "DatabaseDamaged",
    "StateStore",
    "config_fingerprint",
    "default_db_path",
    "utc_now",
]

DB_ENV = "STAFFWIRE_DB"

_CREDENTIALS_SCHEMA = """
CREATE TABLE IF NOT EXISTS connector_config (
    connection TEXT NOT NULL, role TEXT NOT NULL, config TEXT NOT NULL, based_on TEXT NOT NULL,
    updated_at TEXT NOT NULL, PRIMARY KEY (connection, role));
"""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stream_state (
    connection TEXT NOT NULL, namespace TEXT NOT NULL, stream TEXT NOT NULL,
    state TEXT NOT NULL, run_id INTEGER, updated_at TEXT NOT NULL,
    PRIMARY KEY (connection, namespace, stream));
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, connection TEXT NOT NULL, source TEXT, destination TEXT,
    status TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, duration_s REAL,
    failure_type TEXT, error TEXT, pid INTEGER);
CREATE INDEX IF NOT EXISTS runs_by_connection ON runs (connection, id);
CREATE TABLE IF NOT EXISTS run_streams (
    run_id INTEGER NOT NULL, namespace TEXT NOT NULL, stream TEXT NOT NULL, sync_mode TEXT,
    status TEXT, records_read INTEGER NOT NULL DEFAULT 0, records_committed INTEGER NOT NULL DEFAULT 0,
    records_rejected INTEGER NOT NULL DEFAULT 0, records_source_rejected INTEGER NOT NULL DEFAULT 0,
    states_committed INTEGER NOT NULL DEFAULT 0,
    records_created INTEGER, records_updated INTEGER, records_unchanged INTEGER, records_ignored INTEGER,
    PRIMARY KEY (run_id, namespace, stream));
CREATE TABLE IF NOT EXISTS rejected_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, origin TEXT NOT NULL, stream TEXT,
    record_id TEXT,
    message TEXT NOT NULL, reasons TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS record_changes (
    run_id INTEGER NOT NULL, namespace TEXT NOT NULL, stream TEXT NOT NULL, field TEXT NOT NULL,
    change TEXT NOT NULL, reason TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (run_id, namespace, stream, field, change, reason));
CREATE TABLE IF NOT EXISTS run_errors (
    id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, origin TEXT NOT NULL,
    failure_type TEXT NOT NULL, message TEXT NOT NULL, stream TEXT, at TEXT NOT NULL);
"""

INTERRUPTED = (
    "the process running it ended without finishing (killed or crashed); the next run resumed "
    "from the last committed state"
)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def default_db_path() -> Path:
    """``$STAFFWIRE_DB``, else ``.staffwire/staffwire.db`` in the current directory."""
    return Path(os.environ.get(DB_ENV) or Path(".staffwire") / "staffwire.db")


def config_fingerprint(config: Mapping[str, Any]) -> str:
    """A hash of a config (to know whether a stored rotated config still belongs to the file's config)."""
    return hashlib.sha256(orjson.dumps(config, option=orjson.OPT_SORT_KEYS)).hexdigest()


class ConnectionLocked(ConfigError):
    """Another run of the same connection holds the lock."""


#: What a destination reports it did with committed records (destinationStats ``<outcome>RecordCount``).
OUTCOMES = ("created", "updated", "unchanged", "ignored")
#: Columns added to run_streams after its first release (a database made before gets them on open).
_ADDED_COLUMNS = {f"records_{outcome}": "INTEGER" for outcome in OUTCOMES}


class DatabaseDamaged(ConfigError):
    """The runner database cannot be read or written (damaged file, full disk, unreadable row)."""


def _damaged(path: Path, exc: Exception) -> DatabaseDamaged:
    text = str(exc)
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        how = (
            f"To recover what it holds: `sqlite3 {path} .recover | sqlite3 {path}.recovered`, then run with "
            f"--db {path}.recovered (or move the damaged file away to start afresh: every stream is then read "
            "again from the start, and a destination that de-duplicates makes that safe)."
        )
    else:
        how = "Check the disk (space, permissions) and run again."
    return DatabaseDamaged(f"the runner database {path} cannot be used: {text}. {how}")


@dataclass
class StreamCounts:
    """Per-stream counts of one run. ``committed`` records are covered by an echoed state; ``rejected`` of them
    the destination refused; ``source_rejected`` records the source could not map (never sent). ``outcomes``
    (created, updated, unchanged, ignored) is None unless the destination reports what it did per record."""

    read: int = 0
    committed: int = 0
    rejected: int = 0
    source_rejected: int = 0
    states: int = 0
    outcomes: dict[str, int] | None = None
    #: Airbyte record meta changes on the records read: (field, change, reason) -> records
    changes: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    @property
    def written(self) -> int:
        """Committed records the destination took (not rejected, not ignored)."""
        return self.committed - self.rejected - (self.outcomes or {}).get("ignored", 0)

    def add_outcomes(self, counts: Mapping[str, int]) -> None:
        """Add the outcomes a destination reported (those it does not report stay unknown)."""
        if self.outcomes is None:
            self.outcomes = {}
        for outcome, count in counts.items():
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + count

    @property
    def all_rejected(self) -> int:
        return self.rejected + self.source_rejected


class StateStore:
    """Access to the runner database. Safe to share between the runner's threads (one lock around writes)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh = not self.path.exists()
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            if fresh:
                os.chmod(self.path, 0o600)  # the history names connections, streams and record ids
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a killed process
            self._db.executescript(_SCHEMA)
            have = {row[1] for row in self._db.execute("PRAGMA table_info(run_streams)")}
            for column, kind in _ADDED_COLUMNS.items():
                if column not in have:
                    self._db.execute(f"ALTER TABLE run_streams ADD COLUMN {column} {kind}")
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from None
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cannot open the runner database {self.path}: {exc}. Check the path "
                "(--db / STAFFWIRE_DB) and its permissions."
            ) from None
        self._lock = threading.Lock()
        self.credentials_path = self.path.with_name(self.path.name + ".credentials")
        self._credentials: sqlite3.Connection | None = None
        with contextlib.suppress(sqlite3.DatabaseError):  # damage is reported where the history is used
            old = self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'connector_config'").fetchall()
            if old:
                self._move_credentials_out()

    def close(self) -> None:
        with self._lock:
            self._db.close()
            if self._credentials is not None:
                self._credentials.close()

    def _credentials_db(self) -> sqlite3.Connection:
        """The 0600 file of rotated configs (opened on first use: most connections never rotate anything)."""
        if self._credentials is None:
            try:
                fd = os.open(self.credentials_path, os.O_RDWR | os.O_CREAT, 0o600)
                os.close(fd)
                os.chmod(self.credentials_path, 0o600)
                db = sqlite3.connect(
                    self.credentials_path, check_same_thread=False, isolation_level=None, timeout=30
                )
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(_CREDENTIALS_SCHEMA)
            except sqlite3.DatabaseError as exc:
                raise _damaged(self.credentials_path, exc) from None
            except OSError as exc:
                raise ConfigError(
                    f"cannot open the runner's credentials file {self.credentials_path}: {exc}. Check the "
                    "folder's permissions."
                ) from None
            self._credentials = db
        return self._credentials

    def _move_credentials_out(self) -> None:
        """A database from before the split: move its rotated configs to the credentials file, then drop them."""
        rows = self._db.execute("SELECT connection, role, config, based_on, updated_at FROM connector_config")
        moved = rows.fetchall()
        if moved:
            db = self._credentials_db()
            db.executemany("INSERT OR REPLACE INTO connector_config VALUES (?,?,?,?,?)", moved)
        self._db.execute("DROP TABLE connector_config")
        self._db.execute("VACUUM")  # the dropped rows' pages would otherwise still hold the tokens

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise _damaged(self.path, exc) from None

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cursor = self._db.execute(sql, args)
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except sqlite3.DatabaseError as exc:
                raise _damaged(self.path, exc) from None

    # ---------------------------------------------------------------------------------------------- locking
    @contextlib.contextmanager
    def lock(self, connection: str) -> Iterator[None]:
        """Hold the connection's run lock; :class:`ConnectionLocked` when another run holds it."""
        lock_dir = self.path.parent / f"{self.path.name}.locks"
        lock_dir.mkdir(parents=True, exist_ok=True)
        with open(lock_dir / f"{connection}.lock", "a+") as handle:  # closing it releases the flock
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise ConnectionLocked(
                    f"connection {connection!r} is already running ({holder}); this run was refused so the two "
                    "cannot corrupt each other's state. Wait for it to finish, then run again."
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()} since {utc_now()}")
            handle.flush()
            yield

    # ----------------------------------------------------------------------------------------------- states
    def states(self, connection: str) -> dict[tuple[str, str], dict[str, Any]]:
        """Committed states by ``(namespace, stream)``; ``("", "")`` is a GLOBAL state. Each value is the
        AirbyteStateMessage as the destination echoed it (without its stats)."""
        rows = self._query(
            "SELECT namespace, stream, state FROM stream_state WHERE connection = ?", (connection,)
        )
        states = {}
        for row in rows:
            try:
                state = orjson.loads(row["state"])
            except orjson.JSONDecodeError:
                state = None
            if not isinstance(state, dict):
                text = str(row["state"])
                shown = text if len(text) <= 60 else text[:57] + "..."
                stream = row["stream"] or "(the global state)"
                raise DatabaseDamaged(
                    f"the runner database {self.path} holds an unreadable state for stream '{stream}' of "
                    f"connection {connection!r} ({shown!r} is not a JSON state object). Reset the connection's "
                    f"state to read its streams again from the start: `staffwire sync CONNECTION_FILE --reset`."
                )
            states[(row["namespace"], row["stream"])] = state
        return states

    def commit_state(
        self,
        connection: str,
        run_id: int,
        key: tuple[str, str],
        state: Mapping[str, Any],
        stream_counts: Mapping[tuple[str, str], StreamCounts],
    ) -> None:
        """Persist one echoed state and the run's counts so far, in one transaction."""
        now = utc_now()
        with self._tx() as db:
            db.execute(
                "INSERT INTO stream_state (connection, namespace, stream, state, run_id, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (connection, namespace, stream) DO UPDATE SET "
                "state = excluded.state, run_id = excluded.run_id, updated_at = excluded.updated_at",
                (connection, key[0], key[1], orjson.dumps(state).decode(), run_id, now),
            )
            self._write_counts(db, run_id, stream_counts)

    def clear_states(self, connection: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM stream_state WHERE connection = ?", (connection,))

    def set_state(self, connection: str, key: tuple[str, str], state: Mapping[str, Any] | None) -> bool:
        """An operator's edit (``staffwire state set|reset``): store ``state`` for one stream, or forget it when
        None; whether a state was there before. Hold the connection's lock around it."""
        with self._tx() as db:
            found = db.execute(
                "SELECT 1 FROM stream_state WHERE connection = ? AND namespace = ? AND stream = ?",
                (connection, key[0], key[1]),
            ).fetchone()
            if state is None:
                db.execute(
                    "DELETE FROM stream_state WHERE connection = ? AND namespace = ? AND stream = ?",
                    (connection, key[0], key[1]),
                )
            else:
                db.execute(
                    "INSERT INTO stream_state (connection, namespace, stream, state, run_id, updated_at) "
                    "VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (connection, namespace, stream) DO UPDATE SET "
                    "state = excluded.state, run_id = NULL, updated_at = excluded.updated_at",
                    (connection, key[0], key[1], orjson.dumps(state).decode(), utc_now()),
                )
            return found is not None

    # ------------------------------------------------------------------------------------- rotated configs
    def rotated_config(self, connection: str, role: str, based_on: str) -> dict[str, Any] | None:
        """The config a connector rotated (CONTROL message) in an earlier run, if the connection file's config
        is still the one it was rotated from (a user's edit of the file wins)."""
        with self._lock:
            try:
                rows = (
                    self._credentials_db()
                    .execute(
                        "SELECT config, based_on FROM connector_config WHERE connection = ? AND role = ?",
                        (connection, role),
                    )
                    .fetchall()
                )
            except sqlite3.DatabaseError as exc:
                raise _damaged(self.credentials_path, exc) from None
        if not rows or rows[0][1] != based_on:
            return None
        config: dict[str, Any] = orjson.loads(rows[0][0])
        return config

    def save_rotated_config(
        self, connection: str, role: str, config: Mapping[str, Any], based_on: str
    ) -> None:
        with self._lock:
            self._credentials_db().execute(
                "INSERT INTO connector_config (connection, role, config, based_on, updated_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT (connection, role) DO UPDATE SET config = excluded.config, "
                "based_on = excluded.based_on, updated_at = excluded.updated_at",
                (connection, role, orjson.dumps(config).decode(), based_on, utc_now()),
            )

    # ---------------------------------------------------------------------------------------------- history
    def start_run(self, connection: str, source: str, destination: str) -> int:
        """Record a new run (status ``running``); runs of this connection left ``running`` by a dead process are
        closed as failed first. Call with the connection's lock held."""
        now = utc_now()
        with self._tx() as db:
            # The error row too, so `runs show` names the origin of the failure like any other run's.
            db.execute(
                "INSERT INTO run_errors (run_id, origin, failure_type, message, stream, at) "
                "SELECT id, 'runner', 'system_error', ?, NULL, ? FROM runs "
                "WHERE connection = ? AND status = 'running'",
                (INTERRUPTED, now, connection),
            )
            db.execute(
                "UPDATE runs SET status = 'failed', failure_type = 'system_error', error = ?, ended_at = ? "
                "WHERE connection = ? AND status = 'running'",
                (INTERRUPTED, now, connection),
            )
            cursor = db.execute(
                "INSERT INTO runs (connection, source, destination, status, started_at, pid) "
                "VALUES (?, ?, ?, 'running', ?, ?)",
                (connection, source, destination, now, os.getpid()),
            )
            return int(cursor.lastrowid or 0)

    def set_run_connectors(self, run_id: int, source: str, destination: str) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE runs SET source = ?, destination = ? WHERE id = ?", (source, destination, run_id)
            )

    def add_streams(self, run_id: int, streams: Mapping[tuple[str, str], str]) -> None:
        """Register the run's selected streams (``(namespace, name) -> sync_mode``)."""
        with self._tx() as db:
            db.executemany(
                "INSERT OR IGNORE INTO run_streams (run_id, namespace, stream, sync_mode) VALUES (?, ?, ?, ?)",
                [(run_id, ns, name, mode) for (ns, name), mode in streams.items()],
            )

    def add_rejection(
        self,
        run_id: int,
        origin: str,
        stream: str | None,
        record_id: str | None,
        message: str,
        reasons: list[dict[str, Any]],
    ) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO rejected_records (run_id, origin, stream, record_id, message, reasons) "
                "VALUES (?,?,?,?,?,?)",
                (run_id, origin, stream, record_id, message, orjson.dumps(reasons).decode()),
            )

    def replace_rejections(self, run_id: int, origin: str, entries: list[dict[str, Any]]) -> None:
        """Swap the rejections reported by ``origin`` for a more detailed list (the destination's
        rejected-records file)."""
        with self._tx() as db:
            db.execute("DELETE FROM rejected_records WHERE run_id = ? AND origin = ?", (run_id, origin))
            db.executemany(
                "INSERT INTO rejected_records (run_id, origin, stream, record_id, message, reasons) "
                "VALUES (?,?,?,?,?,?)",
                [
                    (
                        run_id,
                        origin,
                        e["stream"],
                        e["record_id"],
                        e["message"],
                        orjson.dumps(e["reasons"]).decode(),
                    )
                    for e in entries
                ],
            )

    def add_error(
        self, run_id: int, origin: str, failure_type: str, message: str, stream: str | None = None
    ) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO run_errors (run_id, origin, failure_type, message, stream, at) VALUES (?,?,?,?,?,?)",
                (run_id, origin, failure_type, message, stream, utc_now()),
            )

    def finish_run(
        self,
        run_id: int,
        status: str,
        *,
        stream_counts: Mapping[tuple[str, str], StreamCounts],
        stream_status: Mapping[tuple[str, str], str],
        failure_type: str | None,
        error: str | None,
        started: float,
    ) -> None:
        with self._tx() as db:
            self._write_counts(db, run_id, stream_counts)
            db.executemany(
                "UPDATE run_streams SET status = ? WHERE run_id = ? AND namespace = ? AND stream = ?",
                [(status_, run_id, ns, name) for (ns, name), status_ in stream_status.items()],
            )
            db.execute(
                "UPDATE runs SET status = ?, ended_at = ?, duration_s = ?, failure_type = ?, error = ? WHERE id = ?",
                (status, utc_now(), round(time.monotonic() - started, 3), failure_type, error, run_id),
            )

    @staticmethod
    def _write_counts(
        db: sqlite3.Connection, run_id: int, stream_counts: Mapping[tuple[str, str], StreamCounts]
    ) -> None:
        db.executemany(
            "INSERT INTO run_streams (run_id, namespace, stream, records_read, records_committed, records_rejected, "
            "records_source_rejected, states_committed, records_created, records_updated, records_unchanged, "
            "records_ignored) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (run_id, namespace, stream) DO UPDATE SET "
            "records_read = excluded.records_read, records_committed = excluded.records_committed, "
            "records_rejected = excluded.records_rejected, states_committed = excluded.states_committed, "
            "records_source_rejected = excluded.records_source_rejected, "
            "records_created = excluded.records_created, records_updated = excluded.records_updated, "
            "records_unchanged = excluded.records_unchanged, records_ignored = excluded.records_ignored",
            [
                (
                    run_id,
                    ns,
                    name,
                    c.read,
                    c.committed,
                    c.rejected,
                    c.source_rejected,
                    c.states,
                    *((c.outcomes or {}).get(o) for o in OUTCOMES),
                )
                for (ns, name), c in stream_counts.items()
            ],
        )
        db.executemany(
            "INSERT INTO record_changes (run_id, namespace, stream, field, change, reason, count) "
            "VALUES (?,?,?,?,?,?,?) ON CONFLICT (run_id, namespace, stream, field, change, reason) "
            "DO UPDATE SET count = excluded.count",
            [
                (run_id, ns, name, str(f), str(change), str(reason), n)
                for (ns, name), c in stream_counts.items()
                for (f, change, reason), n in c.changes.items()
            ],
        )

    # reading the history --------------------------------------------------------------------------------
    def runs(self, connection: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        sql = (
            "SELECT r.*, COALESCE(SUM(s.records_read), 0) AS records_read, "
            "COALESCE(SUM(s.records_committed - s.records_rejected - COALESCE(s.records_ignored, 0)), 0) "
            "AS records_written, "
            "COALESCE(SUM(s.records_rejected + s.records_source_rejected), 0) AS records_rejected, "
            "(SELECT e.origin FROM run_errors e WHERE e.run_id = r.id ORDER BY e.id LIMIT 1) AS failure_origin "
            "FROM runs r LEFT JOIN run_streams s ON s.run_id = r.id"
        )
        args: tuple[Any, ...] = ()
        if connection:
            sql += " WHERE r.connection = ?"
            args = (connection,)
        sql += " GROUP BY r.id ORDER BY r.id DESC LIMIT ?"
        return [dict(r) for r in self._query(sql, (*args, limit))]

    def run(self, run_id: int) -> dict[str, Any] | None:
        rows = self._query("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not rows:
            return None
        detail = dict(rows[0])
        detail["streams"] = [
            {
                "namespace": r["namespace"] or None,
                "stream": r["stream"],
                "sync_mode": r["sync_mode"],
                "status": r["status"],
                "records_read": r["records_read"],
                "records_written": r["records_committed"]
                - r["records_rejected"]
                - (r["records_ignored"] or 0),
                "records_rejected": r["records_rejected"] + r["records_source_rejected"],
                "states_committed": r["states_committed"],
                # what the destination did per record, when it reports it
                **(
                    {f"records_{o}": r[f"records_{o}"] for o in OUTCOMES}
                    if any(r[f"records_{o}"] is not None for o in OUTCOMES)
                    else {}
                ),
            }
            for r in self._query(
                "SELECT * FROM run_streams WHERE run_id = ? ORDER BY namespace, stream", (run_id,)
            )
        ]
        detail["record_changes"] = [
            {
                "stream": r["stream"],
                "namespace": r["namespace"] or None,
                "field": r["field"],
                "change": r["change"],
                "reason": r["reason"],
                "records": r["count"],
            }
            for r in self._query(
                "SELECT * FROM record_changes WHERE run_id = ? ORDER BY namespace, stream, count DESC, field",
                (run_id,),
            )
        ]
        detail["rejected_records"] = [
            {
                "origin": r["origin"],
                "stream": r["stream"],
                "record_id": r["record_id"],
                "message": r["message"],
                "reasons": orjson.loads(r["reasons"]),
            }
            for r in self._query("SELECT * FROM rejected_records WHERE run_id = ? ORDER BY id", (run_id,))
        ]
        detail["errors"] = [
            {
                "origin": r["origin"],
                "failure_type": r["failure_type"],
                "message": r["message"],
                "stream": r["stream"],
                "at": r["at"],
            }
            for r in self._query("SELECT * FROM run_errors WHERE run_id = ? ORDER BY id", (run_id,))
        ]
        # Who failed the run: the origin of its first error (the one in ``error`` / ``failure_type``).
        detail["failure_origin"] = detail["errors"][0]["origin"] if detail["errors"] else None
        return detail
