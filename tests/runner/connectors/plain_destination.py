#!/usr/bin/env python3
"""A plain Airbyte-protocol destination (stdlib only): appends records to a JSON-lines file.

Buffers records; on each STATE appends them to ``path`` (fsync) and only then echoes the state with
destinationStats. Records whose id is in ``reject_ids`` are rejected (a LOG WARN with a ``rejection`` object).
``garbage`` prints a non-JSON line; ``fail_on_state`` exits 2 with a TRACE ERROR when that many states arrived;
``echo_only_last`` echoes only the last state, at the end (as some Airbyte destinations do); ``stop_reading_after``
(records) stops reading its input and hangs; ``hang_at_end`` hangs silently once its input ended, without echoing.
"""

import json
import os
import sys
import time
from pathlib import Path


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


SPEC = {
    "connectionSpecification": {
        "type": "object",
        "required": ["path"],
        "properties": {"path": {"type": "string"}, "api_token": {"type": "string", "airbyte_secret": True}},
    }
}


def main():
    command = sys.argv[1]
    if command == "spec":
        emit({"type": "SPEC", "spec": SPEC})
        return 0
    config = json.loads(Path(sys.argv[sys.argv.index("--config") + 1]).read_text())
    if command == "check":
        ok = Path(config["path"]).parent.is_dir()
        answer = (
            {"status": "SUCCEEDED"}
            if ok
            else {"status": "FAILED", "message": "the folder of path does not exist"}
        )
        emit({"type": "CONNECTION_STATUS", "connectionStatus": answer})
        return 0
    reject = set(config.get("reject_ids", []))
    buffered, rejected, states, last = [], 0, 0, None
    with open(config["path"], "a") as out:
        for line in sys.stdin:
            message = json.loads(line)
            if message["type"] == "RECORD":
                record = message["record"]
                if config.get("stop_reading_after") == record["data"]["id"]:
                    time.sleep(3600)
                if record["data"]["id"] in reject:
                    rejected += 1
                    text = f"record {record['stream']} {record['data']['id']} rejected: name is not allowed"
                    emit(
                        {
                            "type": "LOG",
                            "log": {
                                "level": "WARN",
                                "message": text,
                                "rejection": {
                                    "stream": record["stream"],
                                    "record_id": str(record["data"]["id"]),
                                    "reasons": [
                                        {"rule": "allowed", "field": "name", "message": "name is not allowed"}
                                    ],
                                },
                            },
                        }
                    )
                    continue
                buffered.append(record)
            elif message["type"] == "STATE":
                states += 1
                if config.get("fail_on_state") == states:
                    emit(
                        {
                            "type": "TRACE",
                            "trace": {
                                "type": "ERROR",
                                "emitted_at": time.time() * 1000,
                                "error": {"message": "disk full", "failure_type": "system_error"},
                            },
                        }
                    )
                    return 2
                for record in buffered:
                    out.write(json.dumps({"stream": record["stream"], **record["data"]}) + "\n")
                out.flush()
                os.fsync(out.fileno())
                state = message["state"]
                state["destinationStats"] = {
                    "recordCount": float(len(buffered) + rejected),
                    "rejectedRecordCount": float(rejected),
                }
                if config.get("garbage"):
                    sys.stdout.write("<html>oops</html>\n")
                if config.get("echo_only_last"):
                    last = state
                else:
                    emit({"type": "STATE", "state": state})
                buffered, rejected = [], 0
    if config.get("hang_at_end"):
        time.sleep(3600)
    if last is not None:
        emit({"type": "STATE", "state": last})
    return 0


if __name__ == "__main__":
    sys.exit(main())
