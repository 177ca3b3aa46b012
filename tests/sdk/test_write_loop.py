"""The write loop: commit, then echo each state in input order with per-stream counts; rejections reported."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from destination_example import DestinationExample
from sdk_support import configured_catalog
from staffwire.testing.conformance import ConnectorResult, assert_conformant, run_connector

TOKEN = "dest-token-0123456789"


def record(stream: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": "RECORD", "record": {"stream": stream, "data": data, "emitted_at": 1}}


def state(stream: str, cursor: int) -> dict[str, Any]:
    return {
        "type": "STATE",
        "state": {
            "type": "STREAM",
            "stream": {"stream_descriptor": {"name": stream}, "stream_state": {"c": cursor}},
            "sourceStats": {"recordCount": 1.0},
        },
    }


@pytest.fixture
def dest_config(tmp_path: Path) -> dict[str, Any]:
    return {
        "path": str(tmp_path / "out.jsonl"),
        "api_token": TOKEN,
        "rejected_records_path": str(tmp_path / "rej.jsonl"),
    }


def _write(
    config: dict[str, Any], messages: Iterable[Mapping[str, Any]] | bytes, *streams: str
) -> ConnectorResult:
    DestinationExample.writers.clear()
    result = run_connector(
        DestinationExample,
        "write",
        config=config,
        catalog=configured_catalog(*(streams or ("a", "b"))),
        stdin=messages,
    )
    assert_conformant(result)
    return result


def _echoed(result: ConnectorResult) -> list[tuple[str, Any, float, float]]:
    return [
        (
            s["stream"]["stream_descriptor"]["name"],
            s["stream"]["stream_state"],
            s["destinationStats"]["recordCount"],
            s["destinationStats"]["rejectedRecordCount"],
        )
        for s in result.states
    ]


def test_states_are_echoed_in_input_order_with_the_records_of_their_stream_since_its_previous_state(
    dest_config: dict[str, Any],
) -> None:
    messages = [
        record("a", {"id": 1}),
        record("b", {"id": 1}),
        record("a", {"id": 2}),
        state("a", 2),
        state("b", 1),
        record("a", {"id": 3}),
        state("a", 3),
    ]
    result = _write(dest_config, messages)
    assert result.exit_code == 0
    assert _echoed(result) == [
        ("a", {"c": 2}, 2.0, 0.0),
        ("b", {"c": 1}, 1.0, 0.0),
        ("a", {"c": 3}, 1.0, 0.0),
    ]
    assert result.states[0]["sourceStats"] == {"recordCount": 1.0}  # what the source said is kept
    lines = Path(dest_config["path"]).read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a:1", "b:1", "a:2", "a:3"]


def test_a_state_is_echoed_only_after_the_flush_that_commits_the_records_before_it(
    dest_config: dict[str, Any],
) -> None:
    stdout = io.BytesIO()
    echoed_at_flush: list[int] = []

    class Spy(DestinationExample):
        def open(self, config: Any, catalog: Any) -> Any:
            writer = super().open(config, catalog)
            inner = writer.flush

            def flush() -> Any:
                echoed_at_flush.append(stdout.getvalue().count(b'"type":"STATE"'))
                return inner()

            writer.flush = flush  # type: ignore[method-assign]
            return writer

    config_path = Path(dest_config["path"]).with_suffix(".config.json")
    config_path.write_text(json.dumps(dest_config))
    catalog_path = config_path.with_suffix(".catalog.json")
    catalog_path.write_text(json.dumps(configured_catalog("a")))
    stdin = b"".join(
        json.dumps(m).encode() + b"\n"
        for m in [record("a", {"id": 1}), state("a", 1), record("a", {"id": 2}), state("a", 2)]
    )
    code = Spy.launch(
        ["write", "--config", str(config_path), "--catalog", str(catalog_path)],
        stdin=io.BytesIO(stdin),
        stdout=stdout,
    )
    assert code == 0
    assert echoed_at_flush == [0, 1, 2]  # flush before state 1, before state 2, and at the end of input


def test_rejected_records_are_reported_one_by_one_counted_and_written_to_the_rejected_file(
    dest_config: dict[str, Any],
) -> None:
    messages = [
        record("a", {"id": 1}),
        record("a", {"name": "no id"}),
        record("a", {"id": 1}),  # a duplicate: rejected by the flush
        record("b", {"id": 7}),
        state("a", 1),
        state("b", 7),
    ]
    result = _write(dest_config, messages)
    assert result.exit_code == 0
    assert _echoed(result) == [("a", {"c": 1}, 3.0, 2.0), ("b", {"c": 7}, 1.0, 0.0)]
    assert result.log_messages("WARN") == [
        "destination-example stream 'a': record (no id) rejected: id is required",
        "destination-example stream 'a': record 1 rejected: a:1 was already written",
    ]
    assert "destination-example wrote 2 records, 2 rejected" in result.log_messages("INFO")
    rejected = [
        json.loads(line) for line in Path(dest_config["rejected_records_path"]).read_text().splitlines()
    ]
    assert [(r["stream"], r["record_id"], r["reasons"], r["record"]) for r in rejected] == [
        (
            "a",
            None,
            [{"rule": "required", "field": "id", "value": None, "message": "id is required"}],
            {"name": "no id"},
        ),
        (
            "a",
            "1",
            [{"rule": "duplicate", "field": "id", "value": 1, "message": "a:1 was already written"}],
            None,
        ),
    ]


def test_records_of_streams_outside_the_catalog_are_skipped_and_not_counted(
    dest_config: dict[str, Any],
) -> None:
    messages = [record("a", {"id": 1}), record("zzz", {"id": 1}), record("zzz", {"id": 2}), state("a", 1)]
    result = _write(dest_config, messages, "a")
    assert _echoed(result) == [("a", {"c": 1}, 1.0, 0.0)]
    assert (
        "destination-example skipped 2 records of stream 'zzz', which the catalog does not select"
        in result.log_messages("WARN")
    )
    assert len(Path(dest_config["path"]).read_text().splitlines()) == 1


def test_garbage_lines_and_unknown_message_types_are_logged_and_skipped(dest_config: dict[str, Any]) -> None:
    stdin = b"\n".join(
        [
            b"not json at all",
            b"[1, 2]",
            b'{"type": "SOMETHING_NEW", "x": 1}',
            json.dumps(record("a", {"id": 1, "extra": {"unknown": True}}) | {"future_field": 1}).encode(),
            b'{"type": "LOG", "log": {"level": "INFO", "message": "from the source"}}',
            json.dumps(state("a", 1)).encode(),
        ]
    )
    result = _write(dest_config, stdin, "a")
    assert result.exit_code == 0
    assert result.log_messages("WARN") == [
        "destination-example ignored input line 1 is not JSON: not json at all",
        "destination-example ignored input line 2 is not a JSON object: [1, 2]",
        "destination-example ignored input line 3 has an unknown message type 'SOMETHING_NEW'",
    ]
    assert _echoed(result) == [("a", {"c": 1}, 1.0, 0.0)]


def test_a_writer_failure_fails_the_run_after_what_was_committed(dest_config: dict[str, Any]) -> None:
    class Failing(DestinationExample):
        def open(self, config: Any, catalog: Any) -> Any:
            writer = super().open(config, catalog)
            inner = writer.write

            def write(stream: str, data: Mapping[str, Any]) -> None:
                if data.get("id") == 3:
                    raise OSError("disk full")
                inner(stream, data)

            writer.write = write  # type: ignore[method-assign]
            return writer

    DestinationExample.writers.clear()
    messages = [
        record("a", {"id": 1}),
        state("a", 1),
        record("a", {"id": 2}),
        record("a", {"id": 3}),
        state("a", 3),
    ]
    result = run_connector(
        Failing, "write", config=dest_config, catalog=configured_catalog("a"), stdin=messages
    )
    assert_conformant(result)
    assert result.exit_code == 1
    assert _echoed(result) == [("a", {"c": 1}, 1.0, 0.0)]
    (error,) = result.trace_errors
    assert (error["failure_type"], error["message"]) == (
        "system_error",
        "destination-example write failed with an unexpected error (OSError: disk full). "
        "This is a bug in destination-example: report it with the logs of this run.",
    )
    assert DestinationExample.writers[0].closed


def test_records_after_the_last_state_are_flushed_at_end_of_input(dest_config: dict[str, Any]) -> None:
    result = _write(dest_config, [record("a", {"id": 1}), state("a", 1), record("a", {"id": 2})], "a")
    assert result.exit_code == 0
    assert len(Path(dest_config["path"]).read_text().splitlines()) == 2
    assert DestinationExample.writers[0].flushes == 2


def test_a_global_state_counts_every_record_since_the_previous_state(dest_config: dict[str, Any]) -> None:
    global_state = {
        "type": "STATE",
        "state": {"type": "GLOBAL", "global": {"shared_state": {"lsn": 5}, "stream_states": []}},
    }
    result = _write(dest_config, [record("a", {"id": 1}), record("b", {"id": 1}), global_state])
    assert [s["destinationStats"] for s in result.states] == [
        {"recordCount": 2.0, "rejectedRecordCount": 0.0}
    ]


def test_empty_stdin_is_a_config_error(dest_config: dict[str, Any]) -> None:
    result = _write(dest_config, b"", "a")
    assert result.exit_code == 1
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            "destination-example write received no messages on stdin. Pipe a source's output into it "
            "(e.g. 'source-x read ... | destination-example write ...').",
        )
    ]


def test_check_fails_with_the_connectors_message(tmp_path: Path) -> None:
    config = {"path": str(tmp_path / "missing" / "out.jsonl"), "api_token": TOKEN}
    result = run_connector(DestinationExample, "check", config=config)
    assert (result.exit_code, result.connection_status) == (
        0,
        {
            "status": "FAILED",
            "message": f"destination-example cannot write to {config['path']}: folder {tmp_path / 'missing'} does not exist.",
        },
    )


def test_spec_lists_the_destination_sync_modes() -> None:
    spec = run_connector(DestinationExample, "spec").spec
    assert spec is not None
    assert spec["supported_destination_sync_modes"] == ["append", "overwrite", "append_dedup"]


@pytest.mark.parametrize("command", ["check", "write"])
def test_a_rejected_records_path_in_a_missing_folder_is_a_config_problem(
    tmp_path: Path, command: str
) -> None:
    config = {
        "path": str(tmp_path / "out.jsonl"),
        "api_token": TOKEN,
        "rejected_records_path": str(tmp_path / "no" / "r.jsonl"),
    }
    message = (
        f"destination-example: the folder of rejected_records_path {tmp_path / 'no' / 'r.jsonl'} does not exist. "
        "Create it, or change rejected_records_path in the config."
    )
    if command == "check":
        result = run_connector(DestinationExample, "check", config=config)
        assert (result.exit_code, result.connection_status) == (0, {"status": "FAILED", "message": message})
    else:
        result = run_connector(
            DestinationExample, "write", config=config, catalog=configured_catalog("a"), stdin=[state("a", 1)]
        )
        assert result.exit_code == 1
        assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [("config_error", message)]
