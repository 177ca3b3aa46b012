"""Record what source-greenhouse reads from its sandbox, to compare two revisions of its reader.

For every raw (``harvest_*``) and standard stream: the sorted ids (and estimates) and the requests made of a full refresh; of a first
incremental read and its final state; of a second incremental read from that state (nothing changed); and of a
third after one candidate changed. Pages are small (7 records), so the Link-header paging and the related reads
(openings, applications, offers, jobs) run over several pages. Only public entry points are used (the connector
class, the sandbox, ``staffwire.testing.conformance``), so the script runs unchanged against any revision::

    .venv/bin/python connectors/source-greenhouse/tests/differential/record.py          # print the recording
    .venv/bin/python connectors/source-greenhouse/tests/differential/record.py --write  # rewrite golden.json

``test_differential.py`` asserts that the current reader records exactly ``golden.json`` (written with the reader
whose related reads still paged in their own loop).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from source_greenhouse import SourceGreenhouse
from source_greenhouse.sandbox import GreenhouseSandbox
from staffwire.testing.conformance import ConnectorResult, run_connector
from staffwire.testing.sandbox import running

GOLDEN = Path(__file__).with_name("golden.json")
RAW = (
    "jobs",
    "job_posts",
    "candidates",
    "applications",
    "offers",
    "scheduled_interviews",
    "attachments",
    "users",
    "departments",
    "offices",
)
STREAMS = (*(f"harvest_{r}" for r in RAW), "jobs", "candidates", "submissions", "interviews", "placements")
CHANGED_AT = 1924992000.0  # 2031-01-01T00:00:00Z: after every seeded moment, the same on every run


def _catalog(config: dict[str, Any], mode: str) -> dict[str, Any]:
    discovered = run_connector(SourceGreenhouse, "discover", config=config).catalog
    assert discovered is not None
    by_name = {s["name"]: s for s in discovered["streams"]}
    return {
        "streams": [
            {"stream": by_name[name], "sync_mode": mode, "destination_sync_mode": "append"}
            for name in STREAMS
        ]
    }


def _read(
    sandbox: Any, config: dict[str, Any], mode: str, state: Any = None
) -> tuple[ConnectorResult, list[str]]:
    """One read, and the requests it made (sorted: parallel reads interleave), each with its query and status."""
    catalog = _catalog(config, mode)
    sandbox.clear_log()
    result = run_connector(SourceGreenhouse, "read", config=config, catalog=catalog, state=state)
    assert result.exit_code == 0, result.trace_errors
    sent = sorted(f"{r.method} {r.path}?{urlencode(r.query, doseq=True)} {r.status}" for r in sandbox.log)
    return result, sent


def _summary(read: tuple[ConnectorResult, list[str]], *, states: bool) -> dict[str, Any]:
    result, sent = read
    out: dict[str, Any] = {"requests": sent}
    for stream in STREAMS:
        entry: dict[str, Any] = {
            "ids": sorted(str(r["id"]) for r in result.records(stream)),
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
    """Start a sandbox, read it four ways, and answer what each stream emitted."""
    with running(GreenhouseSandbox(candidates=24, rate_limit=None)) as sandbox:
        config = sandbox.demo_config(retry_base_delay=0.001, page_size=7)
        full = _read(sandbox, config, "full_refresh")
        first = _read(sandbox, config, "incremental")
        second = _read(sandbox, config, "incremental", _states(first))
        clock = sandbox.clock
        sandbox.clock = lambda: CHANGED_AT
        changed_at = sandbox.now()
        sandbox.clock = clock
        sandbox.tables["candidates"][50007].update(title="Charge Nurse", updated_at=changed_at)
        third = _read(sandbox, config, "incremental", _states(second))
    return {
        "full_refresh": _summary(full, states=False),
        "incremental_first": _summary(first, states=True),
        "incremental_unchanged": _summary(second, states=True),
        "incremental_after_a_change": _summary(third, states=True),
    }


def main(argv: list[str]) -> None:
    text = json.dumps(record(), indent=1, sort_keys=True) + "\n"
    if "--write" in argv:
        GOLDEN.write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
