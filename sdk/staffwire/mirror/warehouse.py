"""Where the mirror lives: an embedded DuckDB file (the default) or a PostgreSQL server.

Both speak the same SQL for the mirror's few statements (``->>`` on JSON, window functions, ``IS DISTINCT FROM``);
what differs is connecting, the JSON column type and how a spool file of records is loaded in bulk:
DuckDB reads it with ``read_json``, PostgreSQL takes it through ``COPY ... FROM STDIN``.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from staffwire.errors import ConfigError
from staffwire.mirror.extract import SOURCE

__all__ = ["DuckDBWarehouse", "PostgresWarehouse", "Warehouse", "describe_url", "open_warehouse"]

#: DuckDB's buffer pool for the mirror (spills to disk beyond it).
DUCKDB_MEMORY_LIMIT = "512MB"

#: Rows per row group in the mirror's tables: half a loader batch (a multiple of DuckDB's vector size, 2,048).
ROW_GROUP_SIZE = 10_240
#: The file format's version: 1.2 is the first with zstd-compressed strings (any DuckDB >= 1.2 reads it).
STORAGE_VERSION = "v1.2.0"
#: DuckDB's buffer pool while a run lands (the loader only ever works on one batch; the rest is on disk);
#: ``STAFFWIRE_MIRROR_MEMORY`` overrides it.
LOADER_MEMORY_LIMIT = "96MB"
#: ...which a batch of large records may double, up to this, when DuckDB runs out of it.
LOADER_MEMORY_CEILING = 2 << 30
#: DuckDB threads of the connection that lands a run.
LOADER_THREADS = int(os.environ.get("STAFFWIRE_MIRROR_THREADS", "1"))

#: The staging columns a batch of spooled lines becomes (:func:`staffwire.mirror.extract.select_columns`).
STAGE_COLUMNS = (
    ("stream", "VARCHAR"),
    ("record_id", "VARCHAR"),
    ("cursor_value", "VARCHAR"),
    ("content_hash", "VARCHAR"),
    ("deleted_at", "VARCHAR"),
    ("emitted_at", "BIGINT"),
    ("seq", "BIGINT"),
    ("trail_value", "VARCHAR"),
    ("original_status", "VARCHAR"),
    ("remote_updated_at", "VARCHAR"),
    ("owner_id", "VARCHAR"),
    ("candidate_id", "VARCHAR"),
    ("job_id", "VARCHAR"),
    ("meta", "JSON"),
    ("data", "JSON"),
)


class Warehouse:
    """A connection to the mirror's database; used from one thread at a time."""

    kind = ""
    json_type = "JSON"
    where = ""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def execute_count(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT or DELETE; the number of rows it inserted or deleted."""
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def load_lines(self, path: Path, table: str, columns: list[str], select: str) -> int:
        """Append the spooled RECORD lines of ``path`` to ``table`` (:mod:`staffwire.mirror.extract`); how many."""
        raise NotImplementedError

    def tune_for_loading(self, scratch: Path) -> None:
        """Settings for a connection that lands a run (not for the audit's or the report's reads); ``scratch`` is
        the run's private temporary directory."""

    def begin(self) -> None:
        """Start a transaction (PostgreSQL's connection is always in one until commit)."""

    def rollback(self) -> None:
        """Undo the open transaction (nothing when none is open)."""
        raise NotImplementedError

    def more_memory(self, error: Exception) -> bool:
        """When ``error`` says the database ran out of its memory limit: raise the limit, True (try again)."""
        return False

    def commit(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class DuckDBWarehouse(Warehouse):
    kind = "duckdb"
    json_type = "JSON"

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        duckdb = _require("duckdb", "mirror")

        self.path = path
        self.where = f"DuckDB file {path}"
        try:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            if read_only:
                self._con = duckdb.connect(str(path), read_only=True)
            else:
                # Row groups of half a loader batch: a batch of new records fills whole row groups, which DuckDB
                # writes straight into the file at the insert (not through the WAL and again at a checkpoint);
                # with its default (122,880 rows) every checkpoint rewrote the growing last row group.
                self._con = duckdb.connect(":memory:")
                literal = "'" + str(path).replace("'", "''") + "'"
                self._con.execute(
                    f"ATTACH {literal} AS mirror (ROW_GROUP_SIZE {ROW_GROUP_SIZE}, STORAGE_VERSION '{STORAGE_VERSION}')"
                )
                self._con.execute("USE mirror")
                # Spill next to the file, as DuckDB does for a file opened directly (not ".tmp" in the working
                # directory, its default for the in-memory database this connection starts from).
                self._con.execute(f"SET temp_directory = {_literal(str(path) + '.tmp')}")
        except (OSError, duckdb.Error) as exc:
            reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
            raise ConfigError(
                f"the mirror at {path} cannot be {'read' if read_only else 'written'}: {reason}. Point the mirror "
                "at a writable place (mirror: in the connection file, or --mirror PATH)."
            ) from None
        # A bounded buffer pool: the mirror's memory must not grow with the mirror (DuckDB's default is 80% of RAM).
        self._con.execute("SET preserve_insertion_order = false")
        self._con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
        self._memory = _bytes(DUCKDB_MEMORY_LIMIT)
        # DuckDB draws a progress bar on the terminal for statements that take a few seconds: not in a sync's output.
        self._con.execute("SET enable_progress_bar = false")

    def tune_for_loading(self, scratch: Path) -> None:
        # What does not fit the loader's memory limit spills to the run's private directory (DuckDB's default for
        # a connection like this one is ".tmp" in the working directory).
        self._con.execute(f"SET temp_directory = {_literal(str(scratch / 'duckdb'))}")
        self._memory = _bytes(os.environ.get("STAFFWIRE_MIRROR_MEMORY") or LOADER_MEMORY_LIMIT)
        self._con.execute(f"SET memory_limit = '{self._memory}B'")
        # One thread: the loader runs beside the relay and the connectors; DuckDB's parallelism on one batch cost
        # twice the CPU for no gain in wall time on two cores.
        self._con.execute(f"SET threads = {LOADER_THREADS}")
        import duckdb

        # zstd for every column the loader writes: DuckDB's default tries dictionary and FSST compression on each
        # string segment (about a third of the load's CPU, most of it on the versions' JSON and the md5 hashes);
        # zstd is cheaper and the file a third the size. A debug setting: without it, DuckDB picks as usual.
        with contextlib.suppress(duckdb.Error):
            self._con.execute("SET force_compression = 'zstd'")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._con.execute(_inline(sql, params))

    def execute_count(self, sql: str, params: Sequence[Any] = ()) -> int:
        row = self._con.execute(_inline(sql, params)).fetchone()
        return int(row[0]) if row else 0

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._con.execute(_inline(sql, params)).fetchall()]

    def begin(self) -> None:
        self._con.execute("BEGIN TRANSACTION")

    def rollback(self) -> None:
        import duckdb

        with contextlib.suppress(duckdb.TransactionException):
            self._con.execute("ROLLBACK")

    def more_memory(self, error: Exception) -> bool:
        import duckdb

        if not isinstance(error, duckdb.OutOfMemoryException) or self._memory >= LOADER_MEMORY_CEILING:
            return False
        self._memory = min(self._memory * 2, LOADER_MEMORY_CEILING)
        self._con.execute(f"SET memory_limit = '{self._memory}B'")
        return True

    def load_lines(self, path: Path, table: str, columns: list[str], select: str) -> int:
        if not path.stat().st_size:
            return 0
        # The path inline, not as a parameter: a prepared read_json plans several times slower.
        literal = "'" + str(path).replace("'", "''") + "'"
        message = "STRUCT(record STRUCT(stream VARCHAR, emitted_at DOUBLE, data JSON, meta JSON))"
        return self.execute_count(
            f"INSERT INTO {table} ({', '.join(columns)}) WITH {SOURCE} AS (SELECT m.record.stream AS stream, "
            "m.record.data AS data, m.record.meta AS meta, CAST(m.record.emitted_at AS BIGINT) AS emitted_at, "
            f"n AS seq FROM read_json({literal}, format = 'newline_delimited', "
            f"columns = {{'n': 'BIGINT', 'm': '{message}'}})) {select}"
        )

    def commit(self) -> None:
        import duckdb

        # No transaction open: every statement was committed on its own.
        with contextlib.suppress(duckdb.TransactionException):
            self._con.execute("COMMIT")

    def close(self) -> None:
        self._con.close()


class PostgresWarehouse(Warehouse):
    kind = "postgresql"
    json_type = "JSONB"

    def __init__(self, url: str) -> None:
        psycopg = _require("psycopg", "postgres")

        self.where = f"PostgreSQL {describe_url(url)}"
        try:
            self._con = psycopg.connect(url, connect_timeout=10, autocommit=False)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            password = urlsplit(url).password
            if password:
                reason = reason.replace(password, "***").replace(unquote(password), "***")
            raise ConfigError(
                f"the mirror's PostgreSQL server refused the connection ({describe_url(url)}): {reason}. Check that "
                "the server runs and accepts this user from this machine, and the password in the URL's "
                "environment variable."
            ) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._con.execute(_pg(sql), list(params) or None)

    def execute_count(self, sql: str, params: Sequence[Any] = ()) -> int:
        return max(self._con.execute(_pg(sql), list(params) or None).rowcount, 0)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._con.execute(_pg(sql), list(params) or None).fetchall()]

    def load_lines(self, path: Path, table: str, columns: list[str], select: str) -> int:
        # Each line taken verbatim as one jsonb: CSV mode with quote and delimiter bytes that JSON text never holds
        # raw (JSON escapes control characters), so COPY reinterprets nothing.
        self._con.execute("CREATE TEMP TABLE IF NOT EXISTS mirror_spool (doc JSONB)")
        self._con.execute("TRUNCATE mirror_spool")
        with (
            self._con.cursor() as cur,
            cur.copy(
                "COPY mirror_spool (doc) FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
            ) as copy,
            path.open("rb") as f,
        ):
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        return self.execute_count(
            f"INSERT INTO {table} ({', '.join(columns)}) WITH {SOURCE} AS (SELECT doc->'m'->'record'->>'stream' "
            "AS stream, doc->'m'->'record'->'data' AS data, doc->'m'->'record'->'meta' AS meta, "
            "(doc->'m'->'record'->>'emitted_at')::double precision::bigint AS emitted_at, (doc->>'n')::bigint AS seq "
            f"FROM mirror_spool) {select}"
        )

    def rollback(self) -> None:
        self._con.rollback()

    def commit(self) -> None:
        self._con.commit()

    def close(self) -> None:
        self._con.close()


