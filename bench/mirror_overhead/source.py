#!/usr/bin/env python3
"""The mirror benchmark's source: --records standard candidates, a STATE every 10,000 (a plain Airbyte-protocol executable, stdlib only; see bench/mirror_overhead.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

STATE_EVERY = 10_000
_STATUS = ("active", "placed", "inactive", "new")
_TEMPLATE = (
    '{"type":"RECORD","record":{"stream":"candidates","emitted_at":1700000000000,"data":{"id":"bench:%d",'
    '"remote_id":"%d","source_system":"bench","remote_created_at":"2023-01-02T03:04:05Z",'
    '"remote_updated_at":"2024-%02d-%02dT10:00:00Z","remote_deleted_at":null,"custom_fields":{"customText1":"Y"},'
    '"remote_data":null,"first_name":"Ada","last_name":"Lovelace%d","email":"ada.%d@example.org",'
    '"phone":"+1503421%04d","mobile":null,"address":{"line1":"1120 NW Couch St","line2":null,"city":"Portland",'
    '"state":"OR","postal_code":"97209","country":"US"},"status":"%s","original_status":"%s",'
    '"owner":{"id":"bench:1","name":"Recruiter One"},"source":"Indeed","skills":["Forklift","OSHA 10","Night shift"]'
    "}}}\n"
)


def _emit(line: dict) -> None:
    sys.stdout.write(json.dumps(line) + "\n")


def source(argv: list[str]) -> int:
    command = argv[0]
    if command == "spec":
        _emit({"type": "SPEC", "spec": {"connectionSpecification": {"type": "object", "properties": {}}}})
        return 0
    config = json.loads(Path(argv[argv.index("--config") + 1]).read_text())
    if command == "discover":
        schema = {
            "type": "object",
            "properties": {"id": {"type": "string"}, "remote_updated_at": {"type": "string"}},
        }
        stream = {
            "name": "candidates",
            "json_schema": schema,
            "supported_sync_modes": ["full_refresh", "incremental"],
            "source_defined_cursor": True,
            "default_cursor_field": ["remote_updated_at"],
            "source_defined_primary_key": [["id"]],
        }
        _emit({"type": "CATALOG", "catalog": {"streams": [stream]}})
        return 0
    out = sys.stdout.buffer
    count = int(config["records"])
    for i in range(1, count + 1):
        status = _STATUS[i % 4]
        out.write(
            (_TEMPLATE % (i, i, i % 12 + 1, i % 28 + 1, i, i, i % 10000, status, status.title())).encode()
        )
        if i % STATE_EVERY == 0 or i == count:
            state = {
                "type": "STREAM",
                "stream": {"stream_descriptor": {"name": "candidates"}, "stream_state": {"n": i}},
            }
            out.write(json.dumps({"type": "STATE", "state": state}).encode() + b"\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(source(sys.argv[1:]))
