"""staffwire sync / staffwire runs / staffwire runs show, through the real command-line entry point."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from staffwire.cli import main


@pytest.fixture
def cli(plain: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setenv("PLAIN_API_KEY", plain.env["PLAIN_API_KEY"])
    db = str(plain.store.path)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*argv, "--db", db])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_sync_prints_progress_lines_and_a_summary_when_not_on_a_terminal(plain: Any, cli: Any) -> None:
    code, out, _ = cli("sync", str(plain.file()))

    assert code == 0
    lines = [line.split(" ", 1)[1] for line in out.splitlines()]  # drop the time stamps
    assert lines[0].startswith("run 1 of plain started: ")
    assert "stream users: started" in lines and "stream orders: complete" in lines
    assert lines[-3].startswith("run 1 of plain: succeeded in ")
    assert lines[-2:] == [
        "  users: 5 read, 5 written, 0 rejected (COMPLETE)",
        "  orders: 3 read, 3 written, 0 rejected (COMPLETE)",
    ]


def test_sync_json_prints_the_outcome(plain: Any, cli: Any) -> None:
    code, out, _ = cli("sync", str(plain.file(crash_after=1)), "--json")

    assert code == 1
    outcome = json.loads(out)
    assert (outcome["run_id"], outcome["status"], outcome["failure_type"]) == (1, "failed", "system_error")
    assert outcome["streams"]["users"]["records_read"] == 1


def test_runs_lists_the_history_as_a_table_and_as_json(plain: Any, cli: Any) -> None:
    cli("sync", str(plain.file()), "-q")
    cli("sync", str(plain.file(fail_after=0, counts={"users": 6, "orders": 3})), "-q")

    code, out, _ = cli("runs")
    assert code == 0
    header, second, first = out.splitlines()
    assert header.split() == [
        "ID",
        "Connection",
        "Status",
        "Started",
        "Duration",
        "Read",
        "Written",
        "Rejected",
        "Error",
    ]
    assert second.split()[:3] == ["2", "plain", "failed"]
    error = f"source {plain.source_path} failed: The API answered 401: check api_key"
    assert second.endswith(error[:77] + "...")  # long errors are cut in the table; runs show has them whole
    assert first.split()[:3] == ["1", "plain", "succeeded"] and first.split()[-4:] == ["8", "8", "0", "-"]

    code, out, _ = cli("runs", "--json")
    runs = json.loads(out)
    assert [
        (r["id"], r["status"], r["records_read"], r["failure_origin"], r["failure_type"]) for r in runs
    ] == [
        (2, "failed", 0, "source", "config_error"),
        (1, "succeeded", 8, None, None),
    ]


def test_runs_show_details_one_run(plain: Any, cli: Any) -> None:
    cli("sync", str(plain.file(dest_config={"reject_ids": [3]})), "-q")

    code, out, _ = cli("runs", "show", "1")
    assert code == 0
    assert out.splitlines()[0] == "run 1 of plain: succeeded"
    assert ["users", "orders"][0] in out
    assert (
        "rejected records (2):\n"
        "  users 3, rejected by the destination:\n"
        "    - name is not allowed (rule allowed, field name)\n"
        "  orders 3, rejected by the destination:\n"
        "    - name is not allowed (rule allowed, field name)\n"
    ) in out

    code, out, _ = cli("runs", "show", "1", "--json")
    detail = json.loads(out)
    assert [(s["stream"], s["records_written"], s["records_rejected"]) for s in detail["streams"]] == [
        ("orders", 2, 1),
        ("users", 4, 1),
    ]


def test_runs_show_a_failed_run_names_its_error_origin_type_and_rejections(plain: Any, cli: Any) -> None:
    cli("sync", str(plain.file(fail_after=5, dest_config={"reject_ids": [3]})), "-q")
    failure = f"source {plain.source_path} failed: The API answered 401: check api_key"

    code, out, _ = cli("runs", "show", "1")

    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "run 1 of plain: failed"
    assert lines[4] == f"  error (source, config_error): {failure}"
    log = plain.tmp_path / "state" / "logs" / "run-1.log"
    assert lines[5] == f"  log: {log}"
    assert f"  error (source, config_error): {failure}\n" in log.read_text()
    assert out.endswith(
        "rejected records (1):\n"
        "  users 3, rejected by the destination:\n"
        "    - name is not allowed (rule allowed, field name)\n"
        "\n"
        "errors:\n"
        f"  [source, config_error] {failure}\n"
    )

    code, out, _ = cli("runs", "show", "1", "--json")

    detail = json.loads(out)
    assert (detail["status"], detail["failure_origin"], detail["failure_type"], detail["error"]) == (
        "failed",
        "source",
        "config_error",
        failure,
    )
    assert [{k: v for k, v in e.items() if k != "at"} for e in detail["errors"]] == [
        {"origin": "source", "failure_type": "config_error", "message": failure, "stream": None}
    ]
    assert detail["rejected_records"] == [
        {
            "origin": "destination",
            "stream": "users",
            "record_id": "3",
            "message": "record users 3 rejected: name is not allowed",
            "reasons": [{"rule": "allowed", "field": "name", "message": "name is not allowed"}],
        }
    ]
    assert [(s["stream"], s["status"], s["records_written"]) for s in detail["streams"]] == [
        ("orders", "INCOMPLETE", 0),
        ("users", "COMPLETE", 4),
    ]


def test_runs_show_lists_a_rejection_without_structured_reasons_by_its_message(
    plain: Any, cli: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from staffwire.runner.cli import print_run

    detail = {
        "id": 4,
        "connection": "plain",
        "status": "succeeded",
        "source": "s",
        "destination": "d",
        "started_at": "2026-01-01T00:00:00.000Z",
        "ended_at": "2026-01-01T00:00:01.000Z",
        "duration_s": 1.0,
        "streams": [],
        "rejected_records": [
            {
                "origin": "source",
                "stream": "users",
                "record_id": None,
                "message": "stream 'users': record (no id) rejected: no email",
                "reasons": [{"rule": None, "field": None, "value": None, "message": "no email"}],
            },
            {
                "origin": "destination",
                "stream": "users",
                "record_id": "9",
                "message": "record users 9 rejected: bad rate",
                "reasons": [{"rule": "rate", "field": "payRate", "value": -1, "message": "must be positive"}],
            },
            {"origin": "destination", "stream": None, "record_id": None, "message": "odd", "reasons": []},
        ],
        "errors": [],
    }
    capsys.readouterr()

    print_run(detail, sys.stdout)

    assert capsys.readouterr().out.endswith(
        "rejected records (3):\n"
        "  users (no id), rejected by the source:\n"
        "    - no email\n"
        "  users 9, rejected by the destination:\n"
        "    - must be positive (rule rate, field payRate, value -1)\n"
        "  - (no id), rejected by the destination:\n"
        "    - odd\n"
    )


def test_runs_show_an_unknown_run_is_a_clear_error(plain: Any, cli: Any) -> None:
    cli("sync", str(plain.file()), "-q")

    code, _, err = cli("runs", "show", "7")

    assert code == 1
    assert err == f"error: there is no run 7 in {plain.store.path}; `staffwire runs` lists the runs.\n"


def test_sync_reset_reads_every_stream_from_the_start(plain: Any, cli: Any) -> None:
    cli("sync", str(plain.file()), "-q")

    code, out, _ = cli("sync", str(plain.file()), "--reset", "--json")

    assert code == 0
    assert {name: s["records_read"] for name, s in json.loads(out)["streams"].items()} == {
        "users": 5,
        "orders": 3,
    }


def test_runs_show_on_a_terminal_wraps_long_lines_under_their_indentation(plain: Any, cli: Any) -> None:
    import io

    from staffwire.runner.cli import print_run
    from staffwire.runner.store import StateStore

    cli("sync", str(plain.file(fail_after=5)), "-q")
    store = StateStore(plain.store.path)
    try:
        detail = store.run(1)
    finally:
        store.close()
    assert detail is not None
    out = io.StringIO()

    print_run(detail, out, width=60)

    lines = out.getvalue().splitlines()
    error_at = next(i for i, text in enumerate(lines) if text.startswith("  error (source, config_error): "))
    assert lines[error_at + 1].startswith("    ")  # continued under the error line, indented
    paths = (str(plain.source_path), str(plain.destination_path))
    text_lines = [t for t in lines if t.startswith(("run ", "  "))]  # not the streams table
    assert [t for t in text_lines if len(t) > 60 and not any(p in t for p in paths)] == []
