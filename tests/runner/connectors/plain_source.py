#!/usr/bin/env python3
"""A plain Airbyte-protocol source (stdlib only, no Staffwire code): what any third-party executable looks like.

Config: streams {name: record count}, api_key (secret), page (records per state), and switches for failures:
fail_after (records, then a TRACE ERROR and exit 1), crash_after (records, then exit 3 with a traceback on stderr),
garbage_after (records, then a non-JSON line), rotate (emit a CONTROL message with a new api_key),
log_secret (log a line holding the api_key), delay (seconds per record), extra_stream (send records for it),
hold_while (a file path: send nothing while that file exists, so a test can keep a run going as long as it needs),
hang_after (records, then print nothing and never end), stderr_for (seconds of printing only to stderr, a line
every 20 ms, before the first record), pidfile (write the process id there), hang_in (a command, e.g. discover:
print nothing and never end), null_name_every (n: every n-th record has its name nulled, with an Airbyte record
meta change saying so).
"""

import json
import os
import sys
import time
from pathlib import Path


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def status(stream, value):
    emit(
        {
            "type": "TRACE",
            "trace": {
                "type": "STREAM_STATUS",
                "emitted_at": time.time() * 1000,
                "stream_status": {"stream_descriptor": {"name": stream}, "status": value},
            },
        }
    )


SPEC = {
    "connectionSpecification": {
        "type": "object",
        "required": ["api_key"],
        "properties": {
            "api_key": {"type": "string", "airbyte_secret": True},
            "streams": {"type": "object"},
            "page": {"type": "integer"},
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
    if config.get("hang_in") == command:
        time.sleep(3600)
    if command == "check":
        ok = not config["api_key"].startswith("bad")
        answer = (
            {"status": "SUCCEEDED"}
            if ok
            else {"status": "FAILED", "message": "The API answered 401: check api_key"}
        )
        emit({"type": "CONNECTION_STATUS", "connectionStatus": answer})
        return 0
    if command == "discover":
        streams = [
            {
                "name": name,
                "json_schema": {"type": "object"},
                "supported_sync_modes": ["full_refresh", "incremental"],
                "source_defined_cursor": True,
                "default_cursor_field": ["id"],
                "source_defined_primary_key": [["id"]],
            }
            for name in config["streams"]
        ]
        emit({"type": "CATALOG", "catalog": {"streams": streams}})
        return 0
    catalog = json.loads(Path(arg("--catalog")).read_text())
    states = json.loads(Path(arg("--state")).read_text()) if arg("--state") else []
    cursors = {
        s["stream"]["stream_descriptor"]["name"]: s["stream"]["stream_state"]["cursor"] for s in states
    }
    page = config.get("page", 2)
    sent = 0
    if config.get("pidfile"):
        Path(config["pidfile"]).write_text(str(os.getpid()))
    if config.get("stderr_for"):
        until = time.monotonic() + config["stderr_for"]
        while time.monotonic() < until:
            sys.stderr.write("still working\n")
            sys.stderr.flush()
            time.sleep(0.02)
    if config.get("rotate"):
        emit(
            {
                "type": "CONTROL",
                "control": {
                    "type": "CONNECTOR_CONFIG",
                    "emitted_at": time.time() * 1000,
                    "connectorConfig": {"config": {**config, "api_key": "rotated-" + config["api_key"]}},
                },
            }
        )
    if config.get("log_secret"):
        emit(
            {
                "type": "LOG",
                "log": {"level": "WARN", "message": "calling the API with key " + config["api_key"]},
            }
        )
    if config.get("extra_stream"):
        emit(
            {
                "type": "RECORD",
                "record": {
                    "stream": config["extra_stream"],
                    "data": {"id": 1},
                    "emitted_at": int(time.time() * 1000),
                },
            }
        )
    while config.get("hold_while") and Path(config["hold_while"]).exists():
        time.sleep(0.01)
    for configured in catalog["streams"]:
        name = configured["stream"]["name"]
        start = cursors.get(name, 0) if configured["sync_mode"] == "incremental" else 0
        if config.get("estimate"):
            estimate = {"name": name, "type": "STREAM", "row_estimate": config["streams"][name] - start}
            emit(
                {
                    "type": "TRACE",
                    "trace": {"type": "ESTIMATE", "emitted_at": time.time() * 1000, "estimate": estimate},
                }
            )
        status(name, "STARTED")
        since_state = 0
        for n in range(start + 1, config["streams"][name] + 1):
            if config.get("fail_after") is not None and sent >= config["fail_after"]:
                emit(
                    {
                        "type": "TRACE",
                        "trace": {
                            "type": "ERROR",
                            "emitted_at": time.time() * 1000,
                            "error": {
                                "message": "The API answered 401: check api_key",
                                "failure_type": "config_error",
                            },
                        },
                    }
                )
                return 1
            if config.get("hang_after") is not None and sent >= config["hang_after"]:
                time.sleep(3600)
            if config.get("crash_after") is not None and sent >= config["crash_after"]:
                sys.stderr.write("Traceback (most recent call last):\nKeyError: 'boom'\n")
                return 3
            if config.get("garbage_after") is not None and sent == config["garbage_after"]:
                sys.stdout.write("hello from a stray print()\n")
            record: dict = {
                "stream": name,
                "data": {"id": n, "name": f"{name}-{n}"},
                "emitted_at": int(time.time() * 1000),
            }
            if config.get("null_name_every") and n % config["null_name_every"] == 0:
                record["data"]["name"] = None  # a value the source could not normalise, said in the meta
                change = {"field": "name", "change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"}
                record["meta"] = {"changes": [change]}
            emit({"type": "RECORD", "record": record})
            sent += 1
            since_state += 1
            if config.get("delay"):
                time.sleep(config["delay"])
            if since_state == page:
                emit(
                    {
                        "type": "STATE",
                        "state": {
                            "type": "STREAM",
                            "stream": {"stream_descriptor": {"name": name}, "stream_state": {"cursor": n}},
                            "sourceStats": {"recordCount": float(since_state)},
                        },
                    }
                )
                since_state = 0
        emit(
            {
                "type": "STATE",
                "state": {
                    "type": "STREAM",
                    "stream": {
                        "stream_descriptor": {"name": name},
                        "stream_state": {"cursor": max(start, config["streams"][name])},
                    },
                    "sourceStats": {"recordCount": float(since_state)},
                },
            }
        )
        status(name, "COMPLETE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
