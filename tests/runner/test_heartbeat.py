"""Heartbeat: a connector silent for longer than heartbeat_timeout is stopped and the run fails (transient);
a slow connector that still shows signs of life (stderr lines, records flowing) is left alone."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from staffwire.cli import main
from staffwire.errors import ConfigError
from staffwire.runner import StateStore, load_connection, parse_connection, run_sync
from staffwire.runner.heartbeat import format_duration, parse_duration

HANG = 1.0  # seconds: the timeout of the tests where a connector hangs (Python must start within it, on a busy machine)
ALIVE = (
    1.0  # seconds: the timeout of the tests where a connector is slow but alive (margin for a busy machine)
)
_SECONDS = r"\d+\.\d\ds"


def _stopped_message(role: str, name: str, doing: str, timeout: str, how: str) -> str:
    return (
        rf"{role} {re.escape(name)} printed nothing for {_SECONDS} {re.escape(doing)} \(heartbeat_timeout "
        rf"{timeout}\), so it was stopped\. {re.escape(how)} The run is failed; states committed before stay "
        r"committed and the next run resumes from them\. If it is stuck on its API, check that system; if it "
        r"legitimately works this long without output, raise heartbeat_timeout in the connection file or "
        r"with --heartbeat-timeout\."
    )


def _gone(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().split()[2] == "Z"


def test_a_source_that_hangs_is_killed_and_the_run_fails_after_what_was_committed(
    plain: Any, store: StateStore, tmp_path: Path
) -> None:
    pidfile = tmp_path / "source.pid"
    connection = plain.connection(counts={"users": 6, "orders": 3}, hang_after=4, pidfile=str(pidfile))
    started = time.monotonic()

    result = run_sync(connection, store=store, env=plain.env, heartbeat_timeout=HANG)

    assert time.monotonic() - started < 10
    assert result.status == "failed"
    assert result.failure_type == "transient_error"
    assert [(e.origin, e.failure_type) for e in result.errors] == [("source", "transient_error")]
    assert re.fullmatch(
        _stopped_message(
            "source",
            str(plain.source_path),
            "while the runner waited for its next message",
            "1.00s",
            "Its process was killed.",
        ),
        result.errors[0].message,
    )
    assert _gone(int(pidfile.read_text()))
    assert plain.cursors() == {"users": 4}  # the states the destination confirmed, nothing past them
    assert plain.written() == [("users", 1), ("users", 2), ("users", 3), ("users", 4)]
    assert result.streams["users"] == {
        "records_read": 4,
        "records_written": 4,
        "records_rejected": 0,
        "states_committed": 2,
        "status": "INCOMPLETE",
    }
    detail = store.run(result.run_id)
    assert detail is not None and detail["status"] == "failed"
    assert [(e["origin"], e["failure_type"]) for e in detail["errors"]] == [("source", "transient_error")]


def test_a_discover_that_hangs_is_stopped_and_the_run_fails_before_reading(
    plain: Any, store: StateStore
) -> None:
    result = run_sync(
        plain.connection(hang_in="discover"), store=store, env=plain.env, heartbeat_timeout=HANG
    )

    assert result.status == "failed"
    assert [(e.origin, e.failure_type) for e in result.errors] == [("runner", "transient_error")]
    assert re.fullmatch(
        rf"source {re.escape(str(plain.source_path))} printed nothing for {_SECONDS} during `discover` "
        r"\(heartbeat_timeout 1\.00s\), so it was stopped\. If it is stuck on its API, check that system and run "
        r"again; if it legitimately works this long without output, raise heartbeat_timeout in the connection "
        r"file or with --heartbeat-timeout\.",
        result.errors[0].message,
    )
    assert plain.written() == []


def test_a_source_printing_only_on_stderr_is_alive(plain: Any, store: StateStore) -> None:
    connection = plain.connection(stderr_for=ALIVE * 1.6)

    result = run_sync(connection, store=store, env=plain.env, heartbeat_timeout=ALIVE)

    assert result.status == "succeeded", result.errors
    assert plain.cursors() == {"users": 5, "orders": 3}


def test_a_destination_batching_silently_while_records_flow_is_alive(plain: Any, store: StateStore) -> None:
    # Records trickle in for ~1.6 x the timeout; the destination prints nothing until its input ends.
    connection = plain.connection(
        counts={"users": 16, "orders": 0}, delay=ALIVE / 10, dest_config={"echo_only_last": True}
    )

    result = run_sync(connection, store=store, env=plain.env, heartbeat_timeout=ALIVE)

    assert result.status == "succeeded", result.errors
    assert result.streams["users"]["records_written"] == 16
    assert plain.cursors() == {"users": 16, "orders": 0}


def test_a_destination_that_stops_reading_is_stopped_and_blamed_not_the_source(
    plain: Any, store: StateStore
) -> None:
    # 3,000 records fill the pipe: the relay blocks writing to the destination, and the source waits for us.
    connection = plain.connection(counts={"users": 3000, "orders": 3}, dest_config={"stop_reading_after": 10})

    result = run_sync(connection, store=store, env=plain.env, heartbeat_timeout=HANG)

    assert result.status == "failed"
    assert [(e.origin, e.failure_type) for e in result.errors] == [("destination", "transient_error")]
    assert re.fullmatch(
        _stopped_message(
            "destination",
            str(plain.destination_path),
            "while it should have been reading records or confirming what it wrote",
            "1.00s",
            "Its process was killed.",
        ),
        result.errors[0].message,
    )
    assert plain.cursors() == {"users": 8}
    assert result.streams["users"]["records_written"] == 8


def test_a_destination_that_hangs_once_its_input_ended_is_stopped_and_nothing_is_committed(
    plain: Any, store: StateStore
) -> None:
    connection = plain.connection(dest_config={"echo_only_last": True, "hang_at_end": True})

    result = run_sync(connection, store=store, env=plain.env, heartbeat_timeout=HANG)

    assert result.status == "failed"
    assert [(e.origin, e.failure_type) for e in result.errors] == [("destination", "transient_error")]
    assert plain.cursors() == {}
    assert result.streams["users"]["records_read"] == 5
    assert result.streams["users"]["records_written"] == 0


def test_the_connection_file_sets_the_timeout_and_the_command_line_overrides_it(
    plain: Any, store: StateStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLAIN_API_KEY", plain.env["PLAIN_API_KEY"])
    file = plain.file(hang_after=2)
    file.write_text(file.read_text() + "heartbeat_timeout: 1h\n")
    assert load_connection(file).heartbeat_timeout == 3600.0

    code = main(["sync", str(file), "--db", str(store.path), "-q", "--heartbeat-timeout", "1000ms"])

    out = capsys.readouterr().out
    assert code == 1
    assert "error (source, transient_error): source " in out
    assert "(heartbeat_timeout 1.00s), so it was stopped." in out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "'soon' is not a duration; write seconds (10800) or e.g. 3h, 45m, 90s"),
        ("3 days", "'3 days' is not a duration; write seconds (10800) or e.g. 3h, 45m, 90s"),
        (0, "0 is not a positive duration; write e.g. 3h, 45m, 90s"),
        (-5, "-5 is not a positive duration; write e.g. 3h, 45m, 90s"),
        (True, "True is not a duration; write seconds (10800) or e.g. 3h, 45m, 90s"),
    ],
)
def test_a_bad_heartbeat_timeout_in_the_connection_file_is_refused(value: Any, message: str) -> None:
    document = {
        "name": "x",
        "source": {"connector": "a"},
        "destination": {"connector": "b"},
        "streams": [{"name": "s"}],
        "heartbeat_timeout": value,
    }

    with pytest.raises(ConfigError) as caught:
        parse_connection(document)

    assert str(caught.value) == (
        f"connection is not a valid connection: heartbeat_timeout: Value error, {message}. "
        "Fix the file and run again."
    )


def test_a_bad_heartbeat_timeout_flag_is_refused(
    plain: Any, store: StateStore, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["sync", str(plain.file()), "--db", str(store.path), "--heartbeat-timeout", "forever"])

    assert caught.value.code == 2
    assert (
        "argument --heartbeat-timeout: 'forever' is not a duration; write seconds (10800) or e.g. 3h, 45m, 90s"
        in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(10800, 10800.0), ("3h", 10800.0), ("45m", 2700.0), ("90s", 90.0), ("90", 90.0), ("250ms", 0.25)],
)
def test_durations_read_as_seconds(text: Any, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.25, "0.25s"), (42.4, "42s"), (725, "12m 5s"), (10800, "3h 0m"), (11700, "3h 15m")],
)
def test_durations_print_short(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_the_default_timeout_is_three_hours_like_airbytes_platform(plain: Any) -> None:
    from staffwire.runner.heartbeat import DEFAULT_HEARTBEAT_TIMEOUT

    assert DEFAULT_HEARTBEAT_TIMEOUT == 10800.0
    assert plain.connection().heartbeat_timeout is None  # unset in the file: the default applies
