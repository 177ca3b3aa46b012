"""The SQL that turns spooled RECORD lines into the mirror's columns, per warehouse.

The relay spools each RECORD line as it crossed (``{"n": <seq>, "m": <the line>}``): no per-record work in
Python. The warehouse parses it once and takes out, per stream, what the mirror keys records by (its primary key,
cursor and soft-delete field: :class:`~staffwire.mirror.writer.StreamIdentity`), the content hash of ``data``,
and the fields the stage-edit trail needs.

In DuckDB every field a stream needs comes from one ``json_extract_string(data, [paths])`` per record: one parse
of ``data`` returning all of them as a list. Ten separate ``json_extract_string`` calls (one per column, each
behind a ``CASE`` on the stream, which DuckDB does not deduplicate) parsed every record ten times and were most of
the mirror's cost. PostgreSQL's ``jsonb`` is parsed once on the way in, so its per-field operators stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from staffwire.mirror.writer import StreamIdentity

__all__ = ["SOURCE", "TRAILED", "select_columns"]

#: Standard streams whose status field the audit trail follows, and that field.
TRAILED = {"submissions": "stage", "candidates": "status"}
_TRAIL_FIELDS = {
    "original_status": ("original_status",),
    "remote_updated_at": ("remote_updated_at",),
    "owner_id": ("owner", "id"),
    "candidate_id": ("candidate_id",),
    "job_id": ("job_id",),
}
#: The relation :func:`select_columns`' query reads: ``stream``, ``data``, ``meta``, ``emitted_at``, ``seq`` (the
#: warehouse's loader defines it over the spool file).
SOURCE = "mirror_source"
#: DuckDB's helper column: the list of a record's extracted fields; never stored.
_FIELDS = "_fields"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _json_path(path: Sequence[str]) -> str:
    return "$." + ".".join('"' + p.replace('"', '\\"') + '"' for p in path)


def _field(kind: str, data: str, path: Sequence[str]) -> str:
    """SQL text for the value at ``path`` inside the JSON ``data`` (NULL when absent)."""
    if kind == "duckdb":
        return f"json_extract_string({data}, {_quote(_json_path(path))})"
    pg_path = "{" + ",".join('"' + p.replace('"', '\\"') + '"' for p in path) + "}"
    return f"({data} #>> {_quote(pg_path)})"


def _by_stream(stream: str, cases: Mapping[str, str], default: str = "NULL") -> str:
    if not cases:
        return default
    return (
        "CASE "
        + " ".join(f"WHEN {stream} = {_quote(s)} THEN {expr}" for s, expr in cases.items())
        + (f" ELSE {default} END")
    )


def _key(parts: Sequence[str]) -> str:
    """A record id from its primary key's parts (composite keys joined by ``|``, a missing part as empty)."""
    if len(parts) == 1:
        return parts[0]
    return "concat_ws('|', " + ", ".join(f"COALESCE({p}, '')" for p in parts) + ")"


def _stream_paths(identity: StreamIdentity | None, stream: str) -> dict[str, list[tuple[str, ...]]]:
    """What the mirror needs from one stream's ``data``: column -> JSON paths (the key's parts for record_id)."""
    wanted: dict[str, list[tuple[str, ...]]] = {}
    if identity is not None:
        if identity.primary_key:
            wanted["record_id"] = list(identity.primary_key)
        if identity.cursor:
            wanted["cursor_value"] = [identity.cursor]
        if identity.deleted:
            wanted["deleted_at"] = [identity.deleted]
    if stream in TRAILED:
        wanted["trail_value"] = [(TRAILED[stream],)]
        wanted.update({name: [path] for name, path in _TRAIL_FIELDS.items()})
    return wanted


def select_columns(
    kind: str, identities: Mapping[str, StreamIdentity], *, keep_data: bool = True
) -> tuple[list[str], str]:
    """(column names, the query that gives them) over :data:`SOURCE`; without ``keep_data``, only the fingerprints
    (the audit's scan)."""
    if kind == "duckdb":
        return _duckdb_columns(identities, keep_data)
    hash_ = "md5(data::text)"
    keys = {
        s: _key([_field(kind, "data", p) for p in i.primary_key])
        for s, i in identities.items()
        if i.primary_key
    }
    cursors = {s: _field(kind, "data", i.cursor) for s, i in identities.items() if i.cursor}
    deleted = {s: _field(kind, "data", i.deleted) for s, i in identities.items() if i.deleted}
    columns = {
        "stream": "stream",
        "record_id": f"COALESCE({_by_stream('stream', keys, hash_)}, {hash_})",
        "cursor_value": _by_stream("stream", cursors),
        "content_hash": hash_,
        "deleted_at": _by_stream("stream", deleted),
        "emitted_at": "emitted_at",
        "seq": "seq",
        "trail_value": _by_stream("stream", {s: _field(kind, "data", (f,)) for s, f in TRAILED.items()}),
        **{
            name: _by_stream("stream", {s: _field(kind, "data", path) for s in TRAILED})
            for name, path in _TRAIL_FIELDS.items()
        },
        **({"meta": "meta", "data": "data"} if keep_data else {}),
    }
    return list(columns), f"SELECT {', '.join(f'{e} AS {n}' for n, e in columns.items())} FROM {SOURCE}"


def _duckdb_columns(identities: Mapping[str, StreamIdentity], keep_data: bool) -> tuple[list[str], str]:
    # The same content hash as before (md5 of DuckDB's text of the parsed data): mirrors landed by earlier
    # versions keep comparing equal.
    hash_ = "md5(CAST(data AS VARCHAR))"
    lists: dict[str, str] = {}
    per_column: dict[str, dict[str, str]] = {}
    for stream in [*identities, *(s for s in TRAILED if s not in identities)]:
        wanted = _stream_paths(identities.get(stream), stream)
        if not wanted:
            continue
        paths: list[tuple[str, ...]] = []
        for column_paths in wanted.values():
            paths += [p for p in column_paths if p not in paths]
        lists[stream] = "json_extract_string(data, [" + ", ".join(_quote(_json_path(p)) for p in paths) + "])"
        for column, column_paths in wanted.items():
            parts = [f"{_FIELDS}[{paths.index(p) + 1}]" for p in column_paths]
            per_column.setdefault(column, {})[stream] = _key(parts) if column == "record_id" else parts[0]
    record_id = per_column.get("record_id", {})
    columns = {
        "stream": "stream",
        "record_id": f"COALESCE({_by_stream('stream', record_id, hash_)}, {hash_})" if record_id else hash_,
        "cursor_value": _by_stream("stream", per_column.get("cursor_value", {})),
        "content_hash": hash_,
        "deleted_at": _by_stream("stream", per_column.get("deleted_at", {})),
        "emitted_at": "emitted_at",
        "seq": "seq",
        "trail_value": _by_stream("stream", per_column.get("trail_value", {})),
        **{name: _by_stream("stream", per_column.get(name, {})) for name in _TRAIL_FIELDS},
        **({"meta": "meta", "data": "data"} if keep_data else {}),
    }
    # The list in a subquery, not a lateral alias: DuckDB substitutes an alias into every expression that uses it
    # (one parse per column again).
    select = ", ".join(f"{e} AS {n}" for n, e in columns.items())
    return list(columns), (
        f"SELECT {select} FROM (SELECT *, {_by_stream('stream', lists)} AS {_FIELDS} FROM {SOURCE}) {SOURCE}"
    )
