"""Operator tools: ``staffwire state show|set|reset``, ``staffwire check`` and ``staffwire sync --dry-run`` on the
plain source -> plain destination pair (real subprocesses speaking the protocol)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from staffwire.cli import main
from staffwire.runner import StateStore, run_sync
from staffwire.runner.progress import NullProgress, estimate_text, format_summary
from staffwire.runner.stats import RunResult, RunStats


@pytest.fixture
def db(store: StateStore) -> str:
    return str(store.path)


@pytest.fixture
def synced(plain: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The plain connection after one sync (users cursor 5, orders cursor 3)."""
    monkeypatch.setenv("PLAIN_API_KEY", plain.env["PLAIN_API_KEY"])
    path = plain.file()
    assert plain.run().status == "succeeded"
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------------------------------ state
def test_state_show_prints_each_streams_committed_state(
    synced: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "state", "show", str(synced), "--db", db) == (
        0,
        'orders: {"cursor": 3}\nusers: {"cursor": 5}\n',
        "",
    )
    code, out, _ = run(capsys, "state", "show", "plain", "--db", db, "--stream", "users", "--json")
    assert (code, json.loads(out)) == (0, {"users": {"cursor": 5}})


def test_state_set_changes_where_the_next_sync_resumes(
    synced: Path, plain: Any, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(
        capsys, "state", "set", "plain", "--stream", "users", "--value", '{"cursor": 2}', "--db", db
    ) == (
        0,
        "set the state of users in connection 'plain': {\"cursor\": 2}\n",
        "",
    )
    assert plain.cursors() == {"users": 2, "orders": 3}
    before = len(plain.written())
    assert plain.run().status == "succeeded"
    assert plain.written()[before:] == [("users", 3), ("users", 4), ("users", 5)]


def test_state_reset_of_one_stream_rereads_only_that_stream(
    synced: Path, plain: Any, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "state", "reset", "plain", "--stream", "orders", "--db", db) == (
        0,
        "reset stream orders of connection 'plain': its next sync reads it from the start\n",
        "",
    )
    assert plain.cursors() == {"users": 5}
    before = len(plain.written())
    assert plain.run().status == "succeeded"
    assert plain.written()[before:] == [("orders", 1), ("orders", 2), ("orders", 3)]
    assert run(capsys, "state", "reset", "plain", "--db", db)[1] == (
        "reset 2 stream state(s) of connection 'plain': its next sync reads every stream from the start\n"
    )
    assert plain.cursors() == {}


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (
            ["state", "set", "plain", "--stream", "users", "--value", "{cursor: 2}"],
            "error: the new state for stream 'users' is not valid JSON: Expecting property name enclosed in double "
            "quotes: line 1 column 2 (char 1)\n",
        ),
        (
            ["state", "set", "plain", "--stream", "users", "--value", "[2]"],
            "error: the new state for stream 'users' must be a JSON object, got '[2]'\n",
        ),
        (
            ["state", "show", "plain", "--stream", "invoices"],
            "error: connection 'plain' has no state for stream 'invoices' (streams with state: orders, users).\n",
        ),
    ],
    ids=["not-json", "not-an-object", "unknown-stream"],
)
def test_bad_state_commands_say_what_to_fix(
    synced: Path, db: str, capsys: pytest.CaptureFixture[str], argv: list[str], error: str
) -> None:
    assert run(capsys, *argv, "--db", db) == (1, "", error)


# ------------------------------------------------------------------------------------------------ check
def test_check_runs_both_checks_and_shows_the_catalog_the_sync_would_use(
    plain: Any, db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAIN_API_KEY", plain.env["PLAIN_API_KEY"])
    code, out, _ = run(capsys, "check", str(plain.file()), "--db", db, "--json")
    body = json.loads(out)
    assert code == 0
    assert {role: c["status"] for role, c in body["checks"].items()} == {
        "source": "SUCCEEDED",
        "destination": "SUCCEEDED",
    }
    assert [(s["stream"]["name"], s["sync_mode"], s["cursor_field"]) for s in body["catalog"]["streams"]] == [
        ("users", "incremental", ["id"]),
        ("orders", "incremental", ["id"]),
    ]
    assert not plain.out.exists()  # nothing written
    assert StateStore(db).runs() == []  # and no run in the history


def test_a_failing_check_exits_1_and_names_the_connector(
    plain: Any, db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAIN_API_KEY", "bad-key-123456")
    code, out, _ = run(capsys, "check", str(plain.file()), "--db", db)
    assert code == 1
    assert out.splitlines()[:2] == [
        f"source {plain.source_path}: FAILED (The API answered 401: check api_key)",
        f"destination {plain.destination_path}: SUCCEEDED",
    ]


# ------------------------------------------------------------------------------------------------ dry run
def test_dry_run_reads_from_the_committed_state_and_writes_nothing(
    synced: Path, plain: Any, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    plain.file(counts={"users": 7, "orders": 3})  # two new users since the sync
    written = plain.written()
    code, out, _ = run(capsys, "sync", str(synced), "--dry-run", "--json", "--db", db)
    assert code == 0
    body = json.loads(out)
    assert body["streams"] == {"users": 2, "orders": 0}
    assert [r["id"] for r in body["samples"]["users"]] == [6, 7]
    assert plain.written() == written
    assert plain.cursors() == {"users": 5, "orders": 3}
    assert len(StateStore(db).runs()) == 1  # only the real sync


# ------------------------------------------------------------------------------------------------ progress
class Recorder(NullProgress):
    def finished(self, stats: RunStats, result: RunResult) -> None:
        self.estimates = dict(stats.estimates)


def test_estimate_traces_give_each_stream_a_total(plain: Any) -> None:
    recorder = Recorder()
    result = run_sync(plain.connection(estimate=True), store=plain.store, env=plain.env, progress=recorder)
    assert result.status == "succeeded"
    assert recorder.estimates == {("", "users"): 5, ("", "orders"): 3}


@pytest.mark.parametrize(
    ("read", "total", "seconds", "text"),
    [
        (1200, 5000, 60.0, " of 5,000 (24%, ETA 3m 10s)"),
        (5000, 5000, 60.0, " of 5,000 (100%)"),
        (0, 5000, 1.0, " of 5,000 (0%)"),
        (10, None, 1.0, ""),
    ],
)
def test_progress_text_with_an_estimate(read: int, total: int | None, seconds: float, text: str) -> None:
    assert estimate_text(read, total, seconds) == text


def test_each_run_keeps_a_log_file_named_in_its_failure_summary(plain: Any) -> None:
    result = run_sync(plain.connection(fail_after=2, stderr_for=0.05), store=plain.store, env=plain.env)
    assert result.status == "failed"
    log = plain.tmp_path / "state" / "logs" / f"run-{result.run_id}.log"
    assert result.log == str(log)
    assert format_summary(result)[-1] == f"  log: {log}"
    text = log.read_text()
    assert f"run {result.run_id} of plain started: " in text
    assert "its last lines on stderr:\nstill working\n" in text
