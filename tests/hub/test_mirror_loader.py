"""The mirror's loader on its own (staffwire.mirror.MirrorWriter into an embedded DuckDB file): what each stream's
identity becomes in the mirror, batches that cross the loader's boundaries, and a batch too large for the
loader's memory limit. The runs through the runner are in test_mirror.py."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from staffwire.mirror import MirrorWriter, StreamIdentity, open_warehouse
from staffwire.mirror.writer import BATCH


def _line(stream: str, data: dict[str, object], meta: dict[str, object] | None = None) -> bytes:
    record: dict[str, object] = {"stream": stream, "emitted_at": 1700000000000, "data": data}
    if meta:
        record["meta"] = meta
    return orjson.dumps({"type": "RECORD", "record": record})


def _query(path: Path, sql: str) -> list[tuple[object, ...]]:
    db = open_warehouse(path, read_only=True)
    try:
        return db.query(sql)
    finally:
        db.close()


IDENTITIES = {
    "placements": StreamIdentity((("job", "id"), ("candidate",)), ("updated", "at"), ("gone",)),
    "notes": StreamIdentity((), ()),
    "candidates": StreamIdentity((("id",),), ("remote_updated_at",), ("remote_deleted_at",)),
    "submissions": StreamIdentity((("id",),), ("remote_updated_at",)),
}


def test_each_stream_is_keyed_by_its_own_identity_from_one_parse(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror.duckdb"
    writer = MirrorWriter(mirror, "crm", 1, IDENTITIES)
    writer.add_line(
        _line("placements", {"job": {"id": 7}, "candidate": "c-1", "updated": {"at": 1700}, "gone": None})
    )
    writer.add_line(
        _line("placements", {"job": {"id": 8}, "updated": {"at": "2024-01-01"}, "gone": "2024-02-02"})
    )
    writer.add_line(_line("notes", {"text": "called back"}))
    writer.add_line(
        _line(
            "submissions",
            {"id": "s-1", "stage": "interview", "original_status": "Phone screen", "owner": {"id": "u-9"},
             "candidate_id": "c-1", "job_id": "j-1", "remote_updated_at": "2024-03-01T10:00:00Z"},
            {"changes": [{"field": "notes", "change": "TRUNCATED", "reason": "SOURCE_FIELD_SIZE_LIMITATION"}]},
        )
    )  # fmt: skip
    writer.add_line(_line("candidates", {"id": "c-1", "status": "active", "remote_deleted_at": "2024-04-01"}))
    assert writer.finish() == {"records": 5, "changed": 5}
    rows = _query(
        mirror,
        "SELECT stream, record_id, cursor_value, deleted_at FROM mirror_records WHERE stream <> 'notes' "
        "ORDER BY stream, record_id",
    )
    assert rows == [
        ("candidates", "c-1", None, "2024-04-01"),
        ("placements", "7|c-1", "1700", None),  # composite key: parts joined by |; numbers as their JSON text
        ("placements", "8|", "2024-01-01", "2024-02-02"),  # a missing part is empty
        ("submissions", "s-1", "2024-03-01T10:00:00Z", None),
    ]
    # A stream without a key is keyed by the content hash of its data.
    [(note_id, note_hash)] = _query(
        mirror, "SELECT record_id, content_hash FROM mirror_records WHERE stream = 'notes'"
    )
    assert note_id == note_hash and len(note_hash) == 32
    trail = _query(
        mirror,
        "SELECT stream, record_id, field, old_value, new_value, original_status, remote_updated_at, owner_id, "
        "candidate_id, job_id FROM mirror_stage_changes ORDER BY stream",
    )
    assert trail == [
        ("candidates", "c-1", "status", None, "active", None, None, None, None, None),
        ("submissions", "s-1", "stage", None, "interview", "Phone screen", "2024-03-01T10:00:00Z", "u-9", "c-1", "j-1"),
    ]  # fmt: skip
    [(meta,)] = _query(mirror, "SELECT meta FROM mirror_current WHERE stream = 'submissions'")
    assert orjson.loads(meta)["changes"][0]["change"] == "TRUNCATED"


def test_a_record_sent_again_in_a_later_batch_is_one_record_with_its_last_version(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror.duckdb"
    ids = {"candidates": IDENTITIES["candidates"]}
    writer = MirrorWriter(mirror, "crm", 1, ids)
    total = BATCH + 100  # two batches: the loader's boundary is crossed
    for i in range(total):
        writer.add_line(_line("candidates", {"id": f"c-{i}", "status": "new"}))
    writer.add_line(_line("candidates", {"id": "c-3", "status": "placed"}))  # c-3 again, in the second batch
    writer.add_line(_line("candidates", {"id": "c-3", "status": "placed"}))  # and once more, unchanged
    assert writer.finish() == {"records": total + 2, "changed": total + 1}
    assert _query(mirror, "SELECT count(*), count(DISTINCT record_id) FROM mirror_records") == [
        (total, total)
    ]
    assert _query(
        mirror,
        "SELECT c.data->>'status', r.version_seq FROM mirror_current c JOIN mirror_records r USING (record_id) "
        "WHERE record_id = 'c-3'",
    ) == [("placed", total + 2)]  # the last line that carried it (sequence numbers start at 1)
    assert _query(
        mirror,
        "SELECT old_value, new_value FROM mirror_stage_changes WHERE record_id = 'c-3' ORDER BY new_value",
    ) == [(None, "new"), ("new", "placed")]


def test_a_batch_larger_than_the_loaders_memory_limit_lands_with_a_larger_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAFFWIRE_MIRROR_MEMORY", "8MB")
    mirror = tmp_path / "mirror.duckdb"
    writer = MirrorWriter(mirror, "crm", 1, {"candidates": IDENTITIES["candidates"]})
    notes = "x" * 40_000
    for i in range(400):  # 16MB of records: more than 8MB of DuckDB memory can load in one batch
        writer.add_line(_line("candidates", {"id": f"c-{i}", "status": "new", "notes": f"{notes}{i}"}))
    assert writer.finish() == {"records": 400, "changed": 400}
    assert _query(mirror, "SELECT count(*), sum(length(data->>'notes')) FROM mirror_current") == [
        (400, 400 * 40_000 + sum(len(str(i)) for i in range(400)))
    ]


def test_a_memory_limit_that_is_not_a_size_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from staffwire.errors import ConfigError

    monkeypatch.setenv("STAFFWIRE_MIRROR_MEMORY", "lots")
    with pytest.raises(ConfigError, match="STAFFWIRE_MIRROR_MEMORY: 'lots' is not a size like 96MB or 1GB"):
        MirrorWriter(tmp_path / "mirror.duckdb", "crm", 1, {})
