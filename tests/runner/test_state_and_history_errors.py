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
    with open(db, "r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xde\xad\xbe\xef" * 2048)

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
