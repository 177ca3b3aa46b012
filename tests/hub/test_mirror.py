"""Points 2 and 5 of issue 18: every run lands its raw and standard streams in the mirror (embedded DuckDB next to
the run history), with history, Airbyte meta, soft deletes, and the audit trail of stage edits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hub_support import (
    LEVER_PATCH,
    SALESFORCE_PATCH,
    SALESFORCE_RECORDS,
    SALESFORCE_STREAMS,
    Hub,
    advanced_lever_records,
)

MARK = "lever:9ea413b6-432a-4806-a6cb-683e55dda4c2"
LEVER = {"pack": "lever", "patch": LEVER_PATCH}
DOCS = Path(__file__).parents[2] / "docs" / "mirror.md"


def test_a_run_lands_raw_and_standard_streams_next_to_the_run_history(hub: Hub) -> None:
    result = hub.run(mapping=LEVER)
    assert result.status == "succeeded", result.error
    assert hub.mirror == hub.db.parent / "mirror.duckdb"
    counts = dict(hub.query("SELECT stream, count(*) FROM mirror_records GROUP BY stream"))
    # five opportunities of three people: five candidates lines, three candidates (junk phones nulled, not rejected)
    expected = {
        "applications": 5,
        "opportunities": 5,
        "submissions": 5,
        "placements": 1,
        "jobs": 2,
        "candidates": 3,
    }
    assert counts == expected
    # Raw records as the source sent them: Lever's own ids and fields.
    [(stage, updated)] = hub.query(
        "SELECT data->>'stage', cursor_value FROM mirror_current WHERE stream = 'opportunities' AND record_id = ?",
        ["9ea413b6-432a-4806-a6cb-683e55dda4c2"],
    )
    assert (stage, updated) == ("b0072803-e9e5-403f-b028-085646c1e7a6", "1628587931515")
    assert hub.query("SELECT connection, run_id, records, changed FROM mirror_runs") == [
        (
            "replay",
            result.run_id,
            26,
            21,
        )  # 26 lines landed; 21 records new (the repeated people are no change)
    ]


def test_a_second_run_adds_a_version_and_the_stage_edit_with_its_run_and_meta(
    hub: Hub, tmp_path: Path
) -> None:
    first = hub.run(mapping=LEVER)
    second = hub.run(records=advanced_lever_records(tmp_path), mapping=LEVER)
    assert (first.status, second.status) == ("succeeded", "succeeded")
    assert second.streams["opportunities"]["records_read"] == 1
    versions = hub.query(
        "SELECT run_id, data->>'stage' FROM mirror_versions WHERE stream = 'submissions' AND record_id = ? "
        "ORDER BY run_id",
        [MARK],
    )
    assert versions == [(first.run_id, "other"), (second.run_id, "offer")]
    [(meta,)] = hub.query(
        "SELECT meta FROM mirror_current WHERE stream = 'submissions' AND record_id = ?", [MARK]
    )
    assert '"TRUNCATED"' in meta and '"headline"' in meta
    trail = hub.query(
        "SELECT old_value, new_value, original_status, owner_id, run_id FROM mirror_stage_changes "
        "WHERE record_id = ? ORDER BY run_id",
        [MARK],
    )
    assert trail == [
        (None, "other", "b0072803-e9e5-403f-b028-085646c1e7a6", None, first.run_id),
        ("other", "offer", "offer", None, second.run_id),
    ]
    # Records the second run did not see are untouched: one version each.
    assert hub.query("SELECT count(*) FROM mirror_versions WHERE stream = 'submissions'") == [(6,)]


def test_the_documented_one_query_answers_who_moved_a_candidate_to_placed_and_when_we_learned_it(
    hub: Hub, tmp_path: Path
) -> None:
    records = tmp_path / "contacts.jsonl"
    rows = (
        SALESFORCE_RECORDS[1]
        .read_text()
        .replace('"ts2__People_Status__c": "Active"', '"ts2__People_Status__c": "Placed"')
    )
    rows = rows.replace(
        '"SystemModstamp": "2024-03-01T09:00:00.000+0000"', '"SystemModstamp": "2024-03-05T11:00:00.000+0000"'
    )
    records.write_text(rows)
    salesforce = {"pack": "salesforce-jobscience", "patch": SALESFORCE_PATCH}
    first = hub.run(records=SALESFORCE_RECORDS, streams=SALESFORCE_STREAMS, mapping=salesforce)
    second = hub.run(records=[SALESFORCE_RECORDS[0], records], streams=SALESFORCE_STREAMS, mapping=salesforce)
    assert (first.status, second.status) == ("succeeded", "succeeded")
    query = re.search(r"<!-- query: stage-trail -->\n```sql\n(.*?)```", DOCS.read_text(), re.S)
    assert query is not None, "docs/mirror.md lost its stage-trail query"
    rows_found = hub.query(query.group(1).replace(":candidate", "?"), ["salesforce:0034W00003Kq1AAQAZ"])
    assert len(rows_found) == 1
    connection, field, old, new, remote_updated_at, owner, run_id, seen_at = rows_found[0]
    assert (connection, field, old, new, remote_updated_at, owner, run_id) == (
        "replay",
        "status",
        "active",
        "placed",
        "2024-03-05T11:00:00Z",
        "salesforce:0054W00000BZkk0QAD",
        second.run_id,
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", seen_at)


def test_soft_deleted_records_stay_in_the_mirror_marked_deleted(hub: Hub) -> None:
    salesforce = {"pack": "salesforce-jobscience", "patch": SALESFORCE_PATCH}
    assert (
        hub.run(records=SALESFORCE_RECORDS, streams=SALESFORCE_STREAMS, mapping=salesforce).status
        == "succeeded"
    )
    assert hub.query(
        "SELECT record_id, deleted_at FROM mirror_records WHERE stream = 'candidates' AND deleted_at IS NOT NULL"
    ) == [("salesforce:0034W00003Kq1ACQAZ", "2024-02-28T17:45:00Z")]


def test_a_mirror_path_that_cannot_be_written_fails_the_run_before_reading(hub: Hub, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = hub.run(mirror=str(blocker / "mirror.duckdb"))
    assert result.status == "failed"
    assert result.failure_type == "config_error"
    assert f"the mirror at {blocker / 'mirror.duckdb'} cannot be written" in (result.error or "")
    assert "Point the mirror at a writable place" in (result.error or "")
    assert hub.written() == []


def test_sync_mirror_flag_turns_the_mirror_on_for_one_run(
    hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hub_support import ENV
    from staffwire.cli import main

    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    connection = hub.file(mapping=LEVER, mirror=None)
    assert main(["sync", str(connection), "--db", str(hub.db), "-q"]) == 0
    assert not hub.mirror.exists()
    assert main(["sync", str(connection), "--db", str(hub.db), "-q", "--mirror", "--reset"]) == 0
    assert "mirror:" not in capsys.readouterr().err
    assert hub.query("SELECT count(*) FROM mirror_records WHERE stream = 'submissions'") == [(5,)]
