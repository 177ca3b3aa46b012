"""Record what source-wingspan reads from its seeded sandbox, to compare two revisions of its reader.

For every raw and standard stream: the sorted ids (and estimates) and the requests made of a full refresh; of a first incremental read and its final
state; of a second incremental read from that state (nothing changed); and of a third after one collaborator was
deleted (deletion markers, the state without it). Only public entry points are used (the connector class, the
sandbox, ``staffwire.testing.conformance``), so the script runs unchanged against any revision::

    .venv/bin/python connectors/source-wingspan/tests/differential/record.py          # print the recording
    .venv/bin/python connectors/source-wingspan/tests/differential/record.py --write  # rewrite golden.json

``test_differential.py`` asserts that the current reader records exactly ``golden.json`` (written with the reader
before it moved onto the SDK's HttpStream).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from source_wingspan import SourceWingspan
from staffwire.testing.conformance import ConnectorResult, run_connector
from staffwire.testing.sandbox import running

GOLDEN = Path(__file__).with_name("golden.json")
STREAMS = (
    "Payee",
    "Collaborator",
    "Payable",
    "Invoice",
    "BulkCollaboratorBatch",
    "BulkPayableBatch",
    "workers",
    "payables",
)


def _catalog(config: dict[str, Any], mode: str) -> dict[str, Any]:
    discovered = run_connector(SourceWingspan, "discover", config=config).catalog
    assert discovered is not None
    by_name = {s["name"]: s for s in discovered["streams"]}
    return {
        "streams": [
            {
                "stream": by_name[name],
                "sync_mode": mode,
                "destination_sync_mode": "append",
                **({"cursor_field": by_name[name]["default_cursor_field"]} if mode == "incremental" else {}),
            }
            for name in STREAMS
        ]
    }


def _read(
    sandbox: Any, config: dict[str, Any], mode: str, state: Any = None
) -> tuple[ConnectorResult, list[str]]:
    """One read, and the requests it made (sorted: parallel reads interleave), each with its query and status."""
    catalog = _catalog(config, mode)
    sandbox.clear_log()
    result = run_connector(SourceWingspan, "read", config=config, catalog=catalog, state=state)
    assert result.exit_code == 0, result.trace_errors
    sent = sorted(f"{r.method} {r.path}?{urlencode(r.query, doseq=True)} {r.status}" for r in sandbox.log)
    return result, sent


def _key(stream: str) -> str:
    if stream in ("workers", "payables"):
        return "id"
    return stream[0].lower() + stream[1:] + "Id"


def _summary(read: tuple[ConnectorResult, list[str]], *, states: bool) -> dict[str, Any]:
    result, sent = read
    out: dict[str, Any] = {"requests": sent}
    for stream in STREAMS:
        entry: dict[str, Any] = {
            "ids": sorted(str(r[_key(stream)]) for r in result.records(stream)),
            "estimates": [
                t["estimate"]
                for t in result.traces
                if t["type"] == "ESTIMATE" and t["estimate"]["name"] == stream
            ],
        }
        if states:
            entry["state"] = (result.stream_states(stream) or [None])[-1]
        out[stream] = entry
    return out


def _states(read: tuple[ConnectorResult, list[str]]) -> list[dict[str, Any]]:
    result = read[0]
    last: dict[str, dict[str, Any]] = {}
    for state in result.states:
        last[state["stream"]["stream_descriptor"]["name"]] = {"type": "STREAM", "stream": state["stream"]}
    return list(last.values())


def record() -> dict[str, Any]:
    """Start a seeded sandbox, read it four ways, and answer what each stream emitted."""
    with running(WingspanSandbox(seed=True, rate_limit_per_s=None)) as sandbox:
        config = {"api_token": DEMO_TOKEN, "api_url": sandbox.url, "backoff_base_s": 0.01}
        full = _read(sandbox, config, "full_refresh")
        first = _read(sandbox, config, "incremental")
        second = _read(sandbox, config, "incremental", _states(first))
        alan = next(c for c in sandbox.contractors() if c["email"] == "alan.turing@example.co.uk")
        requests.delete(
            f"{sandbox.url}/payments/collaborator/{alan['collaboratorId']}",
            headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
            timeout=10,
        ).raise_for_status()
        third = _read(sandbox, config, "incremental", _states(second))
    return {
        "full_refresh": _summary(full, states=False),
        "incremental_first": _summary(first, states=True),
        "incremental_unchanged": _summary(second, states=True),
        "incremental_after_a_deletion": _summary(third, states=True),
    }


def main(argv: list[str]) -> None:
    text = json.dumps(record(), indent=1, sort_keys=True) + "\n"
    if "--write" in argv:
        GOLDEN.write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
