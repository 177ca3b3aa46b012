"""The mirror's tables (the same in DuckDB and PostgreSQL; JSON columns are JSONB on PostgreSQL).

- ``mirror_records``: the current version of every record, per connection and stream (raw and standard streams).
  A soft-deleted record stays, with ``deleted_at`` set; ``data`` is the record as the source sent it and ``meta``
  its Airbyte record meta (``changes``).
- ``mirror_versions``: every version the runner saw: one row each time a record's content hash changed, with the
  run that saw it and when (``seen_at``). The history of any record is ``WHERE record_id = ?`` here.
- ``mirror_stage_changes``: the audit trail of stage edits: each observed change of a ``submissions`` record's
  ``stage`` and of a ``candidates`` record's ``status``, old and new value, the source's own word
  (``original_status``), when the source says it changed (``remote_updated_at``), who owns it there (``owner_id``),
  and the run and time the runner learned it.
- ``mirror_runs``: which runs landed how many records.
- ``mirror_audits``: the outcome of each ``staffwire audit`` per stream (the report's drift chart).
"""

from __future__ import annotations

from staffwire.mirror.warehouse import Warehouse

__all__ = ["create_tables"]

_RECORD_COLUMNS = """
    connection VARCHAR NOT NULL,
    stream VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    cursor_value VARCHAR,
    content_hash VARCHAR NOT NULL,
    deleted_at VARCHAR,
    data {json},
    meta {json},
    emitted_at BIGINT,
"""


def create_tables(db: Warehouse) -> None:
    json = db.json_type
    statements = [
        "CREATE TABLE IF NOT EXISTS mirror_records ("
        + _RECORD_COLUMNS.format(json=json)
        + " trail_value VARCHAR, first_run BIGINT, last_run BIGINT, seen_at VARCHAR"
        # DuckDB joins by hashing; a key index there would only cost memory that grows with the mirror.
        + (", PRIMARY KEY (connection, stream, record_id))" if db.kind == "postgresql" else ")"),
        "CREATE TABLE IF NOT EXISTS mirror_versions ("
        + _RECORD_COLUMNS.format(json=json)
        + " run_id BIGINT NOT NULL, seen_at VARCHAR NOT NULL)",
        """CREATE TABLE IF NOT EXISTS mirror_stage_changes (
            connection VARCHAR NOT NULL, stream VARCHAR NOT NULL, record_id VARCHAR NOT NULL,
            field VARCHAR NOT NULL, old_value VARCHAR, new_value VARCHAR, original_status VARCHAR,
            remote_updated_at VARCHAR, owner_id VARCHAR, candidate_id VARCHAR, job_id VARCHAR,
            run_id BIGINT NOT NULL, seen_at VARCHAR NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS mirror_runs (
            connection VARCHAR NOT NULL, run_id BIGINT NOT NULL, records BIGINT NOT NULL,
            changed BIGINT NOT NULL, landed_at VARCHAR NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS mirror_audits (
            connection VARCHAR NOT NULL, audited_at VARCHAR NOT NULL, stream VARCHAR NOT NULL,
            in_source BIGINT, in_mirror BIGINT, missing BIGINT, extra BIGINT, changed BIGINT)""",
    ]
    for sql in statements:
        db.execute(sql)
    if db.kind == "postgresql":
        db.execute(
            "CREATE INDEX IF NOT EXISTS mirror_versions_record ON mirror_versions (connection, stream, record_id)"
        )
        db.execute(
            "CREATE INDEX IF NOT EXISTS mirror_stage_changes_record ON mirror_stage_changes (connection, record_id)"
        )
    db.commit()
