"""The read loop: stream statuses, per-stream states with record counts, failures isolated per stream."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sdk_support import SCRIPT_CONFIG, ScriptedStream, configured_catalog, scripted_source
from source_example import SourceExample
from staffwire.errors import RecordRejected, Rejection, TransientError
from staffwire.state import Checkpoint
from staffwire.streams import Estimate, Record
from staffwire.testing.conformance import ConnectorResult, assert_conformant, run_connector

NO_CURSOR = {"__ab_no_cursor_state_message": True}


def _read(
    *streams: ScriptedStream, state: Any = None, mode: str = "full_refresh", **modes: str
) -> ConnectorResult:
    source = scripted_source(*streams)
    catalog = configured_catalog(*(s.get_name() for s in streams), mode=mode, **modes)
    result = run_connector(source, "read", config=SCRIPT_CONFIG, catalog=catalog, state=state)
    assert_conformant(result)
    return result


def _states(result: ConnectorResult, stream: str) -> list[tuple[dict[str, Any], float]]:
    return [
        (s["stream"]["stream_state"], s["sourceStats"]["recordCount"])
        for s in result.states
        if s["stream"]["stream_descriptor"]["name"] == stream
    ]


def test_full_refresh_without_checkpoints_ends_with_one_no_cursor_state_counting_every_record() -> None:
    result = _read(ScriptedStream("a", [{"id": 1}, {"id": 2}, [{"id": 3}, {"id": 4}]]))
    assert result.exit_code == 0
    assert [r["id"] for r in result.records("a")] == [1, 2, 3, 4]
    assert _states(result, "a") == [(NO_CURSOR, 4.0)]
    assert result.stream_statuses("a") == ["STARTED", "RUNNING", "COMPLETE"]


def test_an_empty_stream_still_emits_one_state_and_no_running_status() -> None:
    result = _read(ScriptedStream("a", []))
    assert _states(result, "a") == [(NO_CURSOR, 0.0)]
    assert result.stream_statuses("a") == ["STARTED", "COMPLETE"]


def test_an_empty_incremental_stream_echoes_its_input_state() -> None:
    state = [
        {"type": "STREAM", "stream": {"stream_descriptor": {"name": "a"}, "stream_state": {"cursor": 7}}}
    ]
    stream = ScriptedStream("a", [], cursor=["cursor"])
    result = _read(stream, state=state, mode="incremental")
    assert stream.seen_state == {"cursor": 7}
    assert _states(result, "a") == [({"cursor": 7}, 0.0)]


def test_an_empty_incremental_stream_without_input_state_emits_an_empty_state() -> None:
    result = _read(ScriptedStream("a", [], cursor=["cursor"]), mode="incremental")
    assert _states(result, "a") == [({}, 0.0)]


def test_each_checkpoint_counts_the_records_since_the_previous_state() -> None:
    script = [{"id": 1}, {"id": 2}, Checkpoint({"c": 2}), [{"id": 3}], Checkpoint({"c": 3})]
    result = _read(ScriptedStream("a", script, cursor=["c"]), mode="incremental")
    assert _states(result, "a") == [({"c": 2}, 2.0), ({"c": 3}, 1.0)]


def test_an_unchanged_checkpoint_is_held_back_and_its_records_counted_into_the_next_state() -> None:
    script = [
        {"id": 1},
        Checkpoint({"c": 1}),
        {"id": 2},
        Checkpoint({"c": 1}),
        {"id": 3},
        Checkpoint({"c": 3}),
    ]
    result = _read(ScriptedStream("a", script, cursor=["c"]), mode="incremental")
    assert _states(result, "a") == [({"c": 1}, 1.0), ({"c": 3}, 2.0)]


def test_records_after_the_last_checkpoint_are_counted_by_a_closing_state() -> None:
    script = [{"id": 1}, Checkpoint({"c": 1}), {"id": 2}, {"id": 3}]
    result = _read(ScriptedStream("a", script, cursor=["c"]), mode="incremental")
    assert _states(result, "a") == [({"c": 1}, 1.0), ({"c": 1}, 2.0)]


def test_checkpoints_without_records_between_are_emitted_with_zero_counts() -> None:
    result = _read(
        ScriptedStream("a", [Checkpoint({"c": 1}), Checkpoint({"c": 2})], cursor=["c"]), mode="incremental"
    )
    assert _states(result, "a") == [({"c": 1}, 0.0), ({"c": 2}, 0.0)]


def test_state_reaches_each_stream_by_name_and_only_in_incremental_mode() -> None:
    state = [
        {"type": "STREAM", "stream": {"stream_descriptor": {"name": "a"}, "stream_state": {"c": 5}}},
        {"type": "STREAM", "stream": {"stream_descriptor": {"name": "b"}, "stream_state": {"c": 9}}},
    ]
    a, b = ScriptedStream("a", [], cursor=["c"]), ScriptedStream("b", [], cursor=["c"])
    _read(a, b, state=state, mode="incremental", b="full_refresh")
    assert (a.seen_mode, a.seen_state) == ("incremental", {"c": 5})
    assert (b.seen_mode, b.seen_state) == ("full_refresh", None)


def test_a_global_state_is_read_per_stream() -> None:
    state = [
        {
            "type": "GLOBAL",
            "global": {
                "shared_state": {},
                "stream_states": [{"stream_descriptor": {"name": "a"}, "stream_state": {"c": 4}}],
            },
        }
    ]
    a = ScriptedStream("a", [], cursor=["c"])
    _read(a, state=state, mode="incremental")
    assert a.seen_state == {"c": 4}


def test_incremental_asked_of_a_stream_without_cursor_reads_it_in_full_refresh_with_a_warning() -> None:
    a = ScriptedStream("a", [{"id": 1}])
    result = _read(a, mode="incremental")
    assert a.seen_mode == "full_refresh"
    assert _states(result, "a") == [(NO_CURSOR, 1.0)]
    assert "stream 'a' does not support incremental sync: reading it in full refresh" in result.log_messages(
        "WARN"
    )


def test_full_refresh_asked_of_an_incremental_only_stream_is_a_config_error() -> None:
    a = ScriptedStream("a", [{"id": 1}], cursor=["c"], modes=["incremental"])
    result = _read(a)
    assert result.exit_code == 1
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            "the catalog asks sync mode 'full_refresh' for stream 'a', which supports only incremental. "
            "Change the stream's sync mode in the catalog.",
        )
    ]
    assert result.records() == []


def test_streams_are_read_in_catalog_order() -> None:
    a, b = ScriptedStream("a", [{"id": "a1"}]), ScriptedStream("b", [{"id": "b1"}])
    source = scripted_source(a, b)
    result = run_connector(source, "read", config=SCRIPT_CONFIG, catalog=configured_catalog("b", "a"))
    assert [(r["stream"], r["data"]["id"]) for r in result.record_messages()] == [("b", "b1"), ("a", "a1")]


def test_a_failing_stream_is_incomplete_and_the_others_still_run_then_exit_1() -> None:
    failing = ScriptedStream(
        "a",
        [
            {"id": 1},
            Checkpoint({"c": 1}),
            {"id": 2},
            TransientError("Example API timed out on GET /a", stream="a"),
        ],
    )
    result = _read(failing, ScriptedStream("b", [{"id": 10}]))
    assert result.exit_code == 1
    assert result.stream_statuses() == {
        "a": ["STARTED", "RUNNING", "INCOMPLETE"],
        "b": ["STARTED", "RUNNING", "COMPLETE"],
    }
    assert [(e["failure_type"], e["message"], e["stream_descriptor"]) for e in result.trace_errors] == [
        ("transient_error", "Example API timed out on GET /a", {"name": "a"})
    ]
    assert _states(result, "a") == [({"c": 1}, 1.0)]  # the record after the checkpoint is never acknowledged
    assert [r["id"] for r in result.records("b")] == [10]
    assert "source-scripted read finished with failed streams: a" in result.log_messages("ERROR")


def test_an_unexpected_exception_in_a_stream_is_a_system_error_naming_the_stream() -> None:
    result = _read(ScriptedStream("a", [ValueError("boom")]))
    assert result.exit_code == 1
    (error,) = result.trace_errors
    assert error["failure_type"] == "system_error"
    assert error["message"] == (
        "source-scripted read of stream 'a' failed with an unexpected error (ValueError: boom). "
        "This is a bug in source-scripted: report it with the logs of this run."
    )
    assert "Traceback" not in error["message"] and "raise item" in error["stack_trace"]
    assert result.stream_statuses("a") == ["STARTED", "INCOMPLETE"]


def test_a_stream_yielding_something_else_is_an_internal_error() -> None:
    result = _read(ScriptedStream("a", [42]))
    (error,) = result.trace_errors
    assert (error["failure_type"], error["message"]) == (
        "system_error",
        "source-scripted: stream 'a' yielded a int; a stream yields records (dict), pages (list of dict), "
        "Record, Checkpoint, Estimate or RecordRejected",
    )


def test_rejected_records_are_logged_with_stream_id_and_reasons_and_the_stream_goes_on() -> None:
    rejection = RecordRejected(
        reasons=[
            Rejection("required", "email", message="email is required"),
            Rejection("format", "phone", "x", message="phone 'x' is not a phone number"),
        ],
        record_id="r9",
    )
    result = _read(ScriptedStream("a", [{"id": 1}, rejection, {"id": 2}]))
    assert [r["id"] for r in result.records("a")] == [1, 2]
    assert result.log_messages("WARN") == [
        "stream 'a': record r9 rejected: email is required; phone 'x' is not a phone number"
    ]
    assert "stream 'a': 2 records read, 1 rejected" in result.log_messages("INFO")
    assert _states(result, "a") == [(NO_CURSOR, 2.0)]


def test_the_example_source_reads_incrementally_over_http_from_its_sandbox(config: dict[str, Any]) -> None:
    catalog = configured_catalog("items", "people", mode="incremental")
    first = run_connector(SourceExample, "read", config=config, catalog=catalog)
    assert_conformant(first, catalog=run_connector(SourceExample, "discover", config=config).catalog)
    assert [r["id"] for r in first.records("items")] == [1, 2, 3, 4, 5]
    assert [r["id"] for r in first.records("people")] == ["p1", "p2", "p3"]
    assert _states(first, "items") == [
        ({"updated_at": 1002}, 2.0),
        ({"updated_at": 1004}, 2.0),
        ({"updated_at": 1005}, 1.0),
    ]
    assert _states(first, "people") == [(NO_CURSOR, 3.0)]

    state = [
        m for m in first.of_type("STATE") if m["state"]["stream"]["stream_descriptor"]["name"] == "items"
    ][-1:]
    second = run_connector(
        SourceExample, "read", config=config, catalog=catalog, state=[s["state"] for s in state]
    )
    assert_conformant(second)
    assert [r["id"] for r in second.records("items")] == []
    assert _states(second, "items") == [({"updated_at": 1005}, 0.0)]


def test_a_rate_limit_wait_is_reported_as_running_with_the_rate_limited_reason() -> None:
    from staffwire.http.hooks import current_rate_limit_listener

    def wait_on_429() -> None:
        listener = current_rate_limit_listener()
        assert listener is not None
        listener(30.0)

    before = time.time()
    result = _read(ScriptedStream("a", [wait_on_429, {"id": 1}, wait_on_429]))
    statuses = [t["stream_status"] for t in result.traces if t["type"] == "STREAM_STATUS"]
    assert [(s["status"], [r["type"] for r in s.get("reasons", [])]) for s in statuses] == [
        ("STARTED", []),
        ("RUNNING", ["RATE_LIMITED"]),
        ("RUNNING", []),
        ("RUNNING", ["RATE_LIMITED"]),
        ("COMPLETE", []),
    ]
    quota_reset = statuses[1]["reasons"][0]["rate_limited"]["quota_reset"]
    assert (before + 30) * 1000 <= quota_reset <= (time.time() + 30) * 1000


def test_a_stream_may_yield_pydantic_models_as_records() -> None:
    from pydantic import BaseModel

    class Candidate(BaseModel):
        id: str
        email: str | None = None

    result = _read(
        ScriptedStream("a", [Candidate(id="bullhorn:1"), [Candidate(id="bullhorn:2", email="a@b.c")]])
    )
    assert result.records("a") == [
        {"id": "bullhorn:1", "email": None},
        {"id": "bullhorn:2", "email": "a@b.c"},
    ]
    assert _states(result, "a") == [(NO_CURSOR, 2.0)]


def _without_time(message: dict[str, Any]) -> dict[str, Any]:
    trace = {k: v for k, v in message["trace"].items() if k != "emitted_at"}
    return {**message, "trace": trace}


def test_an_estimate_becomes_a_trace_estimate_for_its_stream_and_is_not_counted_as_a_record() -> None:
    script = [Estimate(rows=3), [{"id": 1}, {"id": 2}], Estimate(rows=3, bytes=120), {"id": 3}]
    result = _read(ScriptedStream("a", script), ScriptedStream("b", [{"id": 9}]))
    kinds = [
        (m["type"], m["trace"]["type"]) if m["type"] == "TRACE" else (m["type"], None)
        for m in result.messages
        if m["type"] != "LOG"
    ]
    assert kinds[:4] == [
        ("TRACE", "STREAM_STATUS"),  # STARTED
        ("TRACE", "ESTIMATE"),
        ("TRACE", "STREAM_STATUS"),  # RUNNING
        ("RECORD", None),
    ]
    estimates = [_without_time(m) for m in result.of_type("TRACE") if m["trace"]["type"] == "ESTIMATE"]
    assert estimates == [
        {
            "type": "TRACE",
            "trace": {"type": "ESTIMATE", "estimate": {"name": "a", "type": "STREAM", "row_estimate": 3}},
        },
        {
            "type": "TRACE",
            "trace": {
                "type": "ESTIMATE",
                "estimate": {"name": "a", "type": "STREAM", "row_estimate": 3, "byte_estimate": 120},
            },
        },
    ]
    assert all(isinstance(m["trace"]["emitted_at"], float) for m in result.of_type("TRACE"))
    assert _states(result, "a") == [(NO_CURSOR, 3.0)]
    assert "stream 'a': 3 records read" in result.log_messages("INFO")


def test_an_estimate_without_figures_emits_nothing() -> None:
    result = _read(ScriptedStream("a", [Estimate(), {"id": 1}]))
    assert [t for t in result.traces if t["type"] == "ESTIMATE"] == []
    assert [r["id"] for r in result.records("a")] == [1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": -1}, "Estimate(rows=...) must be a non-negative int or None, not -1"),
        ({"rows": 2.5}, "Estimate(rows=...) must be a non-negative int or None, not 2.5"),
        ({"rows": True}, "Estimate(rows=...) must be a non-negative int or None, not True"),
        ({"bytes": "10"}, "Estimate(bytes=...) must be a non-negative int or None, not '10'"),
    ],
)
def test_an_estimate_refuses_figures_that_are_not_counts(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Estimate(**kwargs)
    assert str(caught.value) == message


def test_the_runner_takes_an_estimate_line_as_a_message_not_as_garbage() -> None:
    from staffwire.runner.messages import parse_message

    result = _read(ScriptedStream("a", [Estimate(rows=1), {"id": 1}]))
    (line,) = [raw for raw in result.lines if b'"ESTIMATE"' in raw]
    message = parse_message(line)
    assert message["trace"]["estimate"] == {"name": "a", "type": "STREAM", "row_estimate": 1}


def test_a_record_with_meta_is_written_with_it_and_counted() -> None:
    nulled = {"field": "phone", "change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"}
    result = _read(
        ScriptedStream(
            "a", [{"id": 1}, Record({"id": 2, "phone": None}, {"changes": [nulled]}), Checkpoint({"c": 2})]
        )
    )
    assert_conformant(result)
    messages = result.record_messages("a")
    assert [m.get("meta") for m in messages] == [None, {"changes": [nulled]}]
    assert [m["data"] for m in messages] == [{"id": 1}, {"id": 2, "phone": None}]
    assert result.states[-1]["sourceStats"]["recordCount"] == 2.0
