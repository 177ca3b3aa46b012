#!/usr/bin/env python3
"""A plain Airbyte-protocol source (stdlib only) that replays recorded records (``{"stream", "data"}`` lines, as
Airbyte's acceptance tests record them) with a real source's stream names, primary keys and cursors.

Config: ``records`` (one path or a list of JSON-lines files), ``streams`` ({name: {primary_key: field, cursor:
field}}), ``api_key`` (secret, unused). Incremental streams skip records whose cursor is not after the state's.
"""

import json
import sys
import time
from pathlib import Path


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")


SPEC = {
    "connectionSpecification": {
        "type": "object",
        "required": ["records", "streams"],
        "properties": {
            "records": {"type": ["string", "array"]},
            "streams": {"type": "object"},
            "api_key": {"type": "string", "airbyte_secret": True},
        },
    }
}


def arg(name):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None


def main():
    command = sys.argv[1]
    if command == "spec":
        emit({"type": "SPEC", "spec": SPEC})
        return 0
    config = json.loads(Path(arg("--config")).read_text())
    streams = config["streams"]
    if command == "check":
        emit({"type": "CONNECTION_STATUS", "connectionStatus": {"status": "SUCCEEDED"}})
        return 0
    if command == "discover":
        emit(
            {
                "type": "CATALOG",
                "catalog": {
                    "streams": [
                        {
                            "name": name,
                            "json_schema": {"type": "object", "properties": {}},
                            "supported_sync_modes": ["full_refresh", "incremental"],
                            "source_defined_cursor": True,
                            "default_cursor_field": [spec["cursor"]],
                            "source_defined_primary_key": [[spec["primary_key"]]],
                        }
                        for name, spec in streams.items()
                    ]
                },
            }
        )
        return 0
    catalog = json.loads(Path(arg("--catalog")).read_text())
    states = {}
    if arg("--state"):
        for state in json.loads(Path(arg("--state")).read_text()) or []:
            descriptor = state["stream"]["stream_descriptor"]
            states[descriptor["name"]] = state["stream"]["stream_state"]
    files = config["records"] if isinstance(config["records"], list) else [config["records"]]
    rows = [json.loads(line) for f in files for line in Path(f).read_text().splitlines() if line.strip()]
    for entry in catalog["streams"]:
        name = entry["stream"]["name"]
        cursor = streams[name]["cursor"]
        since = states.get(name, {}).get(cursor) if entry["sync_mode"] == "incremental" else None
        latest = since
        for row in rows:
            if row["stream"] != name:
                continue
            value = row["data"].get(cursor)
            if since is not None and value is not None and value <= since:
                continue
            record = {"stream": name, "data": row["data"], "emitted_at": int(time.time() * 1000)}
            if row.get("meta"):
                record["meta"] = row["meta"]
            emit({"type": "RECORD", "record": record})
            if value is not None and (latest is None or value > latest):
                latest = value
        emit(
            {
                "type": "STATE",
                "state": {
                    "type": "STREAM",
                    "stream": {"stream_descriptor": {"name": name}, "stream_state": {cursor: latest}},
                },
            }
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
