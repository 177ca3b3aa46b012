"""The conformance helper catches every rule violation it promises to (fed hand-written output lines)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from staffwire.testing.conformance import assert_conformant, parse_output, validate_line


def status(stream: str, value: str) -> dict[str, Any]:
    return {
        "type": "TRACE",
        "trace": {
            "type": "STREAM_STATUS",
            "emitted_at": 1.0,
            "stream_status": {"stream_descriptor": {"name": stream}, "status": value},
        },
    }


def rec(stream: str, i: int) -> dict[str, Any]:
    return {"type": "RECORD", "record": {"stream": stream, "data": {"id": i}, "emitted_at": 1}}


def st(stream: str, blob: dict[str, Any], count: float) -> dict[str, Any]:
    return {
        "type": "STATE",
        "state": {
            "type": "STREAM",
            "stream": {"stream_descriptor": {"name": stream}, "stream_state": blob},
            "sourceStats": {"recordCount": count},
        },
    }


ERROR = {
    "type": "TRACE",
    "trace": {
        "type": "ERROR",
        "emitted_at": 1.0,
        "error": {"message": "boom", "failure_type": "system_error"},
    },
}


def _out(*messages: dict[str, Any]) -> bytes:
    return b"".join(json.dumps(m).encode() + b"\n" for m in messages)


GOOD = [
    status("a", "STARTED"),
    status("a", "RUNNING"),
    rec("a", 1),
    rec("a", 2),
    st("a", {"c": 2}, 2.0),
    status("a", "COMPLETE"),
]

VIOLATIONS = [
    (
        "count off",
        [*GOOD[:4], st("a", {"c": 2}, 1.0), GOOD[5]],
        0,
        "sourceStats.recordCount 1.0 but 2 records since the previous state",
    ),
    ("no state", [*GOOD[:4], GOOD[5]], 0, "stream 'a': 2 records not covered by any STATE at COMPLETE"),
    (
        "record before running",
        [status("a", "STARTED"), rec("a", 1), st("a", {}, 1.0), status("a", "COMPLETE")],
        0,
        "RECORD while its status is STARTED",
    ),
    ("no start", [status("a", "COMPLETE")], 0, "status COMPLETE after nothing"),
    ("never finished", GOOD[:5], 0, "never reached COMPLETE or INCOMPLETE"),
    ("record after complete", [*GOOD, rec("a", 3)], 0, "RECORD while its status is COMPLETE"),
    (
        "repeated state",
        [*GOOD[:5], rec("a", 3), st("a", {"c": 2}, 1.0), rec("a", 4), st("a", {"c": 4}, 1.0), GOOD[5]],
        0,
        "the same state twice in a row with records between",
    ),
    (
        "failure with exit 0",
        [status("a", "STARTED"), status("a", "INCOMPLETE"), ERROR],
        0,
        "exit code 0 but TRACE ERROR",
    ),
    ("exit 1 unexplained", GOOD, 1, "exit code 1 without a TRACE ERROR explaining it"),
    (
        "legacy state",
        [*GOOD[:4], {"type": "STATE", "state": {"type": "LEGACY", "data": {}}}],
        0,
        "STATE of type 'LEGACY'",
    ),
]


@pytest.mark.parametrize(("case", "messages", "code", "problem"), VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_a_read_violation_is_reported(
    case: str, messages: list[dict[str, Any]], code: int, problem: str
) -> None:
    result = parse_output(["read"], code, _out(*messages))
    with pytest.raises(AssertionError, match="not conformant") as caught:
        assert_conformant(result)
    assert problem in str(caught.value)


def test_a_conformant_read_passes() -> None:
    assert_conformant(parse_output(["read"], 0, _out(*GOOD)))


def test_a_closing_state_may_repeat_the_previous_one_to_count_trailing_records() -> None:
    messages = [*GOOD[:5], rec("a", 3), st("a", {"c": 2}, 1.0), GOOD[5]]
    assert_conformant(parse_output(["read"], 0, _out(*messages)))


def test_records_are_checked_against_their_stream_schema_when_a_catalog_is_given() -> None:
    catalog = {
        "streams": [
            {"name": "a", "json_schema": {"type": "object", "properties": {"id": {"type": "string"}}}}
        ]
    }
    with pytest.raises(AssertionError, match="record does not match its schema: 1 is not of type 'string'"):
        assert_conformant(parse_output(["read"], 0, _out(*GOOD)), catalog=catalog)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b"hello", "stdout line is not JSON"),
        (b"[1]", "stdout line is not a JSON object"),
        (b'{"type": "RECORD", "record": {"stream": "a", "data": {}}}', "'emitted_at' is a required property"),
        (b'{"type": "NOPE"}', "'NOPE' is not one of"),
        (b'{"type": "LOG", "log": {"level": "LOUD", "message": "x"}}', "'LOUD' is not one of"),
        (
            b'{"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "a"}}, '
            b'"sourceStats": {"recordCount": "2"}}}',
            "'2' is not of type 'number'",
        ),
    ],
)
def test_every_line_is_validated_against_the_protocol_schema(line: bytes, problem: str) -> None:
    with pytest.raises(AssertionError, match="stdout line") as caught:
        validate_line(line)
    assert problem in str(caught.value)


def test_check_must_print_exactly_one_connection_status() -> None:
    twice = _out(*[{"type": "CONNECTION_STATUS", "connectionStatus": {"status": "SUCCEEDED"}}] * 2)
    with pytest.raises(AssertionError, match="check printed 2 CONNECTION_STATUS messages, expected 1"):
        assert_conformant(parse_output(["check"], 0, twice))


def test_a_destination_must_echo_states_in_input_order_with_destination_stats() -> None:
    sent = [st("a", {"c": 1}, 1.0), st("a", {"c": 2}, 1.0)]
    echoed = [dict(s, state={**s["state"], "destinationStats": {"recordCount": 1.0}}) for s in reversed(sent)]
    result = parse_output(["write"], 0, _out(*echoed), stdin_messages=sent)
    with pytest.raises(AssertionError, match="echoed states differ from the input states"):
        assert_conformant(result)
    missing = parse_output(["write"], 0, _out(sent[0]), stdin_messages=sent)
    with pytest.raises(AssertionError) as caught:
        assert_conformant(missing)
    assert "echoed STATE without destinationStats.recordCount" in str(caught.value)
    assert "2 states sent but 1 echoed on a successful write" in str(caught.value)


def estimate(stream: str, **figures: Any) -> dict[str, Any]:
    body = {"name": stream, "type": "STREAM", **figures}
    return {"type": "TRACE", "trace": {"type": "ESTIMATE", "emitted_at": 1.0, "estimate": body}}


def test_estimates_are_accepted_before_and_between_a_streams_records() -> None:
    lines = [
        GOOD[0],
        estimate("a", row_estimate=2),
        *GOOD[1:3],
        estimate("a", row_estimate=2, byte_estimate=40),
        *GOOD[3:],
    ]
    result = parse_output(["read"], 0, _out(*lines))
    assert_conformant(result)
    assert [t["estimate"] for t in result.traces if t["type"] == "ESTIMATE"] == [
        {"name": "a", "type": "STREAM", "row_estimate": 2},
        {"name": "a", "type": "STREAM", "row_estimate": 2, "byte_estimate": 40},
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"name": "a", "row_estimate": 2}, "'type' is a required property"),
        ({"type": "STREAM", "row_estimate": 2}, "'name' is a required property"),
        ({"name": "a", "type": "ROWS"}, "'ROWS' is not one of ['STREAM', 'SYNC']"),
        ({"name": "a", "type": "STREAM", "row_estimate": "2"}, "'2' is not of type 'integer'"),
        ({"name": "a", "type": "STREAM", "byte_estimate": 1.5}, "1.5 is not of type 'integer'"),
    ],
)
def test_a_malformed_estimate_is_not_a_valid_message(body: dict[str, Any], problem: str) -> None:
    line = json.dumps({"type": "TRACE", "trace": {"type": "ESTIMATE", "emitted_at": 1.0, "estimate": body}})
    with pytest.raises(AssertionError, match="stdout line is not a valid AirbyteMessage") as caught:
        validate_line(line)
    assert problem in str(caught.value)
