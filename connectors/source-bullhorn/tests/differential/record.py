"""Record what source-bullhorn reads from its sandbox, to compare two revisions of the reader (issue 15).

For every raw and standard stream (and, on a larger sandbox, Candidate and candidates with wide pages the API caps
at 200 of the 500 asked), in full refresh, a first incremental read, an incremental read resumed from the
first checkpoint of that read (inside a window, after an id) and an incremental read from the final state, with
``max_concurrency`` 1 and 3 and a small page size (so id ranges are cut and read in parallel): the sorted ids per
stream and the final state per stream. A state value taken from the clock during the run (a window's ``to``, a
completed cursor) is written as ``"NOW"``, so two runs of the same code record the same file.

    .venv/bin/python connectors/source-bullhorn/tests/differential/record.py --write  # (re)record golden.json
    .venv/bin/python connectors/source-bullhorn/tests/differential/record.py --check  # compare with it

Runnable against any revision of source-bullhorn (it only drives the connector through the protocol; the shared
part is ``staffwire.testing.differential``, see docs/testing.md); the
committed ``golden.json`` was recorded with the reader of main at c784faa (before the SDK partitioning feature).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from typing import Any

from source_bullhorn.sandbox import BullhornSandbox
from source_bullhorn.source import CORE_ENTITIES, SourceBullhorn
from staffwire.testing import differential
from staffwire.testing.conformance import ConnectorResult

SEED, CANDIDATES, PAGE_SIZE = 7, 40, 7
CONCURRENCY = (1, 3)
#: wide pages: 1,100 candidates asked 500 at a time with every field, which the sandbox (like Bullhorn) answers 200
#: at a time; with three workers the read is cut into id ranges
WIDE_CANDIDATES, WIDE_PAGE_SIZE, WIDE_STREAMS = 1_100, 500, ("Candidate", "candidates")


def _normalise(value: Any, since_ms: int) -> Any:
    if isinstance(value, dict):
        return {k: _normalise(v, since_ms) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_normalise(v, since_ms) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value >= since_ms:
        return "NOW"
    return value


def _summary(result: ConnectorResult, since_ms: int) -> dict[str, Any]:
    """Per stream: the id set as runs, whether ids came in order, the row estimates and the final state."""
    read = differential.summary(result, key=_raw_id, ids=list)
    return {
        name: {
            "ids": _id_runs(entry["ids"]),
            "in_order": entry["ids"] == sorted(entry["ids"], key=_id_order),
            "estimates": [e.get("row_estimate") for e in entry["estimates"]],
            "state": _normalise(entry["state"], since_ms),
        }
        for name, entry in read.items()
    }


def _raw_id(stream: str, record: Mapping[str, Any]) -> Any:
    return record.get("id")


def _id_runs(ids: list[Any]) -> dict[str, Any]:
    """The id set, exactly and compactly: its size (repeats count) and runs ``[first, last]`` of consecutive ids
    (standard ids ``bullhorn:<n>`` by their number, under their prefix)."""
    prefixes = sorted({str(i).rsplit(":", 1)[0] + ":" for i in ids if isinstance(i, str)})
    numbers = sorted({_id_order(i) for i in ids})
    runs: list[list[int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return {"count": len(ids), "prefixes": prefixes, "runs": runs}


def _id_order(value: Any) -> Any:
    """Raw ids are integers; standard ids are ``bullhorn:<id>``."""
    return int(str(value).rsplit(":", 1)[-1]) if str(value).rsplit(":", 1)[-1].isdigit() else 0


def _runs(config: dict[str, Any], only: tuple[str, ...] | None = None) -> dict[str, Any]:
    since = (int(time.time()) - 1) * 1000
    full_catalog = differential.catalog(SourceBullhorn, config, "full_refresh", only)
    full = differential.read(SourceBullhorn, config, full_catalog)
    catalog = differential.catalog(SourceBullhorn, config, "incremental", only)
    first = differential.read(SourceBullhorn, config, catalog)
    resumed = differential.read(SourceBullhorn, config, catalog, differential.next_state(first, first=True))
    again = differential.read(SourceBullhorn, config, catalog, differential.next_state(first))
    return {
        "full_refresh": _summary(full, since),
        "incremental": _summary(first, since),
        "incremental_resumed": _summary(resumed, since),
        "incremental_again": _summary(again, since),
    }


def record() -> dict[str, Any]:
    out: dict[str, Any] = {}
    settings: dict[str, Any] = {
        "entities": list(CORE_ENTITIES),
        "retry_base_seconds": 0.001,
        "lookback_seconds": 0,
    }
    with BullhornSandbox(seed=SEED, candidates=CANDIDATES) as sandbox:
        for concurrency in CONCURRENCY:
            config = sandbox.demo_config(**settings, page_size=PAGE_SIZE, max_concurrency=concurrency)
            out[f"concurrency={concurrency}"] = _runs(config)
    with BullhornSandbox(seed=SEED, candidates=WIDE_CANDIDATES) as sandbox:
        config = sandbox.demo_config(**settings, page_size=WIDE_PAGE_SIZE, max_concurrency=3)
        out["wide_pages"] = _runs(config, WIDE_STREAMS)
    return out


def dump(recorded: dict[str, Any]) -> str:
    """One line per stream and read, so a difference reads as a line of a diff."""
    lines = ["{"]
    for i, (run, modes) in enumerate(sorted(recorded.items())):
        lines.append(f" {json.dumps(run)}: {{")
        for j, (mode, streams) in enumerate(sorted(modes.items())):
            lines.append(f"  {json.dumps(mode)}: {{")
            for k, (name, summary) in enumerate(sorted(streams.items())):
                comma = "," if k < len(streams) - 1 else ""
                lines.append(f"   {json.dumps(name)}: {json.dumps(summary, sort_keys=True)}{comma}")
            lines.append("  }" + ("," if j < len(modes) - 1 else ""))
        lines.append(" }" + ("," if i < len(recorded) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(differential.main(__file__, record, dump=dump))
