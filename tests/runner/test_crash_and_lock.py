"""kill -9 in the middle of a run, and two runs of one connection at once (real processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from staffwire.runner import ConnectionLocked, StateStore, run_sync
from staffwire.runner.store import INTERRUPTED


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _start_sync(plain: Any, connection_file: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "staffwire.cli",
            "sync",
            str(connection_file),
            "--db",
            str(plain.store.path),
            "-q",
        ],
        env={**os.environ, **plain.env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for(condition: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def test_kill_9_mid_run_then_rerun_resumes_from_the_last_committed_state(
    plain: Any, store: StateStore
) -> None:
    file = plain.file(counts={"users": 300, "orders": 3}, page=5, delay=0.004)
    runner = _start_sync(plain, file)
    _wait_for(lambda: plain.cursors().get("users", 0) >= 40)
    children = _children(runner.pid)
    os.kill(runner.pid, signal.SIGKILL)
    runner.wait()
    for child in children:  # the orphaned connectors end on their own (EPIPE / EOF)
        _wait_for(
            lambda child=child: (
                not Path(f"/proc/{child}").exists()
                or Path(f"/proc/{child}/stat").read_text().split()[2] == "Z"
            )
        )
    committed = plain.cursors()["users"]
    assert 40 <= committed < 300 and committed % 5 == 0

    resumed = run_sync(
        plain.connection(counts={"users": 300, "orders": 3}, page=5), store=store, env=plain.env
    )

    assert resumed.status == "succeeded"
    assert resumed.streams["users"]["records_read"] == 300 - committed
    assert plain.cursors() == {"users": 300, "orders": 3}
    ids = [n for stream, n in plain.written() if stream == "users"]
    assert sorted(set(ids)) == list(range(1, 301))  # everything arrived; only uncommitted records repeat
    killed = store.run(resumed.run_id - 1)
    assert killed is not None
    assert (killed["status"], killed["failure_type"], killed["error"]) == (
        "failed",
        "system_error",
        INTERRUPTED,
    )
    assert killed["failure_origin"] == "runner"
    assert [(e["origin"], e["failure_type"], e["message"]) for e in killed["errors"]] == [
        ("runner", "system_error", INTERRUPTED)
    ]


def test_a_second_run_of_the_same_connection_is_refused_while_one_runs(
    plain: Any, store: StateStore, tmp_path: Path
) -> None:
    hold = tmp_path / "hold"  # the first run's source sends nothing until this file is gone
    hold.touch()
    file = plain.file(counts={"users": 60, "orders": 1}, page=5, hold_while=str(hold))
    first = _start_sync(plain, file)
    try:
        _wait_for(lambda: any(r["status"] == "running" for r in store.runs()))

        with pytest.raises(ConnectionLocked) as refused:
            run_sync(plain.connection(), store=store, env=plain.env)
        assert refused.value.message.startswith(
            f"connection 'plain' is already running (pid {first.pid} since "
        )
        assert refused.value.message.endswith(
            "); this run was refused so the two cannot corrupt each other's state. Wait for it to finish, then run "
            "again."
        )
        second = _start_sync(plain, file)
        assert second.wait(20) == 1
        assert second.stderr is not None
        assert b"error: connection 'plain' is already running" in second.stderr.read()
    finally:
        hold.unlink()

    assert first.wait(20) == 0
    assert [r["status"] for r in store.runs()] == ["succeeded"]  # the refused attempts left no run behind
    assert plain.cursors() == {"users": 60, "orders": 1}
