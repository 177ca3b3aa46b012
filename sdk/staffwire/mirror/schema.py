"""The mirror's tables (the same in DuckDB and PostgreSQL; JSON columns are JSONB on PostgreSQL).

- ``mirror_versions``: every version of every record the runner saw, per connection and stream (raw and standard
  streams): one row each time a record's content hash changed, with ``data`` as the source sent it, ``meta`` its
  Airbyte record meta (``changes``), the run that saw it and when (``run_id``, ``seq``, ``seen_at``).
- ``mirror_records``: one row per record: its current cursor, content hash, ``deleted_at`` (a soft-deleted
  record stays, marked), when it was first and last seen, and which version is current (``version_run``,
  ``version_seq``). It carries no data, so the audit and the merges stay light.
- ``mirror_current`` (a view): the current records with their ``data`` and ``meta``; what to query.
- ``mirror_stage_changes``: the audit trail of stage edits: each observed change of a ``submissions`` record's
  ``stage`` and of a ``candidates`` record's ``status``, old and new value, the source's own word
  (``original_status``), when the source says it changed (``remote_updated_at``), who owns it there (``owner_id``),
  and the run and time the runner learned it.
- ``mirror_runs``: which runs landed how many records; ``mirror_audits``: each ``staffwire audit`` per stream.
"""

from __future__ import annotations

from staffwire.mirror.warehouse import Warehouse

__all__ = ["create_tables"]


def create_tables(db: Warehouse) -> None:
    json = db.json_type
    key = ", PRIMARY KEY (connection, stream, record_id)" if db.kind == "postgresql" else ""
    statements = [
        # DuckDB joins by hashing; a key index there would only cost memory that grows with the mirror.
        f"""CREATE TABLE IF NOT EXISTS mirror_records (
            connection VARCHAR NOT NULL, stream VARCHAR NOT NULL, record_id VARCHAR NOT NULL,
            cursor_value VARCHAR, content_hash VARCHAR NOT NULL, deleted_at VARCHAR, trail_value VARCHAR,
            first_run BIGINT, last_run BIGINT, seen_at VARCHAR, version_run BIGINT, version_seq BIGINT{key})""",
        f"""CREATE TABLE IF NOT EXISTS mirror_versions (
            connection VARCHAR NOT NULL, stream VARCHAR NOT NULL, record_id VARCHAR NOT NULL,
            cursor_value VARCHAR, content_hash VARCHAR NOT NULL, deleted_at VARCHAR, data {json}, meta {json},
            emitted_at BIGINT, run_id BIGINT NOT NULL, seq BIGINT NOT NULL, seen_at VARCHAR NOT NULL)""",
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
        """CREATE OR REPLACE VIEW mirror_current AS
            SELECT r.connection, r.stream, r.record_id, r.cursor_value, r.content_hash, r.deleted_at, v.data, v.meta,
                   v.emitted_at, r.first_run, r.last_run, r.seen_at
            FROM mirror_records r JOIN mirror_versions v
              ON v.connection = r.connection AND v.run_id = r.version_run AND v.seq = r.version_seq""",
    ]
    for sql in statements:
        db.execute(sql)
    if db.kind == "postgresql":
        for sql in (
            "CREATE INDEX IF NOT EXISTS mirror_versions_record ON mirror_versions (connection, stream, record_id)",
            "CREATE UNIQUE INDEX IF NOT EXISTS mirror_versions_key ON mirror_versions (connection, run_id, seq)",
            "CREATE INDEX IF NOT EXISTS mirror_stage_changes_record ON mirror_stage_changes (connection, record_id)",
        ):
            db.execute(sql)
    db.commit()
