"""Record what source-greenhouse reads from its sandbox, to compare two revisions of its reader.

For every raw (``harvest_*``) and standard stream: the sorted ids (and estimates) and the requests made of a full refresh; of a first
incremental read and its final state; of a second incremental read from that state (nothing changed); and of a
third after one candidate changed. Pages are small (7 records), so the Link-header paging and the related reads
(openings, applications, offers, jobs) run over several pages. Only public entry points are used (the connector
class, the sandbox, ``staffwire.testing``), so the script runs unchanged against any revision (the shared part is
``staffwire.testing.differential``; see docs/testing.md)::

    .venv/bin/python connectors/source-greenhouse/tests/differential/record.py          # print the recording
    .venv/bin/python connectors/source-greenhouse/tests/differential/record.py --write  # rewrite golden.json
    .venv/bin/python connectors/source-greenhouse/tests/differential/record.py --check  # compare with it

``test_differential.py`` asserts that the current reader records exactly ``golden.json`` (written with the reader
whose related reads still paged in their own loop).
"""

from __future__ import annotations

import sys
from typing import Any

from source_greenhouse import SourceGreenhouse
from source_greenhouse.sandbox import GreenhouseSandbox
from staffwire.testing import differential
from staffwire.testing.sandbox import running

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


def _read(
    sandbox: GreenhouseSandbox, config: dict[str, Any], mode: str, state: Any = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One read of every stream: the requests it made and per stream its ids, estimates and final state (not for
    full refresh, which has none); and the state to read on from."""
    catalog = differential.catalog(SourceGreenhouse, config, mode, STREAMS)
    result = differential.read(SourceGreenhouse, config, catalog, state, sandbox=sandbox)
    summary = differential.summary(result, STREAMS, state=mode == "incremental")
    return {"requests": differential.sent_requests(sandbox), **summary}, differential.next_state(result)


def record() -> dict[str, Any]:
    """Start a sandbox, read it four ways, and answer what each stream emitted."""
    with running(GreenhouseSandbox(candidates=24, rate_limit=None)) as sandbox:
        config = sandbox.demo_config(retry_base_delay=0.001, page_size=7)
        full, _ = _read(sandbox, config, "full_refresh")
        first, state = _read(sandbox, config, "incremental")
        second, state = _read(sandbox, config, "incremental", state)
        clock = sandbox.clock
        sandbox.clock = lambda: CHANGED_AT
        changed_at = sandbox.now()
        sandbox.clock = clock
        sandbox.tables["candidates"][50007].update(title="Charge Nurse", updated_at=changed_at)
        third, _ = _read(sandbox, config, "incremental", state)
    return {
        "full_refresh": full,
        "incremental_first": first,
        "incremental_unchanged": second,
        "incremental_after_a_change": third,
    }


if __name__ == "__main__":
    sys.exit(differential.main(__file__, record))