def _bytes(size: str) -> int:
    """``96MB`` -> bytes (DuckDB's units: KB/MB/GB are 1,000-based, KiB/MiB/GiB 1,024-based)."""
    units = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30}
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", size)
    if match is None or match.group(2).upper() not in units:
        raise ConfigError(f"STAFFWIRE_MIRROR_MEMORY: {size!r} is not a size like 96MB or 1GB.")
    return int(float(match.group(1)) * units[match.group(2).upper()])


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _inline(sql: str, params: Sequence[Any]) -> str:
    """``?`` placeholders replaced by SQL literals: DuckDB plans a prepared statement with parameters several times
    slower for the mirror's bulk statements (the values are the runner's own: names, ids, times)."""
    if not params:
        return sql
    parts = sql.split("?")
    if len(parts) != len(params) + 1:
        raise ValueError(f"{len(parts) - 1} placeholders for {len(params)} values in: {sql[:80]}")
    out = [parts[0]]
    for value, part in zip(params, parts[1:], strict=True):
        out += [_literal(value), part]
    return "".join(out)


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


def describe_url(url: str) -> str:
    """``host:port as user (database db)``: what a message may say about a server URL (never the password)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = parts.port or 5432
    user = unquote(parts.username) if parts.username else os.environ.get("PGUSER") or "(default user)"
    database = parts.path.lstrip("/") or user
    return f"host {host}, port {port}, user {user}, database {database}"


def open_warehouse(target: str | Path, *, read_only: bool = False) -> Warehouse:
    """A DuckDB file path (or ``duckdb:///path``) or a ``postgresql://`` URL."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresWarehouse(text)
    if text.startswith("duckdb://"):
        text = text[len("duckdb://") :]
    return DuckDBWarehouse(Path(text).expanduser(), read_only=read_only)


def _require(module: str, extra: str) -> Any:
    """Import the mirror's database driver, or say how to install it (it is an extra of the SDK's package)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConfigError(
            f"the mirror needs the Python package {module!r}, which is not installed: "
            f"pip install 'staffwire[{extra}]' (or turn the mirror off)."
        ) from None
