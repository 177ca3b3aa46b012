"""The SQL that turns spooled RECORD lines into the mirror's columns, per warehouse.

The relay spools each RECORD line as it crossed (``{"n": <seq>, "m": <the line>}``): no per-record work in
Python. The warehouse parses it once and takes out, per stream, what the mirror keys records by (its primary key,
cursor and soft-delete field: :class:`~staffwire.mirror.writer.StreamIdentity`), the content hash of ``data``,
and the fields the stage-edit trail needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from staffwire.mirror.writer import StreamIdentity

__all__ = ["TRAILED", "select_columns"]

#: Standard streams whose status field the audit trail follows, and that field.
TRAILED = {"submissions": "stage", "candidates": "status"}
_TRAIL_FIELDS = {
    "original_status": ("original_status",),
    "remote_updated_at": ("remote_updated_at",),
    "owner_id": ("owner", "id"),
    "candidate_id": ("candidate_id",),
    "job_id": ("job_id",),
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _field(kind: str, data: str, path: Sequence[str]) -> str:
    """SQL text for the value at ``path`` inside the JSON ``data`` (NULL when absent)."""
    if kind == "duckdb":
        json_path = "$." + ".".join('"' + p.replace('"', '\\"') + '"' for p in path)
        return f"json_extract_string({data}, {_quote(json_path)})"
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


def select_columns(
    kind: str, identities: Mapping[str, StreamIdentity], *, keep_data: bool = True
) -> tuple[list[str], str]:
    """(column names, SELECT list) over a source with ``stream``, ``data``, ``meta``, ``emitted_at``, ``seq``;
    without ``keep_data``, only the fingerprints (the audit's scan)."""
    hash_ = "md5(CAST(data AS VARCHAR))" if kind == "duckdb" else "md5(data::text)"
    keys = {
        s: (
            "concat_ws('|', "
            + ", ".join(f"COALESCE({_field(kind, 'data', p)}, '')" for p in i.primary_key)
            + ")"
            if len(i.primary_key) > 1
            else _field(kind, "data", i.primary_key[0])
        )
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
    return list(columns), ", ".join(f"{expr} AS {name}" for name, expr in columns.items())
