"""staffwire sync with Airbyte-protocol executables run as subprocesses (a plain stdlib source and destination)."""

from __future__ import annotations

from typing import Any

from staffwire.runner import StateStore


def test_a_run_relays_every_record_and_commits_the_echoed_states(plain: Any) -> None:
    result = plain.run()

    assert result.status == "succeeded", result.errors
    assert result.streams == {
        "users": {
            "records_read": 5,
            "records_written": 5,
            "records_rejected": 0,
            "states_committed": 3,
            "status": "COMPLETE",
        },
        "orders": {
            "records_read": 3,
            "records_written": 3,
            "records_rejected": 0,
            "states_committed": 2,
            "status": "COMPLETE",
        },
    }
    assert plain.written() == [
        ("users", 1),
        ("users", 2),
        ("users", 3),
        ("users", 4),
        ("users", 5),
        ("orders", 1),
        ("orders", 2),
        ("orders", 3),
    ]
    assert plain.cursors() == {"users": 5, "orders": 3}
    assert result.errors == [] and result.rejected_records == []


def test_the_next_run_resumes_from_the_committed_state(plain: Any) -> None:
    plain.run()
    second = plain.run(counts={"users": 7, "orders": 3})

    assert second.status == "succeeded"
    assert second.streams["users"]["records_read"] == 2
    assert second.streams["orders"]["records_read"] == 0
    assert plain.written()[-2:] == [("users", 6), ("users", 7)]
    assert plain.cursors() == {"users": 7, "orders": 3}


def test_full_refresh_streams_ignore_the_committed_state(plain: Any) -> None:
    streams = [{"name": "users", "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]
    plain.run(streams=streams)
    second = plain.run(streams=streams)

    assert second.streams["users"]["records_read"] == 5
    assert len(plain.written()) == 10


def test_rejected_records_are_counted_and_kept_with_their_reasons(plain: Any, store: StateStore) -> None:
    result = plain.run(dest_config={"reject_ids": [2, 4]})

    assert result.status == "succeeded"
    assert result.streams["users"]["records_written"] == 3
    assert result.streams["users"]["records_rejected"] == 2
    assert result.streams["orders"]["records_rejected"] == 1  # order 2
    assert [(r["stream"], r["record_id"]) for r in result.rejected_records] == [
        ("users", "2"),
        ("users", "4"),
        ("orders", "2"),
    ]
    detail = store.run(result.run_id)
    assert detail is not None
    assert detail["rejected_records"][0] == {
        "origin": "destination",
        "stream": "users",
        "record_id": "2",
        "message": "record users 2 rejected: name is not allowed",
        "reasons": [{"rule": "allowed", "field": "name", "message": "name is not allowed"}],
    }


def test_run_history_records_every_run_with_counts(plain: Any, store: StateStore) -> None:
    first = plain.run()
    second = plain.run(counts={"users": 6, "orders": 3})

    runs = store.runs()
    assert [(r["id"], r["status"], r["records_read"], r["records_written"]) for r in runs] == [
        (second.run_id, "succeeded", 1, 1),
        (first.run_id, "succeeded", 8, 8),
    ]
    detail = store.run(first.run_id)
    assert detail is not None
    assert detail["connection"] == "plain"
    assert detail["source"].endswith("plain_source.py)")
    assert detail["duration_s"] > 0
    assert [(s["stream"], s["sync_mode"], s["status"], s["records_read"]) for s in detail["streams"]] == [
        ("orders", "incremental", "COMPLETE", 3),
        ("users", "incremental", "COMPLETE", 5),
    ]


def test_secrets_are_masked_in_logs_and_history(plain: Any, store: StateStore) -> None:
    logs: list[str] = []

    class Capture:
        def started(self, *a: Any) -> None: ...
        def tick(self, *a: Any) -> None: ...
        def stream_status(self, *a: Any) -> None: ...
        def finished(self, *a: Any) -> None: ...
        def log(self, origin: str, level: str, message: str) -> None:
            logs.append(f"{origin} {level} {message}")

    from staffwire.runner import run_sync

    result = run_sync(
        plain.connection(log_secret=True, fail_after=1), store=store, env=plain.env, progress=Capture()
    )
    assert "source WARN calling the API with key ****" in logs
    assert result.status == "failed"
    dump = repr(store.run(result.run_id)) + repr(logs)
    assert "sk-live" not in dump


def test_a_rotated_config_is_saved_and_used_by_the_next_run(plain: Any, store: StateStore) -> None:
    from staffwire.runner.store import config_fingerprint

    connection = plain.connection(rotate=True)
    plain.run(rotate=True)
    based_on = config_fingerprint(connection.source.effective_config(plain.env, "source"))
    rotated = store.rotated_config("plain", "source", based_on)
    assert rotated is not None and rotated["api_key"] == "rotated-sk-live-abcdef123456"
    # The next run starts with the rotated key (and rotates it again).
    plain.run(rotate=True)
    based_on_file = config_fingerprint(connection.source.effective_config(plain.env, "source"))
    assert (
        store.rotated_config("plain", "source", based_on_file)["api_key"]
        == "rotated-rotated-sk-live-abcdef123456"
    )
    # History and detail never show the keys.
    assert "sk-live" not in repr([store.run(r["id"]) for r in store.runs()])


def test_states_a_destination_skips_are_covered_by_the_next_one_it_echoes(
    plain: Any, store: StateStore
) -> None:
    result = plain.run(dest_config={"echo_only_last": True})

    assert result.status == "succeeded", result.errors
    assert plain.cursors() == {"users": 5, "orders": 3}  # users' last state was skipped, yet it is committed
    assert {name: (s["records_written"], s["states_committed"]) for name, s in result.streams.items()} == {
        "users": (5, 1),
        "orders": (3, 1),
    }
