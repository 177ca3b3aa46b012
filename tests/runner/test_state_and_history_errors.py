"""Issue 16 R2 and R3: an unreadable row in the runner's state table, and a damaged history database, end in a
clear error that says how to recover -- never a JSONDecodeError "bug" or a raw traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from staffwire.runner import StateStore


def test_an_unreadable_state_row_is_a_config_error_that_says_how_to_reset(
    plain: Any, store: StateStore
) -> None:
    assert plain.run().status == "succeeded"
    db = sqlite3.connect(store.path)
    db.execute("UPDATE stream_state SET state = '{not json' WHERE stream = 'users'")
    db.commit()
    db.close()

    result = plain.run()

    assert (result.status, result.failure_type) == ("failed", "config_error")
    assert result.error == (
        f"the runner database {store.path} holds an unreadable state for stream 'users' of connection 'plain' "
        "('{not json' is not a JSON state object). Reset the connection's state to read its streams again from "
        "the start: `staffwire sync CONNECTION_FILE --reset`."
    )
    detail = store.run(result.run_id)
    assert detail is not None and detail["errors"][0]["failure_type"] == "config_error"


def test_a_damaged_history_database_gives_a_clear_error_and_no_traceback(plain: Any, tmp_path: Path) -> None:
    file = plain.file()
    db = tmp_path / "damaged.db"
    setup = StateStore(db)
    for n in range(200):  # enough pages that the damage lands inside the tables
        setup.add_error(setup.start_run("x", "s", "d"), "runner", "system_error", f"error {n} " + "x" * 200)
    setup.close()
    with sqlite3.connect(db) as conn:  # damage the stream counts' table, wherever the layout put it
        [(root,)] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'run_streams'").fetchall()
        [(page_size,)] = conn.execute("PRAGMA page_size").fetchall()
    with open(db, "r+b") as handle:
        handle.seek(page_size * (root - 1))
        handle.write(b"\xde\xad\xbe\xef" * (page_size // 4))

    done = subprocess.run(
        [sys.executable, "-m", "staffwire.cli", "sync", str(file), "--db", str(db), "-q"],
        env={**os.environ, **plain.env},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 1
    said = done.stdout + done.stderr
    assert "Traceback" not in said
    assert done.stdout.startswith("run 201 of plain: failed in ")  # the run still reports itself
    assert (
        f"the runner database {db} cannot be used: database disk image is malformed. To recover what it holds: "
        f"`sqlite3 {db} .recover | sqlite3 {db}.recovered`, then run with --db {db}.recovered" in said
    )


def test_a_malformed_cursor_in_the_state_table_is_a_config_error_naming_stream_key_and_reset(
    plain: Any, store: StateStore, tmp_path: Path
) -> None:
    from source_bullhorn.sandbox import BullhornSandbox
    from staffwire.runner import load_connection, run_sync
    from staffwire.runner.store import StreamCounts

    with BullhornSandbox(seed=7, candidates=5) as bullhorn:
        source = bullhorn.demo_config(entities=["Candidate"], retry_base_seconds=0.001)
        env = {"BH_SECRET": source.pop("client_secret"), "BH_PASSWORD": source.pop("password")}
        file = plain.file(
            name="bh-plain",
            source={
                "connector": "source-bullhorn",
                "config": {**source, "client_secret": "${BH_SECRET}", "password": "${BH_PASSWORD}"},
            },
            streams=[{"name": "Candidate", "sync_mode": "incremental", "destination_sync_mode": "append"}],
        )
        state = {
            "type": "STREAM",
            "stream": {
                "stream_descriptor": {"name": "Candidate"},
                "stream_state": {"dateLastModified": "banana"},
            },
        }
        store.commit_state("bh-plain", 0, ("", "Candidate"), state, {("", "Candidate"): StreamCounts()})
        result = run_sync(load_connection(file), store=store, env=env)

    assert (result.status, result.failure_type) == ("failed", "config_error")
    assert result.error is not None and result.error.endswith(
        "The saved state of stream 'Candidate' is invalid: its 'dateLastModified' is 'banana', not epoch "
        "milliseconds (an integer). Nothing was read. Reset stream 'Candidate' to read it again from the start: "
        "remove its entry from the state file (or pass [] as the state); under the runner, `staffwire sync "
        "CONNECTION_FILE --reset`."
    )
    assert plain.written() == []
