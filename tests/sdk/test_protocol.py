"""Protocol I/O: RECORD fast path, block buffering with flushes before other messages, masking, the reader."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import quote, quote_plus

import orjson
import pytest
from airbyte_protocol_dataclasses.models import (
    AirbyteStateMessage,
    AirbyteStateType,
    ConfiguredAirbyteCatalog,
    SyncMode,
)
from staffwire.protocol import Output, ProtocolError, from_dict, read_messages, to_dict
from staffwire.secrets import SecretMasker
from staffwire.testing.conformance import validate_line


class CountingStream(io.BytesIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, data: Any) -> int:
        self.writes += 1
        return super().write(data)


def test_a_record_line_is_encoded_straight_from_the_dict() -> None:
    out = CountingStream()
    output = Output(out)
    output.record(
        "Candidate", {"id": 1, "amount": Decimal("12.50"), "at": datetime(2024, 1, 2, tzinfo=timezone.utc)}
    )
    output.record("Candidate", {"id": 2}, namespace="bullhorn")
    output.flush()
    first, second = out.getvalue().splitlines()
    message = orjson.loads(first)
    assert message == {
        "type": "RECORD",
        "record": {
            "stream": "Candidate",
            "emitted_at": message["record"]["emitted_at"],
            "data": {"id": 1, "amount": 12.5, "at": "2024-01-02T00:00:00+00:00"},
        },
    }
    assert isinstance(message["record"]["emitted_at"], int)
    assert orjson.loads(second)["record"]["namespace"] == "bullhorn"
    validate_line(first)
    validate_line(second)


def test_records_are_written_in_blocks_and_other_messages_flush_at_once() -> None:
    out = CountingStream()
    output = Output(out, block_size=1000)
    output.records("a", [{"id": i} for i in range(10)])  # ~700 bytes: stays buffered
    assert out.writes == 0
    output.message({"type": "LOG", "log": {"level": "INFO", "message": "now"}})
    assert out.writes == 1  # the records and the log, in order, in one block
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and orjson.loads(lines[-1])["type"] == "LOG"
    output.records("a", [{"id": i, "pad": "x" * 50} for i in range(20)])  # over the block size: written
    assert out.writes == 2


def test_every_block_is_masked_including_records_and_escaped_forms() -> None:
    masker = SecretMasker()
    out = io.BytesIO()
    output = Output(out, masker)
    masker.add('se"cret-1')  # registered after the Output was made
    output.record("a", {"token": 'se"cret-1', "ok": "fine"})
    output.message({"type": "LOG", "log": {"level": "INFO", "message": 'token se"cret-1'}})
    assert b"cret-1" not in out.getvalue()
    assert orjson.loads(out.getvalue().splitlines()[0])["record"]["data"] == {"token": "****", "ok": "fine"}


def test_non_string_keys_are_written_as_strings_on_every_record_path() -> None:
    # the plain (fast) encoding refuses them; the writer then encodes with OPT_NON_STR_KEYS
    out = io.BytesIO()
    output = Output(out)
    data = {1: "one", "nested": {2.5: [Decimal("1.5")], None: True}}
    output.record("a", data)
    output.records("a", [{"id": 1}, data])
    output.record_with_meta("a", data, {"changes": []})
    output.message({"type": "LOG", "log": {"level": "INFO", "message": "x"}, "extra": {3: "three"}})
    lines = out.getvalue().splitlines()
    expected = {"1": "one", "nested": {"2.5": [1.5], "null": True}}
    assert [orjson.loads(line)["record"]["data"] for line in lines[:4]] == [
        expected,
        {"id": 1},
        expected,
        expected,
    ]
    assert orjson.loads(lines[4])["extra"] == {"3": "three"}
    with pytest.raises(TypeError, match="not JSON serializable"):
        output.record("a", {"id": object()})


def test_a_wide_page_is_one_masked_block_and_every_form_of_a_late_secret_is_caught() -> None:
    masker = SecretMasker(["config-secret-1"])
    out = CountingStream()
    output = Output(out, masker, block_size=4096)
    page = [{"id": i, "pad": "x" * 300} for i in range(50)]  # ~16 KB: over the block size on its own
    output.records("a", page)
    assert out.writes == 1 and out.getvalue().count(b"\n") == 50
    # a token obtained at run time, echoed by the API in every form the masker knows
    token = 'run time/tok "9"   end'
    masker.add(token)
    echoed = [
        {"id": 1, "raw": token},
        {"id": 2, "url": "https://x/?t=" + quote_plus(token)},
        {"id": 3, "path": "/v1/" + quote(token, safe="")},
        {"id": 4, "collapsed": 'run time/tok "9" end'},  # its whitespace run collapsed to one space
        {"id": 5, "config": "config-secret-1"},
    ]
    output.records("a", [*page, *echoed])
    body = out.getvalue()
    for needle in (b"run time", b"time%2Ftok", b"time/tok", b"config-secret"):
        assert needle not in body
    rows = [orjson.loads(line)["record"]["data"] for line in body.splitlines()[-5:]]
    assert rows == [
        {"id": 1, "raw": "****"},
        {"id": 2, "url": "https://x/?t=****"},
        {"id": 3, "path": "/v1/****"},
        {"id": 4, "collapsed": "****"},
        {"id": 5, "config": "****"},
    ]


def test_unmasked_message_is_written_as_is_after_pending_records() -> None:
    masker = SecretMasker(["new-refresh-token"])
    out = io.BytesIO()
    output = Output(out, masker)
    output.record("a", {"id": 1})
    output.unmasked_message({"type": "CONTROL", "control": {"config": "new-refresh-token"}})
    lines = out.getvalue().splitlines()
    assert orjson.loads(lines[0])["type"] == "RECORD"
    assert b"new-refresh-token" in lines[1]


def test_the_reader_keeps_unknown_fields_and_reports_bad_lines_by_number() -> None:
    stdin = io.BytesIO(
        b'{"type": "RECORD", "record": {"stream": "a", "data": {}, "emitted_at": 1}, "future": 1}\n'
        b"\n"
        b"oops\n"
        b'"just a string"\n'
        b'{"no_type": true}\n'
        b'{"type": "STATE", "state": {"type": "STREAM"}}\n'
    )
    bad: list[tuple[int, str]] = []
    messages = list(read_messages(stdin, lambda n, reason: bad.append((n, reason))))
    assert [m["type"] for m in messages] == ["RECORD", "STATE"]
    assert messages[0]["future"] == 1
    assert bad == [
        (3, "line 3 is not JSON: oops"),
        (4, 'line 4 is not a JSON object: "just a string"'),
        (5, "line 5 has an unknown message type None"),
    ]


def test_from_dict_builds_protocol_models_and_to_dict_gives_the_wire_form_back() -> None:
    wire = {
        "streams": [
            {
                "stream": {
                    "name": "a",
                    "json_schema": {"type": "object"},
                    "supported_sync_modes": ["incremental"],
                },
                "sync_mode": "incremental",
                "destination_sync_mode": "append_dedup",
                "cursor_field": ["updated"],
                "unknown_field": "ignored",
            }
        ]
    }
    catalog = from_dict(ConfiguredAirbyteCatalog, wire)
    assert catalog.streams[0].sync_mode is SyncMode.incremental
    assert catalog.streams[0].cursor_field == ["updated"]
    back = to_dict(catalog)
    del wire["streams"][0]["unknown_field"]
    assert back == wire
    state = from_dict(AirbyteStateMessage, {"type": "GLOBAL", "global": {"stream_states": []}})
    assert state.type is AirbyteStateType.GLOBAL and to_dict(state) == {
        "type": "GLOBAL",
        "global": {"stream_states": []},
    }


@pytest.mark.parametrize(
    ("wire", "problem"),
    [
        ({}, "catalog.streams is required"),
        ({"streams": {}}, "catalog.streams must be a list"),
        ({"streams": [1]}, "catalog.streams[0] must be an object"),
        ({"streams": [{"stream": {"name": 5}}]}, "catalog.streams[0].stream.name must be a str"),
    ],
)
def test_from_dict_names_the_first_offending_field(wire: dict[str, Any], problem: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        from_dict(ConfiguredAirbyteCatalog, wire, "catalog")
    assert str(caught.value) == problem
